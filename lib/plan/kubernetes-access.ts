import type { Platform } from "../config/schema";
import { kubernetesAudience, type RunPhase, sharedClusterName, terraformCloudSubject } from "./cluster";
import { ARGOCD_NAMESPACE, argoCdRegion } from "./argocd";
import { GKE_AGENT_POOL_KEY, gkeAudience, gkeClusterKey, gkeNamespacesStackName } from "./gke";
import { namespacesStackName, type StackSpec } from "./stack-plan";

/*
 * How workspaces reach a cluster's Kubernetes API, as pure data shared by the stacks, the
 * workspace factory and the bootstrap:
 * - the identity: HCP Terraform's Kubernetes dynamic credentials. Each run phase gets its own
 *   OIDC token (audience `kubernetes:<cluster>`), which the cluster's `terraform-cloud` identity
 *   provider config maps to the user `tfc:<sub>`. The plan's token belongs to the plan phase,
 *   the apply's to the apply phase; nothing is minted during the plan for use at apply.
 * - the network: cluster endpoints are private, so those workspaces run on the region's
 *   agent pool, whose agents run in the cluster account's VPC.
 * - the RBAC of those users, given here so that it is reviewed with the code.
 */

/** Prefix the clusters' `terraform-cloud` identity provider config puts before the `sub` claim. */
export const TERRAFORM_CLOUD_USERNAME_PREFIX = "tfc:";

/** The Kubernetes user of one workspace's run phase on a cluster. */
export function terraformCloudUser(platform: Platform, workspace: string, phase: RunPhase): string {
  return `${TERRAFORM_CLOUD_USERNAME_PREFIX}${terraformCloudSubject(platform, workspace, phase)}`;
}

/**
 * The cluster a workspace talks to through the Kubernetes API, or undefined. Only the
 * namespace shards do: the cluster and service stacks manage clusters through the AWS API.
 */
export function kubernetesClusterOf(platform: Platform, spec: StackSpec): string | undefined {
  if (spec.kind === "gke-namespaces") return gkeClusterKey(platform);
  return spec.kind === "namespaces" ? sharedClusterName(platform, spec.region!) : undefined;
}

/** TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE of a workspace that talks to a cluster. */
export function kubernetesAudienceOf(platform: Platform, spec: StackSpec): string | undefined {
  const cluster = kubernetesClusterOf(platform, spec);
  return cluster === undefined ? undefined : kubernetesAudience(cluster);
}

/** Name of the HCP Terraform agent pool of one region (its agents run in that region's cluster VPC). */
export function agentPoolName(platform: Platform, region: string): string {
  return `${platform.name}-${region}`;
}

/**
 * The agent pool a workspace runs on, by its key (an AWS region, or "gke" for the pool whose
 * agents run inside the GKE cluster), or undefined for HCP Terraform's shared runners.
 */
export function agentPoolRegionOf(platform: Platform, spec: StackSpec): string | undefined {
  if (spec.kind === "gke-namespaces") return GKE_AGENT_POOL_KEY;
  return kubernetesClusterOf(platform, spec) === undefined ? undefined : spec.region;
}

/** Keys of every agent pool of the platform: one per region, and "gke" when there is a GKE cluster. */
export function agentPoolKeys(platform: Platform): string[] {
  return [...platform.regions, ...(platform.gke ? [GKE_AGENT_POOL_KEY] : [])];
}

/** The resources a namespace shard manages inside the cluster (constructs/service-namespace.ts). */
const TENANT_RULES = [
  { apiGroups: [""], resources: ["namespaces", "resourcequotas", "limitranges"] },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"] },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"] },
] as const;
const READ_VERBS = ["get", "list", "watch"];
const WRITE_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"];

/** ClusterRole names of the namespace shards' run phases. */
export function tenantProvisionerRoleName(phase: RunPhase): string {
  return phase === "apply" ? "tfc-tenant-provisioner" : "tfc-tenant-reader";
}

/** Role names, in Argo CD's namespace, of the namespace shards' run phases. */
export function argoCdRoleName(phase: RunPhase): string {
  return phase === "apply" ? "tfc-argocd-provisioner" : "tfc-argocd-reader";
}

/**
 * The RBAC objects of the shared cluster of one region for the namespace shards' run phases:
 * the plan phase reads the objects a shard manages; the apply phase manages them, and may
 * bind the built-in `admin` ClusterRole (the team's RoleBinding) without holding it. Fixed
 * by `kubernetes.namespaceShards`: adding a tenant never changes it.
 */
export function sharedClusterRbac(platform: Platform, region: string): Record<string, unknown> {
  const shards = Array.from({ length: platform.kubernetes.namespaceShards }, (_, n) => namespacesStackName(region, n));
  const rbac = provisionerRbac(platform, shards, TENANT_RULES) as { items: unknown[] };
  if (region !== argoCdRegion(platform)) return rbac;
  const labels = { "app.kubernetes.io/managed-by": "super-terraform" };
  // Where Argo CD runs, the shards also manage the services' AppProjects and Applications, in
  // Argo CD's namespace only (constructs/argo-cd-project.ts).
  const argoCd = (phase: RunPhase) => [{
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: argoCdRoleName(phase), namespace: ARGOCD_NAMESPACE, labels },
    rules: [{ apiGroups: ["argoproj.io"], resources: ["appprojects", "applications"], verbs: phase === "apply" ? WRITE_VERBS : READ_VERBS }],
  }, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: argoCdRoleName(phase), namespace: ARGOCD_NAMESPACE, labels },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: argoCdRoleName(phase) },
    subjects: shards.map((w) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: terraformCloudUser(platform, w, phase) })),
  }];
  return { ...rbac, items: [...rbac.items, ...argoCd("plan"), ...argoCd("apply")] };
}

/**
 * What the GKE shards manage besides the EKS shards' objects: each tenant's Kubernetes service
 * account, annotated with its Google service account (constructs/gke-workload-identity.ts).
 */
const GKE_TENANT_RULES = [...TENANT_RULES, { apiGroups: [""], resources: ["serviceaccounts"] }] as const;

/** The issuer of HCP Terraform's workload identity tokens. */
const TERRAFORM_CLOUD_ISSUER = "https://app.terraform.io";

/**
 * What the GKE cluster needs once, after the gke stack, applied by a cluster admin with
 * `kubectl apply --server-side` (README "Bootstrap"): Identity Service's client config, which
 * lets the API server accept HCP Terraform's tokens for the audience `kubernetes:gke-<cluster>`
 * as the user `tfc:<sub>` (the same names as on EKS), and the RBAC of the `gke-namespaces-<n>`
 * shards' run phases. Fixed by `gke.namespaceShards`: adding a tenant never changes it.
 */
export function gkeClusterBootstrap(platform: Platform): Record<string, unknown> {
  const shards = Array.from({ length: platform.gke!.namespaceShards }, (_, n) => gkeNamespacesStackName(n));
  const rbac = provisionerRbac(platform, shards, GKE_TENANT_RULES) as { items: unknown[] };
  const clientConfig = {
    apiVersion: "authentication.gke.io/v2alpha1",
    kind: "ClientConfig",
    metadata: { name: "default", namespace: "kube-public" },
    spec: {
      authentication: [{
        name: "terraform-cloud",
        oidc: { clientID: gkeAudience(platform), issuerURI: TERRAFORM_CLOUD_ISSUER, userClaim: "sub", userPrefix: TERRAFORM_CLOUD_USERNAME_PREFIX, scopes: "openid" },
      }],
    },
  };
  return { apiVersion: "v1", kind: "List", items: [clientConfig, ...rbac.items] };
}

function provisionerRbac(platform: Platform, shards: readonly string[], rules: ReadonlyArray<{ readonly apiGroups: readonly string[]; readonly resources: readonly string[] }>): Record<string, unknown> {
  const labels = { "app.kubernetes.io/managed-by": "super-terraform" };
  const role = (phase: RunPhase) => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: tenantProvisionerRoleName(phase), labels },
    rules: [
      ...rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: phase === "apply" ? WRITE_VERBS : READ_VERBS })),
      ...(phase === "apply" ? [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["admin"], verbs: ["bind"] }] : []),
    ],
  });
  const binding = (phase: RunPhase) => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: tenantProvisionerRoleName(phase), labels },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: tenantProvisionerRoleName(phase) },
    subjects: shards.map((w) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: terraformCloudUser(platform, w, phase) })),
  });
  return { apiVersion: "v1", kind: "List", items: [role("plan"), binding("plan"), role("apply"), binding("apply")] };
}
