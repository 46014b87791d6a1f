import type { Developer, Platform, Service } from "../config/schema";
import { kubernetesAudience, type RunPhase } from "./cluster";
import { fnv1a } from "./stack-plan";

/*
 * Names of the platform's shared GKE cluster (`gke` in config/platform.ts), shared by the gke
 * stack, the GKE namespace shards, the google stack (registry grants, developers' project
 * role) and the workspace factory. Every value another stack needs is derived here from
 * config, never read from another stack's state.
 *
 * How the GKE workspaces reach Google and the cluster:
 * - Google APIs: HCP Terraform's GCP dynamic credentials through the HCP Terraform pool of the
 *   registry project (lib/plan/google.ts), one service account per run phase.
 * - the Kubernetes API: HCP Terraform's Kubernetes dynamic credentials, as on EKS. The cluster
 *   runs Identity Service for GKE, whose OIDC client config (written by `npm run oidc-bootstrap`,
 *   applied once at bootstrap) accepts HCP Terraform's tokens for the audience
 *   `kubernetes:<cluster>` and names the user `tfc:<sub>`. Each run phase reads its own token
 *   from a file, so the apply never reuses a token minted during the plan (which a
 *   `google_client_config` access token would be: a data source is read at plan and stored in
 *   the saved plan).
 * - the network: the control plane has only a private endpoint, so the shards run on the
 *   `<name>-gke` agent pool, whose agents run inside the cluster (bootstrap).
 */

/** Name of the stack holding the shared GKE cluster, its network and the shards' identities. */
export const GKE_STACK = "gke";

/** The `gke-namespaces-<n>` shard holding a GKE tenant's namespace; depends only on the service's own key. */
export function gkeNamespaceShardOf(platform: Platform, serviceKey: string): number {
  return fnv1a(serviceKey) % platform.gke!.namespaceShards;
}

export function gkeNamespacesStackName(shard: number): string {
  return `gke-namespaces-${shard}`;
}

/** Whether a service has a namespace on the shared GKE cluster. */
export function onGke(s: Pick<Service, "kubernetes">): boolean {
  return s.kubernetes.tenancy === "shared" && (s.kubernetes.clusters ?? ["eks"]).includes("gke");
}

/** Whether a service has namespaces on the shared EKS clusters (one per region). */
export function onEks(s: Pick<Service, "kubernetes">): boolean {
  return s.kubernetes.tenancy === "shared" && (s.kubernetes.clusters ?? ["eks"]).includes("eks");
}

/** Full name of the cluster as Google's APIs and data sources take it. */
export function gkeClusterId(platform: Platform): string {
  const g = platform.gke!;
  return `projects/${g.project}/locations/${g.region}/clusters/${g.clusterName}`;
}

/**
 * How the GKE cluster is named where EKS clusters are named by their name (`gke-<clusterName>`):
 * the audience of its Kubernetes tokens, so an EKS and a GKE cluster of the same name differ.
 */
export function gkeClusterKey(platform: Platform): string {
  return `gke-${platform.gke!.clusterName}`;
}

/** Audience of HCP Terraform's Kubernetes tokens for the GKE cluster (its OIDC client ID). */
export function gkeAudience(platform: Platform): string {
  return kubernetesAudience(gkeClusterKey(platform));
}

/** Workload Identity pool of the cluster's project. */
export function gkeWorkloadPool(platform: Platform): string {
  return `${platform.gke!.project}.svc.id.goog`;
}

/** Account id of the nodes' Google service account; repositories grant it pull. */
export const GKE_NODES_ACCOUNT_ID = "gke-nodes";

export function gkeNodesServiceAccountEmail(platform: Platform): string {
  return `${GKE_NODES_ACCOUNT_ID}@${platform.gke!.project}.iam.gserviceaccount.com`;
}

/** Account id (before `@`) of the GKE namespace shards' service account of one run phase. */
export function gkeNamespacesAccountId(phase: RunPhase): string {
  return `tfc-gke-namespaces-${phase}`;
}

export function gkeNamespacesServiceAccountEmail(platform: Platform, phase: RunPhase): string {
  return `${gkeNamespacesAccountId(phase)}@${platform.gke!.project}.iam.gserviceaccount.com`;
}

/**
 * Account id of a tenant's own Google service account (Workload Identity), at most 30
 * characters: `wl-<key>`, or a shortened key with a hash of the whole key when that is longer.
 * Follows the service's first key, so a rename keeps the account and its grants.
 */
export function tenantServiceAccountId(serviceKey: string): string {
  const id = `${TENANT_ACCOUNT_PREFIX}${serviceKey}`;
  if (id.length <= 30) return id;
  const hash = fnv1a(serviceKey).toString(16).padStart(8, "0");
  return `${TENANT_ACCOUNT_PREFIX}${serviceKey.slice(0, 17).replace(/-+$/, "")}-${hash}`;
}

/** Prefix of every tenant's service account id; the shards' apply account administers only these. */
export const TENANT_ACCOUNT_PREFIX = "wl-";

export function tenantServiceAccountEmail(platform: Platform, serviceKey: string): string {
  return `${tenantServiceAccountId(serviceKey)}@${platform.gke!.project}.iam.gserviceaccount.com`;
}

/** The Workload Identity member of a Kubernetes service account in a namespace. */
export function workloadIdentityMember(platform: Platform, namespace: string, serviceAccount: string): string {
  return `serviceAccount:${gkeWorkloadPool(platform)}[${namespace}/${serviceAccount}]`;
}

/** Name of the HCP Terraform agent pool whose agents run inside the GKE cluster. */
export const GKE_AGENT_POOL_KEY = "gke";

/** The Google identities (Kubernetes users, IAM members) of a service's owners on GKE, sorted. */
export function ownerGoogleIdentities(owners: readonly string[], developers: ReadonlyArray<Pick<Developer, "google"> & { readonly key: string }>): string[] {
  const byKey = new Map(developers.map((d) => [d.key, d.google]));
  return owners.map((o) => byKey.get(o)).filter((g): g is string => g !== undefined).sort();
}
