import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Construct } from "constructs";

/** Who may become the workload role. */
export type WorkloadTrust =
  /** Pods on the shared cluster, through these EKS Pod Identity roles in the cluster account. */
  | { readonly kind: "chained"; readonly clusterAccountId: string; readonly sourceRoleArns: readonly string[] }
  /** Pods on a cluster in this same account (dedicated tenancy), through EKS Pod Identity directly. */
  | { readonly kind: "pod-identity"; readonly accountId: string; readonly namespace: string; readonly serviceAccount: string };

export interface WorkloadRoleProps {
  /** Role name (deterministic: the cluster side names it before it exists). */
  readonly roleName: string;
  readonly trust: WorkloadTrust;
  /**
   * ARN of the permissions boundary the role carries: the team attaches what its workload needs,
   * and the boundary keeps that inside the team's own fence. @default - none
   */
  readonly permissionsBoundaryArn?: string;
  /** Tags for the role. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The role a service's pods act as in the service's own account. It has no permissions from the
 * platform: the service team attaches what its workload needs, in its own account. Only the
 * trust is fixed here, so no other tenant's pods can use it.
 */
export class WorkloadRole extends Construct {
  readonly resource: IamRole;

  constructor(scope: Construct, id: string, props: WorkloadRoleProps) {
    super(scope, id);
    const t = props.trust;
    const statement = t.kind === "chained"
      ? {
        Effect: "Allow",
        // The account root as principal plus a condition on the role ARN: IAM rejects a trust
        // policy naming a role that does not exist yet, and the cluster side is applied later.
        Principal: { AWS: `arn:aws:iam::${t.clusterAccountId}:root` },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { ArnEquals: { "aws:PrincipalArn": [...t.sourceRoleArns].sort() } },
      }
      : {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": t.accountId,
            "aws:RequestTag/kubernetes-namespace": t.namespace,
            "aws:RequestTag/kubernetes-service-account": t.serviceAccount,
          },
        },
      };
    this.resource = new IamRole(this, "Resource", {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
      permissionsBoundary: props.permissionsBoundaryArn,
      tags: { ...props.tags },
    });
  }
}
