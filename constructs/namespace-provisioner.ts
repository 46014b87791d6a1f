import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import type { RunPhase } from "../lib/plan/cluster";

export interface NamespaceProvisionerProps {
  /** The shared cluster whose tenants the workspaces manage. */
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  /** Role names per run phase (deterministic, so the workspace factory can set them). */
  readonly roleNames: Readonly<Record<RunPhase, string>>;
  /** Terraform Cloud `sub` claims per phase of the workspaces allowed to use each role. */
  readonly subjects: Readonly<Record<RunPhase, readonly string[]>>;
  /** IAM name pattern of the Pod Identity roles the workspaces create (e.g. "pod-*-ap-northeast-1"). */
  readonly podRolePattern: string;
  /** Tags for the roles. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

const EKS_TENANT_WRITE = [
  "eks:AssociateAccessPolicy", "eks:CreateAccessEntry", "eks:CreatePodIdentityAssociation", "eks:DeleteAccessEntry",
  "eks:DeletePodIdentityAssociation", "eks:DisassociateAccessPolicy", "eks:TagResource", "eks:UntagResource",
  "eks:UpdateAccessEntry", "eks:UpdatePodIdentityAssociation",
];
const EKS_READ = [
  "eks:DescribeAccessEntry", "eks:DescribeCluster", "eks:DescribePodIdentityAssociation", "eks:ListAccessEntries",
  "eks:ListAssociatedAccessPolicies", "eks:ListPodIdentityAssociations", "eks:ListTagsForResource",
];
const IAM_POD_ROLE_WRITE = [
  "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:PassRole", "iam:PutRolePolicy", "iam:TagRole",
  "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
];
const IAM_POD_ROLE_READ = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies"];

/**
 * The identities of the `namespaces-<region>-<n>` workspaces in the shared cluster's account:
 * one role per run phase, trusted only by those workspaces' Terraform Cloud tokens, allowed to
 * manage tenants' access entries and Pod Identity roles and nothing else in AWS. They get no
 * EKS access entry: the workspaces reach the Kubernetes API with Kubernetes dynamic
 * credentials of their own run phase (RBAC in lib/plan/kubernetes-access.ts), so an IAM path
 * into the cluster would only be unused power.
 *
 * The number of resources is fixed (two roles), whatever the number of tenants.
 */
export class NamespaceProvisioner extends Construct {
  readonly roles: Readonly<Record<RunPhase, IamRole>>;

  constructor(scope: Construct, id: string, props: NamespaceProvisionerProps) {
    super(scope, id);
    const tags = { ...props.tags };
    const clusterArn = `arn:aws:eks:${props.region}:${props.accountId}:cluster/${props.clusterName}`;
    const tenantArns = [
      clusterArn,
      `arn:aws:eks:${props.region}:${props.accountId}:access-entry/${props.clusterName}/*`,
      `arn:aws:eks:${props.region}:${props.accountId}:podidentityassociation/${props.clusterName}/*`,
    ];
    const podRoles = `arn:aws:iam::${props.accountId}:role/${props.podRolePattern}`;
    const tfcProvider = `arn:aws:iam::${props.accountId}:oidc-provider/app.terraform.io`;

    const make = (phase: RunPhase): IamRole => {
      const role = new IamRole(this, `${phase}-role`, {
        name: props.roleNames[phase],
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{
            Effect: "Allow",
            // The app.terraform.io OIDC provider exists in every platform account (bootstrap StackSet).
            Principal: { Federated: tfcProvider },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { "app.terraform.io:aud": "aws.workload.identity", "app.terraform.io:sub": [...props.subjects[phase]] } },
          }],
        }),
        tags,
      });
      const write = phase === "apply";
      new IamRolePolicy(this, `${phase}-policy`, {
        role: role.name,
        name: "tenants",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: write ? [...EKS_READ, ...EKS_TENANT_WRITE] : EKS_READ, Resource: tenantArns },
            { Effect: "Allow", Action: write ? [...IAM_POD_ROLE_READ, ...IAM_POD_ROLE_WRITE] : IAM_POD_ROLE_READ, Resource: podRoles },
          ],
        }),
      });
      return role;
    };
    this.roles = { plan: make("plan"), apply: make("apply") };
  }
}
