import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { DataTfeOutputs } from "@cdktf/provider-tfe/lib/data-tfe-outputs";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { Fn, Token } from "cdktf";
import type { Construct } from "constructs";
import { ArgoCdProject } from "../constructs/argo-cd-project.js";
import { CrossAccountPodIdentity } from "../constructs/cross-account-pod-identity.js";
import { ServiceNamespace } from "../constructs/service-namespace.js";
import { ARGOCD_NAMESPACE, argoCdApplicationName, argoCdProjectName, argoCdRegion, argoCdServices, deploymentTargets, OWNERS_ROLE, overlayPath, ownersGroup, ownersPolicies, repositoryUrl } from "../lib/plan/argocd";
import { podIdentityRoleName, teamGroupName, teamRoleName, WORKLOAD_SERVICE_ACCOUNT, workloadRoleName } from "../lib/plan/access";
import { podBoundaryArn, sharedClusterArn, sharedClusterName } from "../lib/plan/cluster";
import { KUBERNETES_CREDENTIALS_VARIABLE } from "../lib/plan/dynamic-credentials";
import { onEks } from "../lib/plan/gke";
import { serviceTeamSlug } from "../lib/review/codeowners";
import type { OrganizationModel, ServiceModel } from "../lib/config/model";
import { findByKey, recordedQuery } from "../lib/incremental/read-recorder";
import { namespaceShardOf, namespacesStackName, originalKey, serviceStackName } from "../lib/plan/stack-plan";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** Output of a service's primary stack that tells the cluster side which account is the service's. */
export const ACCOUNT_ID_OUTPUT = "account_id";

/**
 * Shared-tenancy services on EKS (`kubernetes.clusters`) that have a namespace in the given region, retired ones included:
 * a retired service keeps its namespace (and its volumes) until its tombstone.
 */
export function tenantsOf(services: readonly ServiceModel[], region: string): ServiceModel[] {
  return services.filter((s) => onEks(s) && s.regions.includes(region as never));
}

/**
 * The keys of a namespaces shard's tenants and, in the Argo CD region, of the services whose
 * Argo CD objects it holds, as one recorded answer (lib/incremental/read-recorder.ts
 * `recordedQuery`): a service added to another shard leaves the shard as it was, so incremental
 * synthesis reuses it. A renamed service stays in the shard of its first key.
 */
const shardTenantsOf = recordedQuery("namespaceShard", (model: OrganizationModel, arg: { stack: string; region: string }) => {
  const p = model.platform;
  const mine = (s: ServiceModel) => namespacesStackName(arg.region, namespaceShardOf(p, originalKey(s))) === arg.stack;
  return {
    tenants: tenantsOf(model.services, arg.region).filter(mine).map((s) => s.key),
    deployed: arg.region === argoCdRegion(p) ? argoCdServices(p, model.services).filter(mine).map((s) => s.key) : [],
  };
});

/**
 * One shard of the shared cluster's tenants in one region (`namespaces-<region>-<n>`), in the
 * cluster account. Each tenant (service hashed to this shard) gets its ServiceNamespace (five
 * objects and an access entry) and its Pod Identity link: ten resources per tenant, plus its
 * Argo CD project and one application per cluster in the primary region, so a shard stays far
 * below the stack size limit even at 400 services.
 *
 * Lookups, all documented and by name (no cross-stack references):
 * - the cluster by name (`data aws_eks_cluster`) for the Kubernetes API endpoint and CA;
 * - the Kubernetes token of the current run phase from HCP Terraform's Kubernetes dynamic
 *   credentials (`var.tfc_kubernetes_dynamic_credentials`, audience `kubernetes:<cluster>`):
 *   the provider reads it again at apply, so the apply talks to the cluster as the apply
 *   phase's identity, with a fresh token, and the plan as the read-only plan identity (RBAC
 *   in lib/plan/kubernetes-access.ts). No token is minted at plan for use at apply;
 * - each tenant's account ID from its primary service stack's `account_id` output
 *   (`data tfe_outputs`; TFE_TOKEN comes from the workspace's sensitive variables). The account
 *   ID only exists once the account is vended, and the cluster account cannot list the
 *   organization's accounts, so this is the one place it can be read from.
 *
 * In the primary region, whose shared cluster runs Argo CD, the shard also holds the Argo CD
 * project and applications of every active service hashed to it (constructs/argo-cd-project.ts;
 * lib/plan/argocd.ts), whatever clusters the service runs on: adding a service changes this one
 * shard, never a cluster stack.
 *
 * The cluster's API endpoint is private: these workspaces run on an agent pool in the network.
 */
export class NamespacesStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const region = this.spec.region!;
    this.awsProvider({}, { accountId: this.platformAccountId() });
    const mine = (s: ServiceModel) => namespacesStackName(region, namespaceShardOf(p, originalKey(s))) === this.spec.name;
    const shard = shardTenantsOf(this.model, { stack: this.spec.name, region });
    const tenants = shard.tenants.map((key) => findByKey(this.model.services, key)!);
    // A removed service's namespace leaves Terraform's state through `removed` blocks, which
    // still need the Kubernetes provider configured.
    const forgotten = tenantsOf(this.model.tombstones ?? [], region).filter(mine);
    const deployed = shard.deployed.map((key) => findByKey(this.model.services, key)!);
    if (tenants.length === 0 && forgotten.length === 0 && deployed.length === 0) return;

    const clusterName = sharedClusterName(p, region);
    const cluster = new DataAwsEksCluster(this, "cluster", { name: clusterName });
    this.credentialsVariable(KUBERNETES_CREDENTIALS_VARIABLE);
    new KubernetesProvider(this, "kubernetes", {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      token: `\${file(var.${KUBERNETES_CREDENTIALS_VARIABLE}.default.token_path)}`,
    });
    // Only active tenants need their account ID (for access); a retired one keeps only its namespace.
    if (tenants.some((s) => !s.retired)) new TfeProvider(this, "tfe", { organization: p.terraformCloud.organization });

    for (const s of tenants) {
      // The same namespace whether the tenant is active or retired (a retired one keeps its
      // volumes and loses only access), so its address never changes.
      const namespace = {
        namespace: s.namespace,
        service: s.key,
        team: serviceTeamSlug(s.key),
        environment: s.segment,
        group: teamGroupName(s.key),
        quota: s.quota,
        defaultLimits: p.kubernetes.defaultLimits,
        defaultRequests: p.kubernetes.defaultRequests,
        ingressNamespace: p.kubernetes.ingressNamespace,
      };
      if (s.retired) {
        new ServiceNamespace(this, `namespace-${s.key}`, { ...namespace, retired: true });
        continue;
      }
      const outputs = new DataTfeOutputs(this, `account-of-${s.key}`, {
        organization: p.terraformCloud.organization,
        workspace: serviceStackName(s.key, s.regions[0]!),
      });
      const accountId = Token.asString(outputs.nonsensitiveValues.lookup(ACCOUNT_ID_OUTPUT));

      new ServiceNamespace(this, `namespace-${s.key}`, {
        ...namespace,
        eksAccess: { clusterName: cluster.name, teamRoleArn: `arn:aws:iam::${accountId}:role/${teamRoleName(s.key)}` },
      });

      new CrossAccountPodIdentity(this, `workload-identity-${s.key}`, {
        clusterName: cluster.name,
        clusterArn: sharedClusterArn(p, region),
        namespace: s.namespace,
        serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
        roleName: podIdentityRoleName(s.key, region),
        targetRoleArn: `arn:aws:iam::${accountId}:role/${workloadRoleName(s.key)}`,
        permissionsBoundary: podBoundaryArn(p, region),
        tags: { service: s.key },
      });
    }

    for (const s of deployed) {
      new ArgoCdProject(this, `argo-cd-${s.key}`, {
        project: argoCdProjectName(s),
        description: s.description,
        argoCdNamespace: ARGOCD_NAMESPACE,
        repositoryUrl: repositoryUrl(p),
        namespace: s.namespace,
        applications: deploymentTargets(p, s).filter((t) => t.argoCd).map((t) => ({ name: argoCdApplicationName(s, t.env), path: overlayPath(s.key, t.env), cluster: t.cluster })),
        ownersRole: { name: OWNERS_ROLE, groups: [ownersGroup(p, serviceTeamSlug(s.key))], policies: ownersPolicies(argoCdProjectName(s)) },
        labels: { service: s.key, team: serviceTeamSlug(s.key) },
      });
    }
  }
}
