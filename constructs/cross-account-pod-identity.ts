import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";

export interface CrossAccountPodIdentityProps {
  /** The cluster the pods run on. */
  readonly clusterName: string;
  /** ARN of that cluster (the trust policy's source condition). */
  readonly clusterArn: string;
  /** The namespace and Kubernetes service account whose pods get the role. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Name of the EKS Pod Identity role created here, in the cluster's account. */
  readonly roleName: string;
  /** The role in the service's own account that pods finally act as. */
  readonly targetRoleArn: string;
  /** ARN of the permissions boundary the role carries (the namespace shards may create no role without it). */
  readonly permissionsBoundary: string;
  /** Tags for the role. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Lets one service account's pods on a cluster act as a role in another account, without keys:
 * EKS Pod Identity assumes a role in the cluster's account that only those pods can use, then
 * chains into the target role (the association's `target_role_arn`). The intermediate role
 * may assume nothing but that one target, so tenants cannot reach each other's accounts.
 */
export class CrossAccountPodIdentity extends Construct {
  readonly resource: EksPodIdentityAssociation;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: CrossAccountPodIdentityProps) {
    super(scope, id);
    const tags = { ...props.tags };

    this.role = new IamRole(this, "role", {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          // Session tags are set by EKS from the association; pods cannot choose them.
          Condition: {
            ArnEquals: { "aws:SourceArn": props.clusterArn },
            StringEquals: {
              "aws:RequestTag/kubernetes-namespace": props.namespace,
              "aws:RequestTag/kubernetes-service-account": props.serviceAccount,
            },
          },
        }],
      }),
      permissionsBoundary: props.permissionsBoundary,
      tags,
    });
    new IamRolePolicy(this, "chain", {
      role: this.role.name,
      name: "assume-target",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: props.targetRoleArn }],
      }),
    });
    this.resource = new EksPodIdentityAssociation(this, "Resource", {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
      targetRoleArn: props.targetRoleArn,
      tags,
    });
  }
}
