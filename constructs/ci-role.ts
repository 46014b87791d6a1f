import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/**
 * ECR actions that write images. A push also calls ecr:BatchCheckLayerAvailability, which pulls
 * use too, so it is granted separately and never denied.
 */
export const ECR_PUSH_ACTIONS = ["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"] as const;

export interface CiRoleProps {
  /** Role name, deterministic so repository policies can name it. */
  readonly roleName: string;
  /** GitHub organization of the repositories. */
  readonly githubOrganization: string;
  /** Repositories (names within the organization) whose Actions may assume the role. */
  readonly repositories: readonly string[];
  /** Git ref the workflows must run on. @default "refs/heads/main" */
  readonly ref?: string;
  /**
   * The workflow file (in each repository) whose jobs may assume the role, pinned through the
   * token's `job_workflow_ref` claim: any other workflow on the same branch is refused.
   */
  readonly workflow: string;
  /** ECR repository ARNs the role may push to. @default - none (e.g. Artifact Registry only) */
  readonly ecrRepositoryArns?: readonly string[];
  /** Tags for the role. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The service's CI identity: a role GitHub Actions assumes through OIDC (no stored keys),
 * trusted only for the exact subjects `repo:<org>/<repo>:ref:<ref>` of the service's own
 * repositories, so a fork, another branch or a pull request cannot push images, and only for
 * jobs of the release workflow on that ref, so another workflow merged to main cannot either.
 *
 * Also creates the account's GitHub OIDC provider: service accounts are single-service, so
 * this is its only use.
 */
export class CiRole extends Construct {
  readonly resource: IamRole;

  constructor(scope: Construct, id: string, props: CiRoleProps) {
    super(scope, id);
    const ref = props.ref ?? "refs/heads/main";
    const tags = { ...props.tags };
    const repositories = [...props.repositories].sort();
    const subjects = repositories.map((r) => `repo:${props.githubOrganization}/${r}:ref:${ref}`);
    const workflows = repositories.map((r) => `${props.githubOrganization}/${r}/${props.workflow}@${ref}`);

    const provider = new IamOpenidConnectProvider(this, "github-oidc", {
      url: `https://${GITHUB_ISSUER}`,
      clientIdList: ["sts.amazonaws.com"],
      tags,
    });
    this.resource = new IamRole(this, "Resource", {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Federated: provider.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          // StringEquals, never StringLike: a wildcard here would admit other repositories.
          Condition: {
            StringEquals: {
              [`${GITHUB_ISSUER}:aud`]: "sts.amazonaws.com",
              [`${GITHUB_ISSUER}:sub`]: subjects,
              [`${GITHUB_ISSUER}:job_workflow_ref`]: workflows,
            },
          },
        }],
      }),
      tags,
    });
    if (props.ecrRepositoryArns && props.ecrRepositoryArns.length > 0) {
      new IamRolePolicy(this, "push", {
        role: this.resource.name,
        name: "push-images",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            // GetAuthorizationToken has no resource: it only returns a registry login.
            { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            { Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", ...ECR_PUSH_ACTIONS, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [...props.ecrRepositoryArns] },
          ],
        }),
      });
    }
  }
}
