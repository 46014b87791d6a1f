import type { Platform } from "../config/schema";
import { type RunPhase, terraformCloudSubject } from "./cluster";
import { gkeNamespacesServiceAccountEmail } from "./gke";
import { fnv1a, type StackSpec } from "./stack-plan";

/*
 * Google Cloud names shared by the `google` stack, the service stacks that hold Artifact
 * Registry repositories and the workspace factories (all derived from `registry.gar`):
 * - HCP Terraform reaches Google through GCP dynamic credentials: a workload identity pool
 *   trusting app.terraform.io (a prerequisite: it must exist before any workspace can reach
 *   Google) and a plan and an apply service account per kind of workspace;
 * - the organization's AWS roles reach Artifact Registry through the `registry.gar`
 *   workload identity pool, which the `google` stack creates with an AWS provider.
 */

/** Name of the `google` stack (exists only when `registry.gar` is configured). */
export const GOOGLE_STACK = "google";

/** Pool (in the registry project) that trusts HCP Terraform's workload identity tokens. */
export const TERRAFORM_CLOUD_POOL_ID = "hcp-terraform";
/** Its OIDC provider for https://app.terraform.io. */
export const TERRAFORM_CLOUD_PROVIDER_ID = "app-terraform-io";
/** AWS provider of the `registry.gar` pool for the shared clusters' account. */
export const CLUSTER_ACCOUNT_PROVIDER_ID = "aws-cluster";

/** The project number, from the pool's full name `projects/<number>/locations/global/...`. */
export function projectNumber(platform: Platform): string {
  const gar = platform.registry.gar;
  if (!gar) throw new Error("registry.gar is not configured");
  return gar.workloadIdentityPool.split("/")[1]!;
}

/** The `registry.gar` pool's id (the last part of its full name). */
export function registryPoolId(platform: Platform): string {
  return platform.registry.gar!.workloadIdentityPool.split("/").at(-1)!;
}

/** TFC_GCP_WORKLOAD_PROVIDER_NAME: the full name of the HCP Terraform provider. */
export function terraformCloudProviderName(platform: Platform): string {
  return `projects/${projectNumber(platform)}/locations/global/workloadIdentityPools/${TERRAFORM_CLOUD_POOL_ID}/providers/${TERRAFORM_CLOUD_PROVIDER_ID}`;
}

/** The IAM member of one workspace's run phase as HCP Terraform's pool names it. */
export function terraformCloudPrincipal(platform: Platform, workspace: string, phase: RunPhase): string {
  return `principal://iam.googleapis.com/projects/${projectNumber(platform)}/locations/global/workloadIdentityPools/${TERRAFORM_CLOUD_POOL_ID}/subject/${terraformCloudSubject(platform, workspace, phase)}`;
}

/**
 * Which service accounts a workspace's phases impersonate: the google stack's own (also the gke
 * stack's), the registries', or the GKE namespace shards' (created by the gke stack).
 */
export type GoogleIdentity = "google" | "registry" | "gke-namespaces";

/** Account id (the part before `@`) of a plan or apply service account; at most 30 characters. */
export function serviceAccountId(identity: GoogleIdentity, phase: "plan" | "apply"): string {
  return `tfc-${identity}-${phase}`;
}

export function serviceAccountEmail(platform: Platform, identity: GoogleIdentity, phase: "plan" | "apply"): string {
  if (identity === "gke-namespaces") return gkeNamespacesServiceAccountEmail(platform, phase);
  return `${serviceAccountId(identity, phase)}@${platform.registry.gar!.project}.iam.gserviceaccount.com`;
}

/**
 * The Google identity of a workspace, or undefined when it does not reach Google: the google
 * stack, and the primary stack of a service whose repositories are in Artifact Registry.
 */
export function googleIdentityOf(platform: Platform, spec: StackSpec, registryKind?: "ecr" | "gar"): GoogleIdentity | undefined {
  if (!platform.registry.gar) return undefined;
  if (spec.kind === "google" || spec.kind === "gke") return "google";
  if (spec.kind === "gke-namespaces") return "gke-namespaces";
  if (spec.kind === "service" && spec.primary && registryKind === "gar" && !spec.tombstoned) return "registry";
  return undefined;
}

/** The environment variables of GCP dynamic credentials for a workspace of that identity. */
export function gcpCredentialsEnv(platform: Platform, identity: GoogleIdentity): Record<string, string> {
  return {
    TFC_GCP_PROVIDER_AUTH: "true",
    TFC_GCP_WORKLOAD_PROVIDER_NAME: terraformCloudProviderName(platform),
    TFC_GCP_PLAN_SERVICE_ACCOUNT_EMAIL: serviceAccountEmail(platform, identity, "plan"),
    TFC_GCP_APPLY_SERVICE_ACCOUNT_EMAIL: serviceAccountEmail(platform, identity, "apply"),
  };
}

/** The GCP dynamic credentials of a workspace, or undefined when it does not reach Google. */
export function gcpCredentialsOf(platform: Platform, spec: StackSpec, registryKind?: "ecr" | "gar"): Record<string, string> | undefined {
  const identity = googleIdentityOf(platform, spec, registryKind);
  return identity === undefined ? undefined : gcpCredentialsEnv(platform, identity);
}

/**
 * Pool (in the registry project, created by the google stack) through which GitHub Actions
 * push images: one OIDC provider per service admits only the service's repositories' release
 * workflow on `main`, and each repository is granted push by its `attribute.repository`.
 */
export const GITHUB_POOL_ID = "github-actions";

/** The OIDC provider of one service in the GitHub pool: 4-32 characters, follows the service's first key. */
export function githubProviderId(serviceKey: string): string {
  const id = `gh-${serviceKey}`;
  if (id.length <= 32) return id;
  return `gh-${serviceKey.slice(0, 19).replace(/-+$/, "")}-${fnv1a(serviceKey).toString(16).padStart(8, "0")}`;
}

/** Full name of a service's GitHub provider (the `workload_identity_provider` of google-github-actions/auth). */
export function githubProviderName(platform: Platform, serviceKey: string): string {
  return `projects/${projectNumber(platform)}/locations/global/workloadIdentityPools/${GITHUB_POOL_ID}/providers/${githubProviderId(serviceKey)}`;
}

/** The IAM member of every token of one GitHub repository that some provider of the pool admitted. */
export function githubRepositoryMember(platform: Platform, repository: string): string {
  return `principalSet://iam.googleapis.com/projects/${projectNumber(platform)}/locations/global/workloadIdentityPools/${GITHUB_POOL_ID}/attribute.repository/${platform.github.organization}/${repository}`;
}

/**
 * The attribute condition of a service's GitHub provider: a token of one of its repositories,
 * from the release workflow, on `main`. Any other repository, branch or workflow is refused
 * before it becomes a Google identity.
 */
export function githubProviderCondition(platform: Platform, repositories: readonly string[], workflow: string): string {
  const org = platform.github.organization;
  const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(", ")}]`;
  const repos = [...repositories].sort().map((r) => `${org}/${r}`);
  return `assertion.repository in ${list(repos)} && assertion.ref == 'refs/heads/main' && assertion.job_workflow_ref in ${list(repos.map((r) => `${r}/${workflow}@refs/heads/main`))}`;
}
