import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksIdentityProviderConfig } from "@cdktf/provider-aws/lib/eks-identity-provider-config";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { CONTROL_PLANE_LOG_TYPES, clusterRoleName, eksAccessPolicyArn, kubernetesAudience, nodeRoleName, PRIVATE_SUBNET_TAG } from "../lib/plan/cluster";

/** Size and machines of one managed node group. */
export interface EksNodeGroupSize {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

export interface EksClusterProps {
  /** Cluster name; IAM role names are derived from it, so it must be unique in the account. */
  readonly name: string;
  /** Kubernetes minor version, e.g. "1.33". */
  readonly version: string;
  /** Managed node groups by name (the name is the construct id, so renaming one replaces it). */
  readonly nodeGroups: Readonly<Record<string, EksNodeGroupSize>>;
  /** Terraform Cloud organization whose runs may sign in with Kubernetes dynamic credentials. */
  readonly terraformCloudOrganization: string;
  /**
   * Private subnets of the control plane's network interfaces and of the nodes.
   * @default - the subnets of the provider's account and region tagged `subnet-tier = private`
   *   (the VPC is built by the network work; this is the one documented lookup)
   */
  readonly subnetIds?: string[];
  /**
   * IAM roles given cluster-wide admin through EKS access entries, by a stable name used as
   * the construct id.
   * @default - none: no principal, not even the cluster's creator, gets implicit access
   */
  readonly clusterAdmins?: Readonly<Record<string, string>>;
  /** Days to keep control-plane logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Refuse cluster deletion at the API, on top of Terraform's prevent_destroy. @default true */
  readonly deletionProtection?: boolean;
  /** Tags for the cluster's resources. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

const EKS_POLICY = (name: string) => `arn:aws:iam::aws:policy/${name}`;

function assumeRolePolicy(service: string, actions: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
  });
}

/**
 * An EKS cluster as the platform runs it, shared or dedicated: private API endpoint, access
 * managed only through EKS access entries (authentication mode API, no aws-auth ConfigMap),
 * every control-plane log type kept, secrets encrypted with a rotating KMS key, managed node
 * groups, the EKS Pod Identity agent (pods get roles without keys), and an OIDC identity
 * provider trusting Terraform Cloud so workspaces can use Kubernetes dynamic credentials.
 *
 * The API endpoint is private: workspaces that talk to the Kubernetes API must run on a
 * Terraform Cloud agent pool with a network path to the cluster's VPC.
 */
export class EksCluster extends Construct {
  readonly resource: EksClusterResource;
  readonly clusterRole: IamRole;
  readonly nodeRole: IamRole;
  readonly name: string;
  /** The private subnets of the control plane and nodes (others in the VPC, such as agents, run there too). */
  readonly subnetIds: string[];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const logRetentionDays = props.logRetentionDays ?? 365;
    const deletionProtection = props.deletionProtection ?? true;
    const tags = { ...props.tags };
    this.name = props.name;

    const subnetIds = this.subnetIds = props.subnetIds ?? new DataAwsSubnets(this, "private-subnets", {
      filter: [{ name: `tag:${PRIVATE_SUBNET_TAG.key}`, values: [PRIVATE_SUBNET_TAG.value] }],
    }).ids;

    // Created before the cluster so EKS does not create it first with "never expire".
    const logs = new CloudwatchLogGroup(this, "control-plane-logs", {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: logRetentionDays,
      tags,
    });
    const secretsKey = new KmsKey(this, "secrets-key", {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: true },
      tags,
    });

    this.clusterRole = new IamRole(this, "cluster-role", {
      name: clusterRoleName(props.name),
      assumeRolePolicy: assumeRolePolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
      tags,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-policy", {
      role: this.clusterRole.name,
      policyArn: EKS_POLICY("AmazonEKSClusterPolicy"),
    });

    // Registries in service accounts grant pull to this role by its deterministic name.
    this.nodeRole = new IamRole(this, "node-role", {
      name: nodeRoleName(props.name),
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com", ["sts:AssumeRole"]),
      tags,
    });
    const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map(
      (policy) => new IamRolePolicyAttachment(this, `node-${policy}`, { role: this.nodeRole.name, policyArn: EKS_POLICY(policy) }),
    );

    this.resource = new EksClusterResource(this, "Resource", {
      name: props.name,
      version: props.version,
      roleArn: this.clusterRole.arn,
      vpcConfig: { subnetIds, endpointPrivateAccess: true, endpointPublicAccess: false },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      deletionProtection,
      lifecycle: { preventDestroy: true },
      dependsOn: [logs, clusterPolicy],
      tags,
    });

    for (const [name, size] of Object.entries(props.nodeGroups).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      new EksNodeGroup(this, `nodes-${name}`, {
        clusterName: this.resource.name,
        nodeGroupName: name,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds,
        instanceTypes: [...size.instanceTypes],
        scalingConfig: { minSize: size.minSize, desiredSize: size.desiredSize, maxSize: size.maxSize },
        updateConfig: { maxUnavailable: 1 },
        // The cluster autoscaler moves desired_size; the config only sets where it starts.
        lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
        dependsOn: nodePolicies,
        tags,
      });
    }

    new EksAddon(this, "pod-identity-agent", {
      clusterName: this.resource.name,
      addonName: "eks-pod-identity-agent",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags,
    });

    // Terraform Cloud signs a token per run; the required claim keeps out every other
    // organization on app.terraform.io, whose tokens carry the same issuer.
    new EksIdentityProviderConfig(this, "terraform-cloud", {
      clusterName: this.resource.name,
      oidc: {
        identityProviderConfigName: "terraform-cloud",
        issuerUrl: "https://app.terraform.io",
        clientId: kubernetesAudience(props.name),
        usernameClaim: "sub",
        usernamePrefix: "tfc:",
        requiredClaims: { terraform_organization_name: props.terraformCloudOrganization },
      },
      tags,
    });

    for (const [adminName, principalArn] of Object.entries(props.clusterAdmins ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const entry = new EksAccessEntry(this, `admin-${adminName}`, { clusterName: this.resource.name, principalArn, type: "STANDARD", tags });
      new EksAccessPolicyAssociation(this, `admin-${adminName}-policy`, {
        clusterName: this.resource.name,
        principalArn: entry.principalArn,
        policyArn: eksAccessPolicyArn("AmazonEKSClusterAdminPolicy"),
        accessScope: { type: "cluster" },
      });
    }
  }
}
