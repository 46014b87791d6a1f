import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
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
  /** Name of the permissions boundary every such role must carry (created here). */
  readonly boundaryName: string;
  /** IAM name pattern of the roles a Pod Identity role may chain into (e.g. "workload-*"). */
  readonly chainTargetPattern: string;
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
/**
 * Changes to existing Pod Identity roles. Never their trust (it is set at creation and names
 * the tenant's namespace: rewriting it would hand a tenant's role to another namespace) and
 * never their boundary.
 */
const IAM_POD_ROLE_WRITE = ["iam:DeleteRole", "iam:DeleteRolePolicy", "iam:PassRole", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole"];
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
    // Whatever inline policy a shard puts on a Pod Identity role, the role can do no more than
    // chain into a service's workload role: not read the cluster account's secrets, not change IAM.
    const boundary = new IamPolicy(this, "pod-boundary", {
      name: props.boundaryName,
      description: "Permissions boundary of the Pod Identity roles the namespace shards create",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "ChainIntoWorkloadRolesOnly", Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: `arn:aws:iam::*:role/${props.chainTargetPattern}` }],
      }),
      tags,
    });
    const boundaryArn = `arn:aws:iam::${props.accountId}:policy/${props.boundaryName}`;
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
      // The boundary exists before any role may be created under it.
      role.node.addDependency(boundary);
      new IamRolePolicy(this, `${phase}-policy`, {
        role: role.name,
        name: "tenants",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: write ? [...EKS_READ, ...EKS_TENANT_WRITE] : EKS_READ, Resource: tenantArns },
            { Effect: "Allow", Action: write ? [...IAM_POD_ROLE_READ, ...IAM_POD_ROLE_WRITE] : IAM_POD_ROLE_READ, Resource: podRoles },
            ...(write ? [{ Sid: "CreateOnlyBounded", Effect: "Allow", Action: "iam:CreateRole", Resource: podRoles, Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryArn } } }] : []),
            { Effect: "Allow", Action: ["iam:GetPolicy", "iam:GetPolicyVersion"], Resource: boundaryArn },
          ],
        }),
      });
      return role;
    };
    this.roles = { plan: make("plan"), apply: make("apply") };
  }
}
