import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/plan/log-archive";
import { EksCluster } from "../constructs/eks-cluster.js";
import { NamespaceProvisioner } from "../constructs/namespace-provisioner.js";
import { podIdentityRoleName, workloadRoleName } from "../lib/plan/access";
import { namespacesRoleName, podBoundaryName, sharedClusterName, terraformCloudSubject } from "../lib/plan/cluster";
import { BREAK_GLASS_ARN } from "../lib/plan/organization-policies";
import { namespacesStackName } from "../lib/plan/stack-plan";
import { SlackCommandFunction } from "../constructs/slack-command-function.js";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { TerraformCloudAgents } from "../constructs/terraform-cloud-agents.js";
import { agentPoolName } from "../lib/plan/kubernetes-access";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The shared cluster account in one region: the multi-tenant EKS cluster and the identities of
 * the namespace shards that manage its tenants. It reads nothing per service, so adding,
 * changing or removing a tenant never re-plans this stack (tenants live in
 * `namespaces-<region>-<n>`).
 */
export class ClusterStack extends PlatformStack {
  readonly cluster: EksCluster;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const region = this.spec.region!;
    this.awsProvider({}, { accountId: this.platformAccountId() });
    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(this.model.platform, this.spec.region!), accountGlobal: this.spec.primary === true });

    this.cluster = new EksCluster(this, "cluster", {
      name: sharedClusterName(p, region),
      version: p.kubernetes.version,
      nodeGroups: p.kubernetes.nodeGroups,
      terraformCloudOrganization: p.terraformCloud.organization,
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
}
