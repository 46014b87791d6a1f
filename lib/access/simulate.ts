import { createValidatedPolicy, validateIdentityPolicy, validateResourceControlPolicy, validateResourcePolicy, validateServiceControlPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { AccessCase } from "./cases";
import type { PolicyDocument, World } from "./world";

/*
 * Evaluates one case with @cloud-copilot/iam-simulate: the principal's identity policies and
 * permissions boundary, the SCPs of the principal account's path (root, OU, account), the RCPs
 * of the resource account's path, and the resource's own policy (a role's trust policy for the
 * sts:AssumeRole* actions).
 *
 * What the simulator does not model, and how the proofs deal with it:
 * - provider-specific OIDC claims (`app.terraform.io:sub`, `token.actions.githubusercontent.com:job_workflow_ref`)
 *   are not condition keys it accepts for sts:AssumeRoleWithWebIdentity: they are renamed, in the
 *   trust policy and in the request alike, to session-tag keys (`aws:RequestTag/oidc/<provider>/<claim>`),
 *   so the same operators compare the same values;
 * - AWS managed policies are stand-ins (aws-managed.ts); the management account is outside every SCP and RCP;
 * - Kubernetes RBAC, Google IAM and SaaS permissions are outside IAM: the access report lists them from config.
 */

export type Decision = "allow" | "deny";

export interface CaseResult {
  readonly case: AccessCase;
  readonly decision: Decision;
  /** "Allowed", "ExplicitlyDenied", "ImplicitlyDenied", or the simulator's error. */
  readonly detail: string;
  readonly passed: boolean;
}

const FULL_ACCESS: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const OIDC_KEY = /^([a-z0-9.-]+\.[a-z]{2,}(?:\/[A-Za-z0-9._/-]*)?):([a-z_]+)$/;

/** `app.terraform.io:sub` -> `aws:RequestTag/oidc/app.terraform.io/sub` (see above). */
export function oidcKeyStandIn(key: string): string {
  const m = OIDC_KEY.exec(key);
  return m && !key.startsWith("aws:") ? `aws:RequestTag/oidc/${m[1]}/${m[2]}` : key;
}

function renameOidcKeys(doc: unknown): unknown {
  if (Array.isArray(doc)) return doc.map(renameOidcKeys);
  if (doc && typeof doc === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) out[oidcKeyStandIn(k)] = renameOidcKeys(v);
    return out;
  }
  return doc;
}

const accountOfArn = (arn: string): string | undefined => /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

/** The account a resource ARN belongs to (S3 bucket ARNs carry none: the case names it). */
function resourceAccount(c: AccessCase): string {
  return c.resourceAccount ?? /^arn:aws:[^:]+:[^:]*:(\d{12}):/.exec(c.resource)?.[1] ?? "";
}

/** Organization path of an account for aws:PrincipalOrgPaths: `o-x/r-root/ou-name/`. */
export function orgPath(world: World, account: string): string {
  const ou = world.accounts.get(account)?.ou;
  return `${world.organizationId}/${world.rootId}/${ou ? `ou-${ou}/` : ""}`;
}

/** Organization policies of one type on an account's path, as the simulator's levels. */
function orgLevels(world: World, account: string, type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY") {
  const a = world.accounts.get(account);
  if (!a || account === world.managementAccount) return [];
  const targets = ["root", ...(a.ou ? [a.ou] : []), account];
  return targets.map((t) => ({
    orgIdentifier: t,
    policies: [
      ...(type === "SERVICE_CONTROL_POLICY" ? [{ name: "FullAWSAccess", policy: FULL_ACCESS }] : []),
      ...world.organizationPolicies.filter((p) => p.type === type && p.targets.includes(t)).map((p) => ({ name: p.name, policy: p.document })),
    ],
  }));
}

function resourcePolicyFor(world: World, c: AccessCase): unknown {
  if (c.action.startsWith("sts:AssumeRole")) return world.roles.get(c.resource)?.trust;
  const s3 = /^arn:aws:s3:::([^/]+)/.exec(c.resource);
  if (s3) return world.resourcePolicies.get(`arn:aws:s3:::${s3[1]}`)?.document;
  return world.resourcePolicies.get(c.resource)?.document;
}

/** Builds the simulator's input for a case. */
export function simulationOf(world: World, c: AccessCase): Simulation {
  const role = world.roles.get(c.principal);
  const principalAccount = c.principalAccount ?? accountOfArn(c.principal);
  const webIdentity = c.action === "sts:AssumeRoleWithWebIdentity";
  const service = /\.amazonaws\.com$/.test(c.principal);
  const identity = [
    ...(role?.policies ?? []).map((p) => ({ name: p.name, policy: p.document })),
    ...[...(role?.managedPolicyArns ?? []), ...(c.identityPolicyArns ?? [])].map((arn) => ({ name: arn, policy: world.managedPolicies.get(arn) ?? { Version: "2012-10-17", Statement: [] } })),
  ];
  const boundaryArn = c.permissionsBoundaryArn ?? role?.permissionsBoundary;
  const boundary = boundaryArn ? world.managedPolicies.get(boundaryArn) : undefined;
  const account = resourceAccount(c);
  const inOrg = (a: string | undefined) => a !== undefined && world.accounts.has(a);
  const context: Record<string, string | string[]> = {
    "aws:SecureTransport": "true",
    "aws:PrincipalIsAWSService": service ? "true" : "false",
    ...(account ? { "aws:ResourceAccount": account } : {}),
    ...(inOrg(account) ? { "aws:ResourceOrgID": world.organizationId } : {}),
    ...(principalAccount && !service && !webIdentity ? {
      "aws:PrincipalArn": c.principal,
      "aws:PrincipalAccount": principalAccount,
      ...(inOrg(principalAccount) ? { "aws:PrincipalOrgID": world.organizationId, "aws:PrincipalOrgPaths": [orgPath(world, principalAccount)] } : {}),
    } : {}),
  };
  const region = /^arn:aws:[^:]+:([a-z]{2}-[a-z]+-\d):/.exec(c.resource)?.[1];
  // Requests on region-less resources (IAM, S3 buckets, `*`) are made from the primary region.
  context["aws:RequestedRegion"] = region ?? world.regions[0]!;
  for (const [k, v] of Object.entries(c.context ?? {})) context[webIdentity ? oidcKeyStandIn(k) : k] = typeof v === "string" ? v : [...v];
  const trust = resourcePolicyFor(world, c);
  return {
    request: { principal: c.principal, action: c.action, resource: { resource: c.resource, accountId: account }, contextVariables: context },
    identityPolicies: service || webIdentity ? [] : identity,
    serviceControlPolicies: service || webIdentity || !principalAccount ? [] : orgLevels(world, principalAccount, "SERVICE_CONTROL_POLICY"),
    resourceControlPolicies: account ? orgLevels(world, account, "RESOURCE_CONTROL_POLICY") : [],
    ...(trust ? { resourcePolicy: webIdentity ? renameOidcKeys(trust) : trust } : {}),
    ...(boundary && !service && !webIdentity ? { permissionBoundaryPolicies: [{ name: boundaryArn!, policy: boundary }] } : {}),
  };
}

/*
 * Policies are validated once and reused (the simulator accepts validated policies as input):
 * the same SCPs, boundaries and managed policies appear in thousands of cases.
 */
type Validator = (doc: unknown) => unknown[];
const validated = new Map<Validator, WeakMap<object, unknown>>();
function once(doc: unknown, validate: Validator, name?: string): unknown {
  if (!doc || typeof doc !== "object") return doc;
  const cache = validated.get(validate) ?? new WeakMap<object, unknown>();
  validated.set(validate, cache);
  if (!cache.has(doc)) cache.set(doc, createValidatedPolicy(doc as never, validate as never, name ? { name } : undefined));
  return cache.get(doc);
}

function withValidatedPolicies(sim: Simulation): Simulation {
  return {
    ...sim,
    identityPolicies: sim.identityPolicies.map((p) => ({ name: p.name, policy: once(p.policy, validateIdentityPolicy, p.name) })),
    serviceControlPolicies: sim.serviceControlPolicies.map((l) => ({ ...l, policies: l.policies.map((p) => ({ name: p.name, policy: once(p.policy, validateServiceControlPolicy, p.name) })) })),
    resourceControlPolicies: sim.resourceControlPolicies.map((l) => ({ ...l, policies: l.policies.map((p) => ({ name: p.name, policy: once(p.policy, validateResourceControlPolicy, p.name) })) })),
    ...(sim.resourcePolicy ? { resourcePolicy: once(sim.resourcePolicy, validateResourcePolicy) } : {}),
    ...(sim.permissionBoundaryPolicies ? { permissionBoundaryPolicies: sim.permissionBoundaryPolicies.map((p) => ({ name: p.name, policy: once(p.policy, validateIdentityPolicy, p.name) })) } : {}),
  };
}

/** Runs one case. */
export async function evaluateCase(world: World, c: AccessCase): Promise<CaseResult> {
  const result = await runSimulation(withValidatedPolicies(simulationOf(world, c)), {});
  if (result.resultType === "error") {
    return { case: c, decision: "deny", detail: `simulator error: ${JSON.stringify(result.errors).slice(0, 400)}`, passed: false };
  }
  const decision: Decision = result.overallResult === "Allowed" ? "allow" : "deny";
  return { case: c, decision, detail: result.overallResult, passed: decision === c.expect };
}

/**
 * Runs every case; results come back in the cases' order. A few run at once: the simulator
 * awaits its action and resource-type data, and overlapping those waits saves about a third.
 */
export async function evaluateCases(world: World, cases: readonly AccessCase[], concurrency = 16): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (let i = 0; i < cases.length; i += concurrency) {
    out.push(...await Promise.all(cases.slice(i, i + concurrency).map((c) => evaluateCase(world, c))));
  }
  return out;
}
