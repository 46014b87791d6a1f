import type { Platform } from "./schema.js";

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
