import type { World } from "./world";

/** AWS Organizations: characters per SCP or RCP document. */
export const POLICY_SIZE_LIMIT = 5120;
/** AWS Organizations: policies of one type per target; FullAWSAccess (SCP) takes one of the five. */
export const POLICIES_PER_TARGET = 5;

/**
 * Problems with the organization policies as AWS would reject them: a document over 5,120
 * characters, or a target (root, OU, account) with more than five SCPs counting FullAWSAccess,
 * or more than four RCPs besides RCPFullAWSAccess.
 */
export function organizationPolicyLimits(world: World): string[] {
  const problems: string[] = [];
  for (const p of world.organizationPolicies) {
    if (p.size > POLICY_SIZE_LIMIT) problems.push(`${p.name} is ${p.size} characters; AWS allows ${POLICY_SIZE_LIMIT}. Fix: split its statements into another policy or shorten action lists with wildcards`);
  }
  const counts = new Map<string, number>();
  for (const p of world.organizationPolicies) {
    for (const t of p.targets) counts.set(`${p.type}\u0000${t}`, (counts.get(`${p.type}\u0000${t}`) ?? 0) + 1);
  }
  for (const [key, n] of [...counts].sort()) {
    const [type, target] = key.split("\u0000") as [string, string];
    // The default full-access policy stays attached to every target and counts against the quota.
    if (n + 1 > POLICIES_PER_TARGET) problems.push(`${target} has ${n} ${type === "SERVICE_CONTROL_POLICY" ? "SCPs" : "RCPs"} plus the default full-access policy; AWS allows ${POLICIES_PER_TARGET}. Fix: merge two of them`);
  }
  return problems;
}
