import { runSimulation, type SimulationOrgPolicies } from "@cloud-copilot/iam-simulate";
import { accountLabel, blocksOf, ORGANIZATION_ID, parsePolicy, resolverOf, ROOT_ID, type RoleView, serviceOus } from "./inventory";
import { managedPolicyDocument } from "./managed-policies";
import type { RehearsalContext } from "./types";

/*
 * IAM as the first apply meets it: the organization's SCPs and RCPs by OU (read from the
 * stacks that create and attach them), the OU path of every account, and one question asked
 * of `@cloud-copilot/iam-simulate`: may this role assume that one? It evaluates the caller's
 * identity policies, the target's trust policy and the SCPs and RCPs of both accounts' OU
 * paths as AWS does (an explicit deny anywhere wins; every SCP level must allow).
 */

const FULL_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Organization policies by attachment target (`r-root`, `ou-<name>` or an account ID), read from the stacks. */
export interface OrganizationPolicies {
  readonly scps: ReadonlyMap<string, ReadonlyArray<{ name: string; policy: unknown }>>;
  readonly rcps: ReadonlyMap<string, ReadonlyArray<{ name: string; policy: unknown }>>;
  /** Account ID -> its OU name (undefined: directly under the root). */
  readonly ouOf: (account: string) => string | undefined;
}

/** The SCPs and RCPs the stacks create and attach, and each account's OU (services from config; platform accounts under the root). */
export function organizationPoliciesOf(context: RehearsalContext): OrganizationPolicies {
  const scps = new Map<string, Array<{ name: string; policy: unknown }>>();
  const rcps = new Map<string, Array<{ name: string; policy: unknown }>>();
  for (const stack of context.stacks) {
    const resolve = resolverOf(context.model, stack);
    const policies = new Map<string, { name: string; type: string; policy: unknown }>();
    const ous = new Map<string, string>();
    for (const [type, name, block] of blocksOf(stack, "resource")) {
      if (type === "aws_organizations_policy") policies.set(name, { name: String(block.name ?? name), type: String(block.type ?? "SERVICE_CONTROL_POLICY"), policy: parsePolicy(resolve(String(block.content)) ?? "") });
      if (type === "aws_organizations_organizational_unit" && typeof block.name === "string") ous.set(name, `ou-${block.name}`);
    }
    for (const [type, , block] of blocksOf(stack, "resource")) {
      if (type !== "aws_organizations_policy_attachment") continue;
      const policy = policies.get(/^\$\{aws_organizations_policy\.([\w-]+)\.id\}$/.exec(String(block.policy_id))?.[1] ?? "");
      const ou = /^\$\{aws_organizations_organizational_unit\.([\w-]+)\.id\}$/.exec(String(block.target_id))?.[1];
      const target = ou ? ous.get(ou) : resolve(String(block.target_id));
      if (!policy || !target || policy.policy === undefined) continue;
      const into = policy.type === "RESOURCE_CONTROL_POLICY" ? rcps : scps;
      into.set(target, [...(into.get(target) ?? []), { name: policy.name, policy: policy.policy }]);
    }
  }
  const services = serviceOus(context.model);
  return { scps, rcps, ouOf: (account) => services.get(account) };
}

/** The OU path levels of an account, root first: `r-root`, then its OU, then the account. */
function levels(org: OrganizationPolicies, account: string): string[] {
  const ou = org.ouOf(account);
  return [ROOT_ID, ...(ou ? [`ou-${ou}`] : []), account];
}

function orgPolicies(org: OrganizationPolicies, account: string, kind: "scps" | "rcps", action: string): SimulationOrgPolicies[] {
  return levels(org, account).map((level) => ({
    orgIdentifier: level,
    // Every level of an organization carries FullAWSAccess unless someone detached it.
    policies: [...(kind === "scps" ? [{ name: "FullAWSAccess", policy: FULL_ACCESS }] : []), ...(org[kind].get(level) ?? []).map((p) => ({ name: p.name, policy: relevantTo(p.policy, action) }))],
  }));
}

/** The identity policies of a role as documents; managed policies the snapshot lacks are named in `unknown`. */
export function identityPoliciesOf(role: Pick<RoleView, "managedPolicies" | "inlinePolicies">): { policies: Array<{ name: string; policy: unknown }>; unknown: string[] } {
  const policies: Array<{ name: string; policy: unknown }> = [];
  const unknown: string[] = [];
  for (const arn of role.managedPolicies) {
    const doc = managedPolicyDocument(arn);
    if (doc === undefined) unknown.push(arn);
    else policies.push({ name: arn, policy: doc });
  }
  role.inlinePolicies.forEach((p, i) => {
    if (p && typeof p === "object") policies.push({ name: `inline-${i}`, policy: p });
  });
  return { policies, unknown };
}

/** Whether an IAM action pattern (`sts:*`, `sts:Assume*`) matches an action, case-insensitively as IAM does. */
function actionMatches(pattern: string, action: string): boolean {
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i").test(action);
}

/**
 * A policy with only the statements that can apply to `action`: a statement whose Action
 * matches nothing of it takes no part in the decision, so dropping it changes no result and
 * spares the evaluator the thousands of actions of a policy like ReadOnlyAccess.
 */
export function relevantTo(policy: any, action: string): unknown {
  if (!policy || typeof policy !== "object") return policy;
  const known = relevant.get(policy)?.get(action);
  if (known) return known;
  const statements = [].concat(policy.Statement ?? []) as any[];
  const out = { ...policy, Statement: statements.filter((st) => st?.NotAction !== undefined || ([].concat(st?.Action ?? []) as string[]).some((a) => actionMatches(a, action))) };
  relevant.set(policy, (relevant.get(policy) ?? new Map()).set(action, out));
  return out;
}

/** Filtered policies by document and action: the same managed policy is asked about for every workspace. */
const relevant = new WeakMap<object, Map<string, unknown>>();

/** Why an `sts:AssumeRole` is refused, or undefined when it is allowed. */
export async function assumeRoleRefusal(context: RehearsalContext, org: OrganizationPolicies, caller: { arn: string; account: string; policies: Array<{ name: string; policy: unknown }> }, target: { arn: string; account: string; trust: unknown }, region: string | undefined): Promise<string | undefined> {
  const ou = org.ouOf(caller.account);
  const request = {
    principal: caller.arn,
    action: "sts:AssumeRole",
    resource: { resource: target.arn, accountId: target.account },
    contextVariables: {
      "aws:PrincipalArn": caller.arn,
      "aws:PrincipalAccount": caller.account,
      "aws:PrincipalOrgID": ORGANIZATION_ID,
      "aws:PrincipalOrgPaths": [`${ORGANIZATION_ID}/${ROOT_ID}/${ou ? `ou-${ou}/` : ""}`],
      "aws:PrincipalIsAWSService": "false",
      "aws:PrincipalType": "AssumedRole",
      ...(region ? { "aws:RequestedRegion": region } : {}),
    },
  };
  const run = async (identity: Array<{ name: string; policy: unknown }>, trust: unknown, withOrg: boolean) => {
    const result = await runSimulation({
      request,
      identityPolicies: identity,
      serviceControlPolicies: withOrg ? orgPolicies(org, caller.account, "scps", request.action) : [],
      resourceControlPolicies: withOrg ? orgPolicies(org, target.account, "rcps", request.action) : [],
      resourcePolicy: trust,
    }, {});
    if (result.resultType === "error") return `the policies could not be evaluated: ${result.errors.message}`;
    return result.resultType === "single" ? result.overallResult : "ImplicitlyDenied";
  };
  const policies = caller.policies.map((p) => ({ name: p.name, policy: relevantTo(p.policy, request.action) }));
  const full = await run(policies, target.trust, true);
  if (full === "Allowed") return undefined;
  if (full.startsWith("the policies")) return full;
  // Which parts refuse: the trust alone, the caller's permissions alone, else the organization's policies.
  const who = `${caller.arn.split("/").pop()} (${accountLabel(context.model, caller.account)})`;
  const reasons: string[] = [];
  if ((await run([{ name: "all", policy: FULL_ACCESS }], target.trust, false)) !== "Allowed") reasons.push(`the trust policy of ${target.arn} does not admit ${who}`);
  const anyone = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Resource: target.arn }] };
  if ((await run(policies, anyone, false)) !== "Allowed") reasons.push(`the permissions of ${who} do not allow sts:AssumeRole on it`);
  return reasons.length > 0 ? reasons.join(", and ") : `an SCP or RCP of the organization denies ${who} sts:AssumeRole on ${target.arn}`;
}
