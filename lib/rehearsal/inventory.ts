import type { OrganizationModel } from "../config/model";
import { providedKeys } from "../config/prerequisites";
import { fnv1a, originalKey, type StackSpec } from "../plan/stack-plan";
import type { RehearsalContext, RehearsalStack } from "./types";

/*
 * What every stack creates, indexed by the keys other stacks need it by. A key is an ARN
 * (`arn:aws:iam::<account>:role/<name>`, `arn:aws:s3:::<bucket>`, `arn:aws:kms:<region>:<account>:alias/<name>`,
 * `arn:aws:eks:<region>:<account>:cluster/<name>`, `...:oidc-provider/<host>`, `...:saml-provider/<name>`)
 * or `<kind>:<identifier>`:
 *
 *   aws-organization, aws-account:<id>, aws-ou:<name>, ram-sharing-with-organization,
 *   guardduty-detector:<account>:<region>, cloudformation-stack-set:<account>:<name>,
 *   tfe-organization:<org>, tfe-project:<org>:<name>, tfe-workspace:<org>:<name>,
 *   tfe-team:<org>:<name>, tfe-outputs:<org>:<workspace>:<output>, tfe-oauth-client:<org>:<name>,
 *   tfe-organization-membership:<org>:<email>,
 *   github-organization:<org>, datadog-organization, datadog-role:<name>, datadog-user:<email>,
 *   pagerduty-account, pagerduty-user:<email>, slack-workspace,
 *   gcp-project:<project>, gcp-workload-identity-pool:projects/<number>/locations/global/workloadIdentityPools/<id>,
 *   gke-cluster:<project>/<location>/<name>, gcp-service-account:<email>
 *
 * Prerequisites (config/platform.ts) provide keys in the same vocabulary. Things found by tag
 * (subnets, Transit Gateways, route tables) are indexed with their tags, the provider's
 * `default_tags` included, as AWS reports them.
 */

/** The organization ID and root ID stand-ins the rehearsal resolves lookups to (AWS makes the real ones). */
export const ORGANIZATION_ID = "o-rehearsal";
export const ROOT_ID = "r-root";

/** A stand-in 12-digit ID for a service's vended account (AWS assigns the real one when the account is created). */
export function serviceAccountId(serviceKey: string): string {
  return `9${String(fnv1a(serviceKey) % 1e11).padStart(11, "0")}`;
}

/** Per-model lookups every check repeats: services by their first key, account IDs and labels. */
interface ModelIndex {
  readonly byOriginalKey: ReadonlyMap<string, OrganizationModel["services"][number]>;
  readonly byKey: ReadonlyMap<string, OrganizationModel["services"][number]>;
  readonly labels: ReadonlyMap<string, string>;
}
const modelIndexes = new WeakMap<OrganizationModel, ModelIndex>();

function modelIndex(model: OrganizationModel): ModelIndex {
  let index = modelIndexes.get(model);
  if (!index) {
    const all = [...model.services, ...(model.tombstones ?? [])];
    const labels = new Map<string, string>();
    for (const s of all) labels.set(serviceAccountId(originalKey(s)), `${s.key} account`);
    for (const [name, acct] of Object.entries(model.platform.accounts)) labels.set(acct.id, `${name} account (${acct.id})`);
    index = { byOriginalKey: new Map(all.map((s) => [originalKey(s), s])), byKey: new Map(all.map((s) => [s.key, s])), labels };
    modelIndexes.set(model, index);
  }
  return index;
}

/** The AWS account a stack's default provider reaches, or undefined for stacks without AWS. */
export function stackAccountId(model: OrganizationModel, spec: StackSpec): string | undefined {
  if (spec.account === "none") return undefined;
  if (spec.account === "service") {
    const s = modelIndex(model).byKey.get(spec.service!);
    return serviceAccountId(s ? originalKey(s) : spec.service!);
  }
  return model.platform.accounts[spec.account].id;
}

/** A readable name for an account ID: `network account (100000000004)` or `payments account`. */
export function accountLabel(model: OrganizationModel, id: string): string {
  return modelIndex(model).labels.get(id) ?? `account ${id}`;
}

/** The service account IDs of the model, by ID, with the service's organizational unit. */
export function serviceOus(model: OrganizationModel): Map<string, string> {
  return new Map([...modelIndex(model).byOriginalKey].map(([key, s]) => [serviceAccountId(key), s.account.ou]));
}

/** One provider configuration of a stack, with the account and region it reaches. */
export interface ProviderView {
  /** `aws`, `aws.network`, `kubernetes`, ... */
  readonly address: string;
  readonly type: string;
  readonly config: Record<string, any>;
  readonly account?: string;
  readonly region?: string;
  /** Tags the provider adds to every resource it creates (`default_tags`). */
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** Every provider configuration of a stack. */
export function providersOf(model: OrganizationModel, stack: RehearsalStack): ProviderView[] {
  const out: ProviderView[] = [];
  const own = stackAccountId(model, stack.spec);
  for (const [type, list] of Object.entries(stack.json?.provider ?? {})) {
    for (const config of (Array.isArray(list) ? list : [list]) as Array<Record<string, any>>) {
      const address = config.alias ? `${type}.${config.alias}` : type;
      const assumed = type === "aws" ? /^arn:aws:iam::(\d{12}):role\//.exec(String(config.assume_role?.[0]?.role_arn ?? config.assume_role?.role_arn ?? ""))?.[1] : undefined;
      const account = type === "aws" ? (config.allowed_account_ids?.[0] ?? assumed ?? own) : undefined;
      const defaultTags = Object.assign({}, ...[].concat(config.default_tags ?? []).map((d: any) => d?.tags ?? {}));
      out.push({ address, type, config, account, region: config.region, defaultTags });
    }
  }
  return out;
}

/** The provider a resource or data source uses: its `provider` attribute, else the type's default. */
export function providerOf(providers: readonly ProviderView[], type: string, block: Record<string, any>): ProviderView | undefined {
  const wanted = typeof block.provider === "string" ? block.provider : type.split("_")[0]!;
  return providers.find((p) => p.address === wanted);
}

/** Every resource (or data source) of a stack as [type, name, block]. */
export function blocksOf(stack: RehearsalStack, kind: "resource" | "data"): Array<[string, string, Record<string, any>]> {
  const out: Array<[string, string, Record<string, any>]> = [];
  for (const [type, byName] of Object.entries(stack.json?.[kind] ?? {})) {
    for (const [name, block] of Object.entries(byName as Record<string, Record<string, any>>)) out.push([type, name, block]);
  }
  return out;
}

/**
 * Resolves the interpolations of a string whose value the rehearsal can know before apply:
 * the caller's account and region, the organization and its OUs looked up by name, a vended
 * account's ID. Returns undefined when anything else is interpolated (a value Terraform only
 * learns from a resource of the same stack, which it orders by itself).
 */
export function resolverOf(model: OrganizationModel, stack: RehearsalStack): (text: string) => string | undefined {
  const providers = providersOf(model, stack);
  const data = stack.json?.data ?? {};
  const resources = stack.json?.resource ?? {};
  const management = model.platform.accounts.management.id;
  const byOriginalKey = modelIndex(model).byOriginalKey;
  const token = (expr: string): string | undefined => {
    let m = /^data\.aws_caller_identity\.([\w-]+)\.account_id$/.exec(expr);
    if (m) return providerOf(providers, "aws_caller_identity", data.aws_caller_identity?.[m[1]!] ?? {})?.account;
    m = /^data\.aws_region\.([\w-]+)\.(name|region)$/.exec(expr);
    if (m) return providerOf(providers, "aws_region", data.aws_region?.[m[1]!] ?? {})?.region;
    if (/^data\.aws_partition\.[\w-]+\.partition$/.test(expr)) return "aws";
    m = /^data\.aws_organizations_organization\.[\w-]+\.(id|arn|roots\[0\]\.id|master_account_id)$/.exec(expr);
    if (m) return { id: ORGANIZATION_ID, arn: `arn:aws:organizations::${management}:organization/${ORGANIZATION_ID}`, "roots[0].id": ROOT_ID, master_account_id: management }[m[1]!];
    m = /^data\.aws_organizations_organizational_unit\.([\w-]+)\.id$/.exec(expr);
    if (m) {
      const name = data.aws_organizations_organizational_unit?.[m[1]!]?.name;
      return typeof name === "string" ? `ou-${name}` : undefined;
    }
    m = /^aws_organizations_account\.([\w-]+)\.id$/.exec(expr);
    if (m) {
      const name = resources.aws_organizations_account?.[m[1]!]?.name;
      const service = typeof name === "string" ? byOriginalKey.get(name) : undefined;
      return service ? serviceAccountId(originalKey(service)) : undefined;
    }
    return undefined;
  };
  return (text: string) => {
    let unresolved = false;
    // `$${` is a literal `${` in Terraform's JSON syntax, never an interpolation.
    const out = text.replace(/(\$?)\$\{([^}]*)\}/g, (all, escape: string, expr: string) => {
      if (escape === "$") return all.slice(1);
      const value = token(expr.trim());
      if (value === undefined) unresolved = true;
      return value ?? all;
    });
    return unresolved ? undefined : out;
  };
}

/** Something a stack creates (or a prerequisite provides), as other stacks find it. */
export interface Provision {
  /** Stack name, or `prerequisite <id>`. */
  readonly stack: string;
  /** Apply wave of the stack; -1 for prerequisites. */
  readonly wave: number;
  /** Terraform address in the stack (`aws_s3_bucket.trail`), or the prerequisite id. */
  readonly address: string;
  /** Resource type (`aws_subnet`), or "prerequisite". */
  readonly type: string;
  readonly account?: string;
  readonly region?: string;
  /** Tags as AWS reports them: the provider's `default_tags` and the resource's own. */
  readonly tags: Readonly<Record<string, string>>;
}

/** An IAM role some stack creates, with what the identity check evaluates. */
export interface RoleView {
  readonly arn: string;
  readonly provision: Provision;
  /** Trust policy, parsed (undefined when it depends on values only AWS knows). */
  readonly trust?: unknown;
  /** Managed policy ARNs attached to it. */
  readonly managedPolicies: readonly string[];
  /** Inline policies, parsed. */
  readonly inlinePolicies: readonly unknown[];
}

/** The index of every stack's creations and the prerequisites. */
export interface Inventory {
  /** Exact keys -> who provides them. */
  readonly byKey: ReadonlyMap<string, readonly Provision[]>;
  /** Keys with `*` (prerequisites such as `arn:aws:iam::<id>:role/tfc-plan-*`), as patterns by the text before the first `*`. */
  readonly patterns: ReadonlyMap<string, ReadonlyArray<{ readonly pattern: RegExp; readonly key: string; readonly provision: Provision }>>;
  /** Tagged AWS resources, for lookups by tag. */
  readonly tagged: readonly Provision[];
  /** IAM roles by ARN. */
  readonly roles: ReadonlyMap<string, RoleView>;
}

/** Who provides a key: exact matches first, then `*` patterns. */
export function providersOfKey(inventory: Inventory, key: string): Provision[] {
  const out = [...(inventory.byKey.get(key) ?? [])];
  for (const [prefix, patterns] of inventory.patterns) {
    if (key.startsWith(prefix)) for (const p of patterns) if (p.pattern.test(key)) out.push(p.provision);
  }
  return out;
}

/** A policy document from a string attribute, or undefined when it is not JSON. */
export function parsePolicy(text: unknown): any {
  if (typeof text !== "string") return typeof text === "object" ? text : undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function globPattern(key: string): RegExp {
  return new RegExp(`^${key.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Role ARN as IAM reports it: the path (default `/`) sits between `role` and the name. */
function roleArnOf(account: string, name: string, path = "/"): string {
  return `arn:aws:iam::${account}:role${path}${name}`;
}

const inventories = new WeakMap<RehearsalContext, Inventory>();

/** The index of what every stack of the context creates and what the prerequisites provide (built once per context). */
export function inventoryOf(context: RehearsalContext): Inventory {
  let inventory = inventories.get(context);
  if (!inventory) inventories.set(context, (inventory = buildInventory(context)));
  return inventory;
}

function buildInventory(context: RehearsalContext): Inventory {
  const model = context.model;
  const byKey = new Map<string, Provision[]>();
  const patterns = new Map<string, Array<{ pattern: RegExp; key: string; provision: Provision }>>();
  const tagged: Provision[] = [];
  const roles = new Map<string, RoleView>();
  const add = (key: string, provision: Provision) => {
    const prefix = key.slice(0, key.indexOf("*"));
    if (key.includes("*")) patterns.set(prefix, [...(patterns.get(prefix) ?? []), { pattern: globPattern(key), key, provision }]);
    else {
      const list = byKey.get(key);
      if (list) list.push(provision);
      else byKey.set(key, [provision]);
    }
  };
  for (const { key, prerequisite } of providedKeys(model.platform)) {
    add(key, { stack: `prerequisite ${prerequisite}`, wave: -1, address: prerequisite, type: "prerequisite", tags: {} });
  }
  const tfcOrg = model.platform.terraformCloud.organization;
  // Stack sets by name, so their instances can be expanded into the roles they create.
  const stackSets = new Map<string, { template: any; stack: string }>();
  for (const stack of context.stacks) {
    for (const [type, , block] of blocksOf(stack, "resource")) {
      if (type === "aws_cloudformation_stack_set" && typeof block.name === "string") stackSets.set(block.name, { template: parsePolicy(block.template_body), stack: stack.spec.name });
    }
  }
  for (const stack of context.stacks) {
    const providers = providersOf(model, stack);
    const resolve = resolverOf(model, stack);
    const text = (v: unknown) => (typeof v === "string" ? resolve(v) : undefined);
    const attachments = new Map<string, string[]>();
    const inline = new Map<string, unknown[]>();
    for (const [type, , block] of blocksOf(stack, "resource")) {
      const role = /^\$\{aws_iam_role\.([\w-]+)\.(name|id)\}$/.exec(String(block.role ?? ""))?.[1];
      if (!role) continue;
      if (type === "aws_iam_role_policy_attachment" && typeof block.policy_arn === "string") attachments.set(role, [...(attachments.get(role) ?? []), block.policy_arn]);
      if (type === "aws_iam_role_policy") inline.set(role, [...(inline.get(role) ?? []), resolvedPolicy(block.policy, resolve, stack)]);
    }
    for (const [type, name, block] of blocksOf(stack, "resource")) {
      const provider = providerOf(providers, type, block);
      const account = provider?.account;
      const region = text(block.region) ?? provider?.region;
      const provision: Provision = { stack: stack.spec.name, wave: stack.wave, address: `${type}.${name}`, type, account, region, tags: { ...(provider?.defaultTags ?? {}), ...(typeof block.tags === "object" ? block.tags : {}) } };
      if (type.startsWith("aws_") && (typeof block.tags === "object" || Object.keys(provision.tags).length > 0)) tagged.push(provision);
      const keys: string[] = [];
      switch (type) {
        case "aws_s3_bucket": if (text(block.bucket)) keys.push(`arn:aws:s3:::${text(block.bucket)}`); break;
        case "aws_iam_role": {
          const roleName = text(block.name);
          if (roleName && account) {
            const arn = roleArnOf(account, roleName, block.path);
            keys.push(arn);
            roles.set(arn, { arn, provision, trust: resolvedPolicy(block.assume_role_policy, resolve, stack), managedPolicies: [...(block.managed_policy_arns ?? []), ...(attachments.get(name) ?? [])], inlinePolicies: [...[].concat(block.inline_policy ?? []).map((p: any) => resolvedPolicy(p.policy, resolve, stack)), ...(inline.get(name) ?? [])] });
          }
          break;
        }
        case "aws_iam_openid_connect_provider": if (text(block.url) && account) keys.push(`arn:aws:iam::${account}:oidc-provider/${text(block.url)!.replace(/^https:\/\//, "")}`); break;
        case "aws_iam_saml_provider": if (text(block.name) && account) keys.push(`arn:aws:iam::${account}:saml-provider/${text(block.name)}`); break;
        case "aws_kms_alias": if (text(block.name) && account) keys.push(`arn:aws:kms:${region}:${account}:${text(block.name)}`); break;
        case "aws_eks_cluster": if (text(block.name) && account) keys.push(`arn:aws:eks:${region}:${account}:cluster/${text(block.name)}`); break;
        case "aws_iam_service_linked_role":
          // Its name is the service's (AWSServiceRoleForConfig); the path names the service.
          if (text(block.aws_service_name) && account) keys.push(`arn:aws:iam::${account}:role/aws-service-role/${text(block.aws_service_name)}/*`);
          break;
        case "aws_organizations_organizational_unit": if (text(block.name)) keys.push(`aws-ou:${text(block.name)}`); break;
        case "aws_organizations_account": { const id = resolve(`\${${type}.${name}.id}`); if (id) keys.push(`aws-account:${id}`); break; }
        case "aws_organizations_organization": keys.push("aws-organization"); break;
        case "aws_ram_sharing_with_organization": keys.push("ram-sharing-with-organization"); break;
        case "aws_guardduty_organization_admin_account": if (text(block.admin_account_id)) keys.push(`guardduty-detector:${text(block.admin_account_id)}:${region}`); break;
        case "aws_guardduty_detector": if (account) keys.push(`guardduty-detector:${account}:${region}`); break;
        case "aws_cloudformation_stack_set": if (text(block.name) && account) keys.push(`cloudformation-stack-set:${account}:${text(block.name)}`); break;
        case "aws_cloudformation_stack_instances":
        case "aws_cloudformation_stack_instance": {
          const set = stackSets.get(String(block.stack_set_name));
          const targets: unknown[] = [].concat(block.deployment_targets?.accounts ?? [], block.account_id ?? []);
          for (const target of targets) {
            const id = text(target);
            if (!id || !set?.template) continue;
            for (const [arn, role] of templateRoles(set.template, block.parameter_overrides ?? {}, id)) {
              keys.push(arn);
              roles.set(arn, { arn, provision, ...role });
            }
            for (const res of Object.values(set.template.Resources ?? {}) as any[]) {
              if (res?.Type === "AWS::IAM::OIDCProvider" && typeof res.Properties?.Url === "string") keys.push(`arn:aws:iam::${id}:oidc-provider/${res.Properties.Url.replace(/^https:\/\//, "")}`);
            }
          }
          break;
        }
        case "tfe_organization": if (text(block.name)) keys.push(`tfe-organization:${text(block.name)}`); break;
        case "tfe_project": if (text(block.name)) keys.push(`tfe-project:${text(block.organization) ?? tfcOrg}:${text(block.name)}`); break;
        case "tfe_workspace": if (text(block.name)) keys.push(`tfe-workspace:${text(block.organization) ?? tfcOrg}:${text(block.name)}`); break;
        case "tfe_team": if (text(block.name)) keys.push(`tfe-team:${text(block.organization) ?? tfcOrg}:${text(block.name)}`); break;
        case "tfe_agent_pool": if (text(block.name)) keys.push(`tfe-agent-pool:${text(block.organization) ?? tfcOrg}:${text(block.name)}`); break;
        case "tfe_oauth_client": if (text(block.name)) keys.push(`tfe-oauth-client:${text(block.organization) ?? tfcOrg}:${text(block.name)}`); break;
        case "tfe_organization_membership": if (text(block.email)) keys.push(`tfe-organization-membership:${text(block.organization) ?? tfcOrg}:${text(block.email)}`); break;
        case "datadog_user": if (text(block.email)) keys.push(`datadog-user:${text(block.email)}`); break;
        case "datadog_role": if (text(block.name)) keys.push(`datadog-role:${text(block.name)}`); break;
        case "pagerduty_user": if (text(block.email)) keys.push(`pagerduty-user:${text(block.email)}`); break;
        case "google_container_cluster": {
          const project = text(block.project) ?? text(provider?.config.project);
          if (text(block.name) && project && text(block.location)) keys.push(`gke-cluster:${project}/${text(block.location)}/${text(block.name)}`);
          break;
        }
        case "google_service_account": {
          const project = text(block.project) ?? text(provider?.config.project);
          if (text(block.account_id) && project) keys.push(`gcp-service-account:${text(block.account_id)}@${project}.iam.gserviceaccount.com`);
          break;
        }
        case "google_iam_workload_identity_pool": if (text(block.workload_identity_pool_id)) keys.push(`gcp-workload-identity-pool:projects/*/locations/global/workloadIdentityPools/${text(block.workload_identity_pool_id)}`); break;
        default: break;
      }
      for (const key of keys) add(key, provision);
    }
    for (const output of Object.keys(stack.json?.output ?? {})) {
      add(`tfe-outputs:${tfcOrg}:${stack.spec.name}:${output}`, { stack: stack.spec.name, wave: stack.wave, address: `output.${output}`, type: "output", tags: {} });
    }
  }
  return { byKey, patterns, tagged, roles };
}

/** A policy attribute as a document, its knowable interpolations resolved (`data.aws_iam_policy_document` included). */
export function resolvedPolicy(value: unknown, resolve: (text: string) => string | undefined, stack: RehearsalStack): unknown {
  if (typeof value !== "string") return undefined;
  const doc = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(value);
  if (doc) return policyDocumentOf(stack.json?.data?.aws_iam_policy_document?.[doc[1]!], resolve);
  const text = resolve(value);
  return text === undefined ? undefined : parsePolicy(text);
}

/**
 * The IAM JSON a `data.aws_iam_policy_document` renders, with unknowable values left as their
 * Terraform expression (they then match nothing, as an unknown value would not).
 */
export function policyDocumentOf(block: any, resolve: (text: string) => string | undefined): unknown {
  if (!block) return undefined;
  const value = (v: string) => resolve(v) ?? v;
  const list = (v: unknown) => [].concat((v ?? []) as never[]).map((x) => value(String(x)));
  const principals = (ps: unknown) => {
    const out: Record<string, string[]> = {};
    for (const p of [].concat((ps ?? []) as never[]) as any[]) out[p.type === "*" ? "AWS" : p.type] = [...(out[p.type] ?? []), ...list(p.identifiers)];
    return out;
  };
  return {
    Version: "2012-10-17",
    Statement: [].concat((block.statement ?? []) as never[]).map((s: any) => {
      const st: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
      if (s.sid) st.Sid = s.sid;
      if (s.actions) st.Action = list(s.actions);
      if (s.not_actions) st.NotAction = list(s.not_actions);
      if (s.resources) st.Resource = list(s.resources);
      if (s.not_resources) st.NotResource = list(s.not_resources);
      if (s.principals) st.Principal = principals(s.principals);
      if (s.not_principals) st.NotPrincipal = principals(s.not_principals);
      if (s.condition) {
        const cond: Record<string, Record<string, string[]>> = {};
        for (const c of [].concat(s.condition) as any[]) cond[c.test] = { ...(cond[c.test] ?? {}), [c.variable]: list(c.values) };
        st.Condition = cond;
      }
      if (!st.Resource && !st.NotResource && !s.principals) st.Resource = "*";
      return st;
    }),
  };
}

/**
 * The IAM roles a CloudFormation template creates in one account, by ARN, with parameters
 * filled in from the instance's overrides (or their defaults); a role whose condition leaves
 * it out (an empty workspace slot) is skipped.
 */
function templateRoles(template: any, overrides: Record<string, string>, account: string): Array<[string, Omit<RoleView, "arn" | "provision">]> {
  const params: Record<string, string> = {};
  for (const [name, p] of Object.entries(template.Parameters ?? {}) as Array<[string, any]>) params[name] = overrides[name] ?? p?.Default ?? "";
  const sub = (v: unknown): unknown => {
    if (typeof v === "string") return v;
    if (Array.isArray(v)) return v.map(sub);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o["Fn::Sub"] === "string") return (o["Fn::Sub"] as string).replace(/\$\{([\w:.]+)\}/g, (_, n: string) => (n === "AWS::AccountId" ? account : params[n] ?? `\${${n}}`));
      if (o.Ref === "AWS::AccountId") return account;
      if (typeof o.Ref === "string" && template.Resources?.[o.Ref]?.Type === "AWS::IAM::OIDCProvider") {
        return `arn:aws:iam::${account}:oidc-provider/${String(template.Resources[o.Ref].Properties?.Url ?? "").replace(/^https:\/\//, "")}`;
      }
      if (typeof o.Ref === "string") return params[o.Ref] ?? o;
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, sub(x)]));
    }
    return v;
  };
  const out: Array<[string, Omit<RoleView, "arn" | "provision">]> = [];
  for (const res of Object.values(template.Resources ?? {}) as any[]) {
    if (res?.Type !== "AWS::IAM::Role") continue;
    const slot = /^HasWorkspace(\d+)$/.exec(res.Condition ?? "")?.[1];
    if (slot && !params[`Workspace${slot}`]) continue;
    const props = sub(res.Properties ?? {}) as any;
    if (typeof props.RoleName !== "string") continue;
    out.push([roleArnOf(account, props.RoleName, props.Path), {
      trust: props.AssumeRolePolicyDocument,
      managedPolicies: [].concat(props.ManagedPolicyArns ?? []),
      inlinePolicies: [].concat(props.Policies ?? []).map((p: any) => p.PolicyDocument),
    }]);
  }
  return out;
}
