import type { Route } from "@cdktf/provider-aws/lib/route";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/plan/log-archive";
import { EksCluster } from "../constructs/eks-cluster.js";
import { ServiceVpc } from "../constructs/service-vpc.js";
import { TransitGatewayAttachment } from "../constructs/transit-gateway-attachment.js";
import { clusterVpcCidr } from "../lib/plan/cidr";
import { associateRoleArn, clusterVpcName, flowLogDestinationArn, propagationTables, readRoleArn, routeTableName, SHARED_SEGMENT, transitGatewayName } from "../lib/plan/network";
import { NamespaceProvisioner } from "../constructs/namespace-provisioner.js";
import { podIdentityRoleName, workloadRoleName } from "../lib/plan/access";
import { clusterSubnetTags, namespacesRoleName, podBoundaryName, sharedClusterName, terraformCloudSubject } from "../lib/plan/cluster";
import { BREAK_GLASS_ARN } from "../lib/plan/organization-policies";
import { namespacesStackName } from "../lib/plan/stack-plan";
import { SlackCommandFunction } from "../constructs/slack-command-function.js";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { TerraformCloudAgents } from "../constructs/terraform-cloud-agents.js";
import { agentPoolName } from "../lib/plan/kubernetes-access";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The shared cluster account in one region: the cluster's VPC on the Transit Gateway, the
 * multi-tenant EKS cluster in it, and the identities of the namespace shards that manage its
 * tenants. It reads nothing per service, so adding, changing or removing a tenant never
 * re-plans this stack (tenants live in `namespaces-<region>-<n>`).
 */
export class ClusterStack extends PlatformStack {
  readonly cluster: EksCluster;
  readonly vpc: ServiceVpc;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const region = this.spec.region!;
    this.awsProvider({}, { accountId: this.platformAccountId() });
    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(this.model.platform, this.spec.region!), accountGlobal: this.spec.primary === true });

    const clusterName = sharedClusterName(p, region);
    const { vpc, defaultRoute } = this.network(clusterName);
    this.vpc = vpc;
    this.cluster = new EksCluster(this, "cluster", {
      name: clusterName,
      version: p.kubernetes.version,
      nodeGroups: p.kubernetes.nodeGroups,
      terraformCloudOrganization: p.terraformCloud.organization,
      subnetIds: vpc.privateSubnetIds,
      nodeDependencies: [defaultRoute],
    });

    const shards = Array.from({ length: p.kubernetes.namespaceShards }, (_, n) => namespacesStackName(region, n));
    new NamespaceProvisioner(this, "namespace-provisioner", {
      clusterName: this.cluster.resource.name,
      region,
      accountId: p.accounts.cluster.id,
      roleNames: { plan: namespacesRoleName(region, "plan"), apply: namespacesRoleName(region, "apply") },
      subjects: {
        plan: shards.map((w) => terraformCloudSubject(p, w, "plan")),
        apply: shards.map((w) => terraformCloudSubject(p, w, "apply")),
      },
      podRolePattern: podIdentityRoleName("*", region),
      boundaryName: podBoundaryName(region),
      chainTargetPattern: workloadRoleName("*"),
    });
    // HCP Terraform agents for the workspaces that talk to this cluster's private API (the
    // namespace shards): in the cluster's own subnets. The token needs TFE_TOKEN (tfe-token set).
    new TfeProvider(this, "tfe", { organization: p.terraformCloud.organization });
    new TerraformCloudAgents(this, "agents", {
      poolName: agentPoolName(p, region),
      organization: p.terraformCloud.organization,
      region,
      subnetIds: this.cluster.subnetIds,
      vpcId: this.cluster.resource.vpcConfig.vpcId,
      clusterSecurityGroupId: this.cluster.resource.vpcConfig.clusterSecurityGroupId,
    });
    // The platform's own small services run in the cluster account (the management, log,
    // security and network accounts hold no workloads); once, in the primary region.
    if (this.spec.region === this.model.platform.regions[0]) {
      const gh = this.model.platform.github;
      new SlackCommandFunction(this, "slack-command", { repository: `${gh.organization}/${gh.repository}`, breakGlassRoleArns: [BREAK_GLASS_ARN] });
    }
  }

  /**
   * The cluster's VPC: private subnets across the configured AZs, tagged for EKS, flow logs to
   * the log archive, attached to the region's Transit Gateway in the `shared` segment. The
   * shared segment's table reaches every segment and every segment's table reaches it, so pods
   * reach prod and nonprod service VPCs (and they reach the cluster) while prod and nonprod
   * stay apart. The attachment joins its segment through the network account's association
   * role, as a service stack's does; the network stack admits this stack's apply role to it.
   * Returns the VPC and its route out, which the nodes need before they can join.
   */
  private network(clusterName: string): { vpc: ServiceVpc; defaultRoute: Route } {
    const p = this.model.platform;
    const region = this.spec.region!;
    const vpc = new ServiceVpc(this, "vpc", {
      name: clusterVpcName(p, region),
      cidr: clusterVpcCidr(p, region)!,
      availabilityZoneCount: p.network.availabilityZones,
      flowLogDestinationArn: flowLogDestinationArn(p, region),
      subnetTags: clusterSubnetTags(clusterName),
    });
    const networkProvider = this.awsProvider({}, { alias: "network", accountId: p.accounts.network.id, assumeRoles: { plan: readRoleArn(p, SHARED_SEGMENT, region), apply: associateRoleArn(p, SHARED_SEGMENT, region) } });
    const attachment = new TransitGatewayAttachment(this, "transit-gateway-attachment", {
      name: clusterVpcName(p, region),
      vpcId: vpc.resource.id,
      subnetIds: vpc.privateSubnetIds,
      networkProvider,
      transitGatewayName: transitGatewayName(p, region),
      segment: SHARED_SEGMENT,
      associationTableName: routeTableName(p, region, SHARED_SEGMENT),
      propagationTableNames: propagationTables(p, SHARED_SEGMENT).map((t) => routeTableName(p, region, t)),
    });
    return { vpc, defaultRoute: vpc.routeDefaultTo(attachment) };
  }
}
