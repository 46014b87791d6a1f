import type { OrganizationModel } from "../config/model";
import { fnv1a, originalKey, planStacks, type StackSpec } from "../plan/stack-plan";
import { managementWorkspaces } from "../plan/workspace-plan";
import { slotValues } from "../plan/oidc";
import { AWS_MANAGED_POLICIES } from "./aws-managed";
import type { AccountView, OrganizationPolicyView, PolicyDocument, ResourcePolicyView, World } from "./world";

/*
 * Renders the synthesized stacks (parsed cdk.tf.json by stack name) into a World: every role
 * with its trust, inline, managed and boundary policies; the OIDC StackSet's roles in each
 * account it deploys to; the SCPs and RCPs with their targets; where each account sits; and
 * the resource policies of buckets, keys, repositories and secrets.
 *
 * Terraform expressions are resolved the way Terraform would after apply, with stand-in values
 * for what only exists in AWS (organization and OU IDs, vended account IDs, key IDs): the
 * organization ID is `o-<name>`, an OU's ID is `ou-<name>`, a service account's ID is a
 * 12-digit hash of its first key. An expression it cannot resolve is kept as `<expr>` and listed
 * in `unresolved`, so a proof never silently evaluates a guessed value.
 */

// Synthesized JSON is untyped by nature; every read below checks what it gets.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Stand-in ID of a vended service account: stable, 12 digits, starting with 9 (platform accounts are config data). */
export function serviceAccountId(serviceKey: string): string {
  return `9${String(fnv1a(serviceKey)).padStart(11, "0").slice(-11)}`;
}

/** Stand-in organization ID. */
export function organizationIdOf(model: OrganizationModel): string {
  return `o-${model.platform.name}`;
}

/** Builds the World from every synthesized stack. */
export function renderWorld(model: OrganizationModel, stacks: Readonly<Record<string, Json>>): World {
  const p = model.platform;
  const specs = new Map(planStacks(model).map((s) => [s.name, s]));
  const world: World = {
    organizationId: organizationIdOf(model),
    rootId: "r-root",
    managementAccount: p.accounts.management.id,
    regions: [...p.regions],
    accounts: new Map(),
    roles: new Map(),
    managedPolicies: new Map(Object.entries(AWS_MANAGED_POLICIES)),
    organizationPolicies: [],
    resourcePolicies: new Map(),
    unresolved: [],
  };
  for (const [key, a] of Object.entries(p.accounts)) world.accounts.set(a.id, { id: a.id, name: key, kind: "platform" });
  for (const s of [...model.services, ...(model.tombstones ?? [])]) {
    world.accounts.set(serviceAccountId(originalKey(s)), { id: serviceAccountId(originalKey(s)), name: s.key, kind: "service" });
  }

  // StackSet templates first: stack instances in other stacks deploy them.
  const templates = new Map<string, Json>();
  for (const json of Object.values(stacks)) {
    // Terraform reads `$${` as a literal `${` (the template's Fn::Sub placeholders).
    for (const r of Object.values((json.resource?.aws_cloudformation_stack_set ?? {}) as Json)) templates.set(String(r.name), JSON.parse(String(r.template_body).replaceAll("$${", "${")));
  }
  for (const name of Object.keys(stacks).sort()) {
    const spec = specs.get(name);
    if (!spec || spec.tombstoned) continue;
    renderStack(world, model, spec, stacks[name]!, templates);
  }
  // The management account's roles come from the manual bootstrap (README "Bootstrap"), from the same template.
  const template = templates.get("tfc-oidc-trust");
  if (template) {
    const workspaces = managementWorkspaces([...specs.values()]);
    addTemplateRoles(world, template, p.accounts.management.id, slotValues(workspaces, workspaces.length), "bootstrap");
  }
  return world;
}

/** Resolution context of one stack. */
interface Context {
  readonly world: World;
  readonly model: OrganizationModel;
  readonly spec: StackSpec;
  readonly json: Json;
  readonly account: string;
  readonly region: string;
}

function renderStack(world: World, model: OrganizationModel, spec: StackSpec, json: Json, templates: Map<string, Json>): void {
  const p = model.platform;
  const service = spec.service ? model.services.find((s) => s.key === spec.service) : undefined;
  const account = spec.account === "service" ? serviceAccountId(originalKey(service!)) : spec.account === "none" ? "" : p.accounts[spec.account].id;
  const ctx: Context = { world, model, spec, json, account, region: spec.region ?? p.regions[0]! };
  const res = (type: string): Array<[string, Json]> => Object.entries(json.resource?.[type] ?? {}) as Array<[string, Json]>;
  const text = (v: unknown) => resolve(ctx, v) as string;
  const doc = (v: unknown): PolicyDocument => parsePolicy(ctx, v);

  for (const [, r] of res("aws_iam_role")) {
    const name = text(r.name);
    const arn = `arn:aws:iam::${account}:role/${name}`;
    world.roles.set(arn, {
      arn, account, name, source: spec.name,
      trust: doc(r.assume_role_policy),
      policies: [],
      managedPolicyArns: [],
      permissionsBoundary: r.permissions_boundary ? text(r.permissions_boundary) : undefined,
      tags: (resolve(ctx, r.tags ?? {}) as Record<string, string>),
    });
  }
  const roleOf = (v: unknown) => world.roles.get(`arn:aws:iam::${account}:role/${text(v)}`);
  for (const [id, r] of res("aws_iam_role_policy")) {
    roleOf(r.role)?.policies.push({ name: `${spec.name}/${text(r.name ?? id)}`, document: doc(r.policy) });
  }
  for (const [, r] of res("aws_iam_policy")) {
    world.managedPolicies.set(`arn:aws:iam::${account}:policy/${text(r.name)}`, doc(r.policy));
  }
  for (const [, r] of res("aws_iam_role_policy_attachment")) roleOf(r.role)?.managedPolicyArns.push(text(r.policy_arn));
  for (const [, r] of res("aws_iam_policy_attachment")) {
    for (const role of (r.roles ?? []) as unknown[]) roleOf(role)?.managedPolicyArns.push(text(r.policy_arn));
  }

  // Organization policies and their attachments (organization stack).
  const policies = new Map<string, OrganizationPolicyView>();
  for (const [id, r] of res("aws_organizations_policy")) {
    const content = text(r.content);
    const view: OrganizationPolicyView = { name: text(r.name), type: r.type, document: doc(content), size: content.length, targets: [] };
    policies.set(id, view);
    world.organizationPolicies.push(view);
  }
  for (const [, r] of res("aws_organizations_policy_attachment")) {
    const policy = /aws_organizations_policy\.([^.]+)\.id/.exec(String(r.policy_id))?.[1];
    policies.get(policy ?? "")?.targets.push(targetOf(ctx, r.target_id));
  }

  // Where accounts sit: vended service accounts, and platform accounts the organization stack places.
  for (const [, r] of res("aws_organizations_account")) {
    const email = text(r.email).toLowerCase();
    const platformKey = Object.entries(p.accounts).find(([, a]) => a.email.toLowerCase() === email)?.[0];
    const id = platformKey ? p.accounts[platformKey as keyof typeof p.accounts].id : serviceAccountId(text(r.name));
    const known = world.accounts.get(id);
    const ou = targetOf(ctx, r.parent_id);
    world.accounts.set(id, { ...(known ?? { id, name: text(r.name), kind: "service" }), ou: ou === "root" ? undefined : ou } as AccountView);
  }

  // The OIDC StackSet's template, and the roles of each stack instance in its account.
  for (const [, r] of res("aws_cloudformation_stack_instances")) {
    const template = templates.get(text(r.stack_set_name));
    const targets = (r.deployment_targets?.accounts ?? []) as unknown[];
    if (!template) {
      world.unresolved.push(`${spec.name}: stack instances of ${text(r.stack_set_name)}, a StackSet no stack creates`);
      continue;
    }
    for (const t of targets) addTemplateRoles(world, template, accountOf(ctx, t), resolve(ctx, r.parameter_overrides ?? {}) as Record<string, string>, spec.name);
  }

  // Resource policies.
  const region = (r: Json) => (r.region ? text(r.region) : ctx.region);
  for (const [, r] of res("aws_s3_bucket_policy")) {
    const bucket = text(r.bucket);
    addResourcePolicy(world, { arn: `arn:aws:s3:::${bucket}`, account, kind: "s3", document: doc(r.policy), source: spec.name });
  }
  for (const [id, r] of res("aws_kms_key")) {
    if (r.policy) addResourcePolicy(world, { arn: kmsKeyArn(region(r), account, spec.name, id), account, kind: "kms", document: doc(r.policy), source: spec.name });
  }
  for (const [, r] of res("aws_ecr_repository_policy")) {
    addResourcePolicy(world, { arn: `arn:aws:ecr:${region(r)}:${account}:repository/${text(r.repository)}`, account, kind: "ecr", document: doc(r.policy), source: spec.name });
  }
  for (const [, r] of res("aws_secretsmanager_secret_policy")) {
    addResourcePolicy(world, { arn: text(r.secret_arn), account, kind: "secretsmanager", document: doc(r.policy), source: spec.name });
  }
}

function addResourcePolicy(world: World, view: ResourcePolicyView): void {
  world.resourcePolicies.set(view.arn, view);
}

/** Stand-in ARN of a KMS key: the stack and construct name in place of the key ID. */
export function kmsKeyArn(region: string, account: string, stack: string, id: string): string {
  return `arn:aws:kms:${region}:${account}:key/${stack}.${id}`;
}

/** Stand-in ARN of a Secrets Manager secret (AWS appends six random characters). */
export function secretArn(region: string, account: string, name: string): string {
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbCdEf`;
}

/** The roles a CloudFormation template creates in one account, with parameters substituted. */
function addTemplateRoles(world: World, template: Json, account: string, parameters: Record<string, string>, source: string): void {
  const params: Record<string, string> = {};
  for (const [name, def] of Object.entries((template.Parameters ?? {}) as Json)) params[name] = parameters[name] ?? (def as Json).Default ?? "";
  const conditionHolds = (name: string | undefined): boolean => {
    if (!name) return true;
    const c = template.Conditions?.[name];
    // The template's only condition shape: Fn::Not [ Fn::Equals [ Ref P, "" ] ].
    const ref = c?.["Fn::Not"]?.[0]?.["Fn::Equals"]?.[0]?.Ref;
    return ref === undefined ? true : params[ref] !== "";
  };
  const cfn = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(cfn);
    if (v && typeof v === "object") {
      const o = v as Json;
      if (typeof o["Fn::Sub"] === "string") return (o["Fn::Sub"] as string).replace(/\$\{([A-Za-z0-9:]+)\}/g, (_, n: string) => (n === "AWS::AccountId" ? account : params[n] ?? `<${n}>`));
      if (typeof o.Ref === "string") return o.Ref === "AWS::AccountId" ? account : params[o.Ref] ?? `ref:${o.Ref}`;
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, cfn(x)]));
    }
    return v;
  };
  const logical = new Map<string, string>();
  for (const [id, r] of Object.entries((template.Resources ?? {}) as Json)) {
    if (r.Type === "AWS::IAM::OIDCProvider") logical.set(id, `arn:aws:iam::${account}:oidc-provider/${String(r.Properties.Url).replace(/^https:\/\//, "")}`);
  }
  const withProviders = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replace(/"ref:([A-Za-z0-9]+)"/g, (m, id: string) => (logical.has(id) ? JSON.stringify(logical.get(id)) : m)));
  for (const [id, r] of Object.entries((template.Resources ?? {}) as Json)) {
    if (r.Type === "AWS::IAM::ManagedPolicy" && conditionHolds(r.Condition)) {
      const props = withProviders(cfn(r.Properties)) as Json;
      world.managedPolicies.set(`arn:aws:iam::${account}:policy/${props.ManagedPolicyName ?? id}`, props.PolicyDocument);
    }
  }
  for (const [, r] of Object.entries((template.Resources ?? {}) as Json)) {
    if (r.Type !== "AWS::IAM::Role" || !conditionHolds(r.Condition)) continue;
    const props = withProviders(cfn(r.Properties)) as Json;
    const name = String(props.RoleName);
    const arn = `arn:aws:iam::${account}:role/${name}`;
    world.roles.set(arn, {
      arn, account, name, source,
      trust: props.AssumeRolePolicyDocument,
      policies: ((props.Policies ?? []) as Json[]).map((x) => ({ name: `${source}/${x.PolicyName}`, document: x.PolicyDocument })),
      managedPolicyArns: [...((props.ManagedPolicyArns ?? []) as string[])],
      permissionsBoundary: props.PermissionsBoundary,
      tags: {},
    });
  }
}

/** `root`, an OU name or an account ID, from an attachment target or a parent ID. */
function targetOf(ctx: Context, v: unknown): string {
  const raw = String(v);
  const ou = /organizational_unit\.ou-([a-z0-9-]+?)(?:_[0-9A-F]{8})?\.id/.exec(raw);
  if (ou) return ou[1]!;
  if (/roots\[0\]\.id/.test(raw)) return "root";
  return accountOf(ctx, v);
}

function accountOf(ctx: Context, v: unknown): string {
  const raw = String(v);
  const vended = /^\$\{aws_organizations_account\.([^.]+)\.id\}$/.exec(raw);
  if (vended) {
    const r = ctx.json.resource?.aws_organizations_account?.[vended[1]!];
    if (r) return serviceAccountId(String(resolve(ctx, r.name)));
  }
  return String(resolve(ctx, v));
}

function parsePolicy(ctx: Context, v: unknown): PolicyDocument {
  if (v === undefined || v === null) return { Version: "2012-10-17", Statement: [] };
  if (typeof v === "object") return resolve(ctx, v) as PolicyDocument;
  const text = String(resolve(ctx, v));
  try {
    // Values inside the JSON text were resolved as text; parse after.
    return JSON.parse(text) as PolicyDocument;
  } catch {
    ctx.world.unresolved.push(`${ctx.spec.name}: policy is not JSON after resolution: ${text.slice(0, 120)}`);
    return { Version: "2012-10-17", Statement: [] };
  }
}

/** Resolves every `${...}` in strings, recursively. */
function resolve(ctx: Context, v: unknown): unknown {
  if (typeof v === "string") return v.includes("${") ? resolveText(ctx, v) : v;
  if (Array.isArray(v)) return v.map((x) => resolve(ctx, x));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Json).filter(([k]) => k !== "//").map(([k, x]) => [k, resolve(ctx, x)]));
  return v;
}

function resolveText(ctx: Context, text: string): string {
  // Terraform's `$${` is a literal `${`; keep it aside while resolving.
  const parts = text.split("$${");
  return parts.map((part, i) => (i === 0 ? "" : "${") + part.replace(/\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g, (_, expr: string) => {
    const value = resolveExpression(ctx, expr.trim());
    if (value === undefined) {
      ctx.world.unresolved.push(`${ctx.spec.name}: \${${expr}}`);
      return `<${expr}>`;
    }
    return value;
  })).join("");
}

function resolveExpression(ctx: Context, expr: string): string | undefined {
  const { world, model } = ctx;
  const p = model.platform;
  if (expr.startsWith("data.aws_organizations_organization.")) {
    if (expr.endsWith(".roots[0].id")) return world.rootId;
    if (expr.endsWith(".arn")) return `arn:aws:organizations::${p.accounts.management.id}:organization/${world.organizationId}`;
    if (expr.endsWith(".id")) return world.organizationId;
  }
  const ou = /^(?:data\.)?aws_organizations_organizational_unit\.ou-([a-z0-9-]+?)(?:_[0-9A-F]{8})?\.id$/.exec(expr);
  if (ou) return `ou-${ou[1]}`;
  if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(expr)) return ctx.account;
  const outputs = /^data\.tfe_outputs\.account-of-([a-z0-9-]+)\.nonsensitive_values\["account_id"\]$/.exec(expr);
  if (outputs) {
    const s = model.services.find((x) => x.key === outputs[1]);
    return s ? serviceAccountId(originalKey(s)) : undefined;
  }
  const ref = /^(data\.)?([a-z0-9_]+)\.([^.]+)\.([a-z_]+)$/.exec(expr);
  if (!ref) return undefined;
  const [, data, type, id, attr] = ref as unknown as [string, string | undefined, string, string, string];
  const body = (data ? ctx.json.data : ctx.json.resource)?.[type]?.[id] as Json | undefined;
  if (!body) return undefined;
  const field = (name: string) => (body[name] === undefined ? undefined : String(resolve(ctx, body[name])));
  const region = field("region") ?? ctx.region;
  if (data && type === "aws_iam_policy_document" && attr === "json") return JSON.stringify(policyDocumentJson(resolve(ctx, body) as Json));
  switch (`${type}.${attr}`) {
    case "aws_iam_role.arn": return `arn:aws:iam::${ctx.account}:role/${field("name")}`;
    case "aws_iam_role.name": case "aws_iam_role.id": return field("name");
    case "aws_iam_policy.arn": return `arn:aws:iam::${ctx.account}:policy/${field("name")}`;
    case "aws_s3_bucket.id": case "aws_s3_bucket.bucket": return field("bucket");
    case "aws_s3_bucket.arn": return `arn:aws:s3:::${field("bucket")}`;
    case "aws_kms_key.arn": return kmsKeyArn(region, ctx.account, ctx.spec.name, id);
    case "aws_kms_key.key_id": case "aws_kms_key.id": return `${ctx.spec.name}.${id}`;
    case "aws_secretsmanager_secret.arn": case "aws_secretsmanager_secret.id": return secretArn(region, ctx.account, field("name")!);
    case "aws_ecr_repository.name": case "aws_ecr_repository.id": return field("name");
    case "aws_ecr_repository.arn": return `arn:aws:ecr:${region}:${ctx.account}:repository/${field("name")}`;
    case "aws_iam_openid_connect_provider.arn": return `arn:aws:iam::${ctx.account}:oidc-provider/${field("url")?.replace(/^https:\/\//, "")}`;
    case "aws_ec2_transit_gateway_route_table.arn": return `arn:aws:ec2:${region}:${ctx.account}:transit-gateway-route-table/tgw-rtb-${(resolve(ctx, body.tags) as Json)?.Name ?? id}`;
    case "aws_eks_cluster.name": return field("name");
    case "aws_eks_cluster.arn": return `arn:aws:eks:${region}:${ctx.account}:cluster/${field("name")}`;
    case "aws_cloudwatch_log_group.arn": return `arn:aws:logs:${region}:${ctx.account}:log-group:${field("name")}`;
    default: return field(attr);
  }
}

/** The JSON `data aws_iam_policy_document` renders from its statement blocks. */
function policyDocumentJson(body: Json): Json {
  const statements = ((body.statement ?? []) as Json[]).map((s) => {
    const out: Json = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? "Allow";
    const principals = (list: Json[] | undefined) => {
      if (!list) return undefined;
      const by: Record<string, string[]> = {};
      for (const pr of list) (by[pr.type] ??= []).push(...(pr.identifiers as string[]));
      return by.AWS && by.AWS.length === 1 && by.AWS[0] === "*" && Object.keys(by).length === 1 ? "*" : by;
    };
    if (s.principals) out.Principal = principals(s.principals);
    if (s.not_principals) out.NotPrincipal = principals(s.not_principals);
    if (s.actions) out.Action = s.actions;
    if (s.not_actions) out.NotAction = s.not_actions;
    if (s.resources) out.Resource = s.resources;
    if (s.not_resources) out.NotResource = s.not_resources;
    if (s.condition) {
      const cond: Record<string, Record<string, string[]>> = {};
      for (const c of s.condition as Json[]) (cond[c.test] ??= {})[c.variable] = c.values;
      out.Condition = cond;
    }
    return out;
  });
  return { Version: "2012-10-17", Statement: statements };
}
