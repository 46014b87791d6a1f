import type { Platform } from "../config/schema";

/*
 * Names of the IAM roles on the human access path, shared by the stacks that create them and
 * the stacks that trust them (no cross-stack references: the names are the contract).
 *
 *   developer (identity provider) -> bastion account role `developer-<key>`
 *     -> service account role `team-<service>` (trusts only its owners' bastion roles)
 *     -> Kubernetes group of the service's namespace (EKS access entry)
 */

/** The role a developer signs in to in the bastion account. */
export function bastionRoleName(developerKey: string): string {
  return `developer-${developerKey}`;
}

export function bastionRoleArn(platform: Platform, developerKey: string): string {
  return `arn:aws:iam::${platform.accounts.bastion.id}:role/${bastionRoleName(developerKey)}`;
}

/** The service team's role in the service's own account. */
export function teamRoleName(serviceKey: string): string {
  return `team-${serviceKey}`;
}

/** The Kubernetes group a service team's role maps to. */
export function teamGroupName(serviceKey: string): string {
  return `team-${serviceKey}`;
}

/*
 * Machine identities of a service, also named here so the stacks that create them and the
 * stacks that trust them agree without cross-stack references.
 *
 *   GitHub Actions (repo:<org>/<repo>:ref:refs/heads/main) -> `ci-<service>` (pushes images)
 *   pod with service account `workload` in the service's namespace
 *     -> shared cluster: `pod-<service>-<region>` in the cluster account (EKS Pod Identity)
 *        -> `workload-<service>` in the service account (role chaining, no keys)
 *     -> dedicated cluster: `workload-<service>` directly (same account)
 */

/**
 * The only workflow file of a service's repositories whose jobs may assume its CI role (the
 * token's `job_workflow_ref`): another workflow merged to main cannot push images.
 */
export const RELEASE_WORKFLOW = ".github/workflows/release.yml";

/** The GitHub Actions role that pushes the service's images, in the service account. */
export function ciRoleName(serviceKey: string): string {
  return `ci-${serviceKey}`;
}

/** The role the service's pods act as, in the service account. */
export function workloadRoleName(serviceKey: string): string {
  return `workload-${serviceKey}`;
}

/** The EKS Pod Identity role in the shared cluster account that chains into `workload-<service>`. */
export function podIdentityRoleName(serviceKey: string, region: string): string {
  return `pod-${serviceKey}-${region}`;
}

/** The Kubernetes service account, in the service's namespace, that Pod Identity maps to the workload role. */
export const WORKLOAD_SERVICE_ACCOUNT = "workload";
