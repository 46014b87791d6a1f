import { accountLabel, blocksOf, inventoryOf, type Inventory, type Provision, providerOf, providersOf, providersOfKey, resolvedPolicy, resolverOf } from "./inventory";
import type { RehearsalCheck, RehearsalContext, RehearsalFinding, RehearsalStack } from "./types";

/*
 * Cross-stack contracts: everything a stack reads or names must exist before the stack
 * applies. A need is met by a stack of an earlier wave or by a prerequisite. A lookup that
 * finds something its own stack creates reads before it exists (data sources are read at
 * plan time); a literal ARN or name of something in the same stack races unless the resource
 * depends on it. Needs come in three forms: data-source lookups (by name, ID or tag filter),
 * literal ARNs and names in arguments and policies, and provider settings (an assumed role,
 * the SaaS organization a provider manages).
 */

/** One thing a stack needs to exist before it applies. */
export interface Need {
  readonly stack: RehearsalStack;
  /** Where the need is (`data.aws_subnets.private`, `aws_flow_log.vpc`, `provider.aws.network`). */
  readonly address: string;
  /** What is needed, for the message (`the S3 bucket example-network-logs-...`). */
  readonly what: string;
  /** Contract keys, any of which meets the need (see lib/rehearsal/inventory.ts). */
  readonly keys?: readonly string[];
  /** A lookup by tags: the resource types that could match, where, and the tags (any of the values). */
  readonly tagQuery?: { readonly types: readonly string[]; readonly account?: string; readonly region?: string; readonly tags: Readonly<Record<string, readonly string[]>> };
  /** A data source (read at plan time) rather than a literal reference (used at apply). */
  readonly lookup: boolean;
  /** The `depends_on` of the block holding the need. @default [] */
  readonly dependsOn?: readonly string[];
}

/** Data sources that read nothing another stack creates (pure functions or the caller's own context). */
const SELF_CONTAINED_DATA = new Set(["aws_caller_identity", "aws_region", "aws_partition", "aws_availability_zones", "aws_iam_policy_document"]);

/** Tag-filtered lookups and the resource type each finds. */
const TAG_LOOKUPS: Readonly<Record<string, string>> = {
  aws_subnets: "aws_subnet", aws_subnet: "aws_subnet", aws_vpcs: "aws_vpc", aws_vpc: "aws_vpc",
  aws_ec2_transit_gateway: "aws_ec2_transit_gateway", aws_ec2_transit_gateway_route_table: "aws_ec2_transit_gateway_route_table",
  aws_security_group: "aws_security_group", aws_security_groups: "aws_security_group", aws_route_table: "aws_route_table", aws_route_tables: "aws_route_table",
  aws_nat_gateway: "aws_nat_gateway", aws_ec2_transit_gateway_attachment: "aws_ec2_transit_gateway_vpc_attachment",
};

/** Arguments whose literal value names a bucket that must exist. */
const BUCKET_NAME_ARGUMENTS = new Set(["s3_bucket_name", "bucket_name"]);
/** Arguments of resources that are values stored for later (not used at apply), never needs. */
const STORED_VALUE_TYPES = /^(tfe_variable|tfe_workspace|tfe_notification_configuration|tfe_run_trigger|github_actions_|kubernetes_config_map)/;

/** Every need of one stack. */
export function needsOf(context: RehearsalContext, stack: RehearsalStack): Need[] {
  const model = context.model;
  const tfcOrg = model.platform.terraformCloud.organization;
  const providers = providersOf(model, stack);
  const resolve = resolverOf(model, stack);
  const text = (v: unknown) => (typeof v === "string" ? resolve(v) : undefined);
  const needs: Need[] = [];
  const need = (n: Omit<Need, "stack">) => needs.push({ stack, ...n });
  // Remote outputs the stack reads, by data source name: one scan of the stack's text.
  let outputs: Map<string, Set<string>> | undefined;
  const outputsRead = () => {
    if (!outputs) {
      outputs = new Map();
      for (const m of JSON.stringify(stack.json).matchAll(/data\.tfe_outputs\.([\w-]+)\.(?:nonsensitive_)?values\.([A-Za-z0-9_-]+)/g)) outputs.set(m[1]!, (outputs.get(m[1]!) ?? new Set()).add(m[2]!));
    }
    return outputs;
  };

  // The workspace the stack runs in, and what each provider works in.
  need({ address: "terraform.cloud", what: `its HCP Terraform workspace ${stack.spec.name}`, keys: [`tfe-workspace:${tfcOrg}:${stack.spec.name}`], lookup: true });
  for (const p of providers) {
    const address = `provider.${p.address}`;
    const role = p.type === "aws" ? text(p.config.assume_role?.[0]?.role_arn ?? p.config.assume_role?.role_arn) : undefined;
    if (role) need({ address, what: `the IAM role ${role} it assumes`, keys: [role], lookup: true });
    if (p.type === "aws" && p.account) need({ address, what: `the ${accountLabel(model, p.account)}`, keys: [`aws-account:${p.account}`], lookup: true });
    if (p.type === "github" && text(p.config.owner)) need({ address, what: `the GitHub organization ${text(p.config.owner)}`, keys: [`github-organization:${text(p.config.owner)}`], lookup: true });
    if (p.type === "datadog") need({ address, what: "the Datadog organization", keys: ["datadog-organization"], lookup: true });
    if (p.type === "pagerduty") need({ address, what: "the PagerDuty account", keys: ["pagerduty-account"], lookup: true });
    if (p.type === "slack") need({ address, what: "the Slack workspace", keys: ["slack-workspace"], lookup: true });
    if (p.type === "tfe") need({ address, what: `the HCP Terraform organization ${text(p.config.organization) ?? tfcOrg}`, keys: [`tfe-organization:${text(p.config.organization) ?? tfcOrg}`], lookup: true });
    if (p.type === "google" && text(p.config.project)) need({ address, what: `the Google Cloud project ${text(p.config.project)}`, keys: [`gcp-project:${text(p.config.project)}`], lookup: true });
  }

  for (const [type, name, block] of blocksOf(stack, "data")) {
    const address = `data.${type}.${name}`;
    const provider = providerOf(providers, type, block);
    const account = provider?.account;
    const region = text(block.region) ?? provider?.region;
    const keyed = (what: string, key: string) => need({ address, what, keys: [key], lookup: true });
    const literal = (v: unknown) => text(v);
    if (SELF_CONTAINED_DATA.has(type)) continue;
    if (TAG_LOOKUPS[type]) {
      const tags: Record<string, string[]> = {};
      let owner: string | undefined;
      for (const f of [].concat(block.filter ?? []) as any[]) {
        const values = [].concat(f.values ?? []).map((v: unknown) => literal(v));
        if (values.some((v) => v === undefined)) continue;
        if (String(f.name).startsWith("tag:")) tags[String(f.name).slice(4)] = values as string[];
        if (f.name === "owner-id") owner = values[0];
      }
      for (const [k, v] of Object.entries(block.tags ?? {})) if (literal(v)) tags[k] = [literal(v)!];
      if (Object.keys(tags).length === 0) continue; // found by an ID this stack computes: Terraform orders it
      const shown = Object.entries(tags).map(([k, v]) => `${k}=${v.join("|")}`).join(", ");
      need({ address, what: `${TAG_LOOKUPS[type]} tagged ${shown} in the ${accountLabel(model, owner ?? account ?? "?")} (${region})`, tagQuery: { types: [TAG_LOOKUPS[type]!], account: owner ?? account, region, tags }, lookup: true });
      continue;
    }
    switch (type) {
      case "aws_organizations_organization": keyed("the AWS organization", "aws-organization"); break;
      case "aws_organizations_organizational_unit": if (literal(block.name)) keyed(`the organizational unit ${literal(block.name)}`, `aws-ou:${literal(block.name)}`); break;
      case "aws_eks_cluster":
      case "aws_eks_cluster_auth":
        if (literal(block.name)) keyed(`the EKS cluster ${literal(block.name)}`, `arn:aws:eks:${region}:${account}:cluster/${literal(block.name)}`);
        break;
      case "google_container_cluster": {
        const project = literal(block.project) ?? text(provider?.config.project);
        if (literal(block.name) && project && literal(block.location)) keyed(`the GKE cluster ${literal(block.name)} in ${project}`, `gke-cluster:${project}/${literal(block.location)}/${literal(block.name)}`);
        break;
      }
      case "aws_s3_bucket": if (literal(block.bucket)) keyed(`the S3 bucket ${literal(block.bucket)}`, `arn:aws:s3:::${literal(block.bucket)}`); break;
      case "aws_iam_role": if (literal(block.name)) keyed(`the IAM role ${literal(block.name)}`, `arn:aws:iam::${account}:role/${literal(block.name)}`); break;
      case "aws_kms_alias": if (literal(block.name)) keyed(`the KMS alias ${literal(block.name)}`, `arn:aws:kms:${region}:${account}:${literal(block.name)}`); break;
      case "aws_kms_key": if (literal(block.key_id)?.startsWith("alias/")) keyed(`the KMS alias ${literal(block.key_id)}`, `arn:aws:kms:${region}:${account}:${literal(block.key_id)}`); break;
      case "aws_guardduty_detector": keyed(`the GuardDuty detector of the ${accountLabel(model, account ?? "?")} in ${region}`, `guardduty-detector:${account}:${region}`); break;
      case "tfe_organization": keyed(`the HCP Terraform organization ${literal(block.name) ?? tfcOrg}`, `tfe-organization:${literal(block.name) ?? tfcOrg}`); break;
      case "tfe_project": if (literal(block.name)) keyed(`the HCP Terraform project ${literal(block.name)}`, `tfe-project:${literal(block.organization) ?? tfcOrg}:${literal(block.name)}`); break;
      case "tfe_workspace": if (literal(block.name)) keyed(`the HCP Terraform workspace ${literal(block.name)}`, `tfe-workspace:${literal(block.organization) ?? tfcOrg}:${literal(block.name)}`); break;
      case "tfe_team": if (literal(block.name)) keyed(`the HCP Terraform team ${literal(block.name)}`, `tfe-team:${literal(block.organization) ?? tfcOrg}:${literal(block.name)}`); break;
      case "tfe_agent_pool": if (literal(block.name)) keyed(`the HCP Terraform agent pool ${literal(block.name)}`, `tfe-agent-pool:${literal(block.organization) ?? tfcOrg}:${literal(block.name)}`); break;
      case "tfe_oauth_client": if (literal(block.name)) keyed(`the HCP Terraform VCS connection (OAuth client) ${literal(block.name)}`, `tfe-oauth-client:${literal(block.organization) ?? tfcOrg}:${literal(block.name)}`); break;
      case "tfe_organization_membership": if (literal(block.email)) keyed(`the HCP Terraform organization membership of ${literal(block.email)}`, `tfe-organization-membership:${literal(block.organization) ?? tfcOrg}:${literal(block.email)}`); break;
      case "tfe_outputs": {
        const ws = literal(block.workspace);
        const org = literal(block.organization) ?? tfcOrg;
        if (!ws) break;
        keyed(`the HCP Terraform workspace ${ws}`, `tfe-workspace:${org}:${ws}`);
        for (const output of [...(outputsRead().get(name) ?? [])].sort()) keyed(`the output ${output} of workspace ${ws} (its stack applied)`, `tfe-outputs:${org}:${ws}:${output}`);
        break;
      }
      case "datadog_role": if (literal(block.filter)) keyed(`the Datadog role ${literal(block.filter)}`, `datadog-role:${literal(block.filter)}`); break;
      case "datadog_user": if (literal(block.filter)) keyed(`the Datadog user ${literal(block.filter)}`, `datadog-user:${literal(block.filter)}`); break;
      case "pagerduty_user": if (literal(block.email)) keyed(`the PagerDuty user ${literal(block.email)}`, `pagerduty-user:${literal(block.email)}`); break;
      default:
        need({ address, what: `whatever data.${type} reads (the rehearsal has no model of it)`, lookup: true });
    }
  }

  for (const [type, name, block] of blocksOf(stack, "resource")) {
    if (STORED_VALUE_TYPES.test(type)) continue;
    const address = `${type}.${name}`;
    const dependsOn: string[] = [].concat(block.depends_on ?? []);
    const ref = (what: string, key: string) => need({ address, what, keys: [key], lookup: false, dependsOn });
    const walk = (value: unknown, arg: string): void => {
      if (Array.isArray(value)) return value.forEach((v) => walk(v, arg));
      if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) if (!["//", "depends_on", "lifecycle", "provider", "tags", "tags_all"].includes(k)) walk(v, k);
        return;
      }
      if (typeof value !== "string") return;
      const policy = value.trimStart().startsWith("{") || /^\$\{data\.aws_iam_policy_document\./.test(value) ? resolvedPolicy(value, resolve, stack) : undefined;
      if (policy && typeof policy === "object") {
        for (const principal of policyPrincipals(policy)) principalNeed(principal, ref);
        return;
      }
      for (const m of value.matchAll(/serviceAccount:([a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9-]+\.iam\.gserviceaccount\.com)/g)) {
        ref(`the Google service account ${m[1]}`, `gcp-service-account:${m[1]}`);
      }
      for (const m of value.matchAll(/principalSet:\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)/g)) {
        ref(`the Google workload identity pool ${m[1]}`, `gcp-workload-identity-pool:${m[1]}`);
      }
      const v = resolve(value);
      if (v === undefined) return;
      if (BUCKET_NAME_ARGUMENTS.has(arg) && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v)) ref(`the S3 bucket ${v}`, `arn:aws:s3:::${v}`);
      const bucket = /^arn:aws:s3:::([^/]+)(\/.*)?$/.exec(v);
      if (bucket && (arg === "log_destination" || arg.endsWith("bucket_arn") || arg === "destination_arn")) ref(`the S3 bucket ${bucket[1]}`, `arn:aws:s3:::${bucket[1]}`);
      if (/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(v)) ref(`the IAM role ${v}`, v);
      if (/^arn:aws:kms:[a-z0-9-]+:\d{12}:alias\/.+$/.test(v)) ref(`the KMS alias ${v}`, v);
      if (/^arn:aws:eks:[a-z0-9-]+:\d{12}:cluster\/[\w-]+$/.test(v)) ref(`the EKS cluster ${v}`, v);
      if (type === "aws_ram_principal_association" && arg === "principal" && /^arn:aws:organizations::/.test(v)) ref("resource sharing with AWS Organizations", "ram-sharing-with-organization");
    };
    walk(block, "");
  }
  return needs;
}

/** The principals (AWS and Federated) a policy document names, as strings. */
function policyPrincipals(policy: any): string[] {
  const out: string[] = [];
  for (const st of [].concat(policy?.Statement ?? []) as any[]) {
    for (const p of [st?.Principal, st?.NotPrincipal]) {
      if (!p || typeof p !== "object") continue;
      for (const k of ["AWS", "Federated"]) for (const v of [].concat(p[k] ?? [])) if (typeof v === "string") out.push(v);
    }
  }
  return out;
}

/** A principal in a policy must exist when the policy is written: IAM, S3, KMS and ECR reject unknown principals. */
function principalNeed(principal: string, ref: (what: string, key: string) => void): void {
  if (principal.includes("${") || principal.includes("*")) return;
  if (/^\d{12}$/.test(principal)) return ref(`the AWS account ${principal}`, `aws-account:${principal}`);
  const root = /^arn:aws:iam::(\d{12}):root$/.exec(principal);
  if (root) return ref(`the AWS account ${root[1]}`, `aws-account:${root[1]}`);
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  if (assumed) return ref(`the IAM role ${assumed[2]} of account ${assumed[1]}`, `arn:aws:iam::${assumed[1]}:role/${assumed[2]}`);
  if (/^arn:aws:iam::\d{12}:(role|saml-provider|oidc-provider)\/.+$/.test(principal)) ref(principal.split(":").pop()!.replace("/", " "), principal);
}

const taggedByType = new WeakMap<Inventory, Map<string, Provision[]>>();

/** Tagged resources of one type (indexed once per inventory). */
function taggedOf(inventory: Inventory, type: string): Provision[] {
  let index = taggedByType.get(inventory);
  if (!index) {
    index = new Map();
    for (const p of inventory.tagged) {
      const list = index.get(p.type);
      if (list) list.push(p);
      else index.set(p.type, [p]);
    }
    taggedByType.set(inventory, index);
  }
  return index.get(type) ?? [];
}

/** Who can meet a need: providers of its keys, or tagged resources matching its tag query. */
export function candidatesOf(inventory: Inventory, need: Need): Provision[] {
  if (need.keys) return need.keys.flatMap((k) => providersOfKey(inventory, k));
  const q = need.tagQuery;
  if (!q) return [];
  return q.types.flatMap((type) => taggedOf(inventory, type)).filter((p) => (q.account === undefined || p.account === q.account) && (q.region === undefined || p.region === q.region)
    && Object.entries(q.tags).every(([k, values]) => p.tags[k] !== undefined && values.includes(p.tags[k]!)));
}

/** The finding for one need, or undefined when an earlier wave or a prerequisite meets it. */
export function judge(inventory: Inventory, need: Need): RehearsalFinding | undefined {
  const stack = need.stack.spec.name;
  const base = { class: "contract" as const, stack, address: need.address };
  if (!need.keys && !need.tagQuery) {
    return { ...base, class: "not-checked", message: `not checked: ${need.what}`, fix: "teach lib/rehearsal/contracts.ts this data source, or replace the lookup with a name from lib/plan" };
  }
  const candidates = candidatesOf(inventory, need);
  if (candidates.some((c) => c.wave < need.stack.wave)) return undefined;
  const same = candidates.filter((c) => c.stack === stack);
  if (same.length > 0) {
    if (!need.lookup) {
      if (same.some((c) => (need.dependsOn ?? []).includes(c.address))) return undefined;
      return { ...base, message: `names ${need.what}, created in the same stack by ${same[0]!.address}, by a literal value: Terraform may create them in either order`, expectedFrom: stack, fix: `reference ${same[0]!.address} (or add it to depends_on)` };
    }
    return { ...base, message: `looks up ${need.what}, which the same stack creates (${same[0]!.address}): data sources are read at plan time, before it exists`, expectedFrom: stack, fix: `reference ${same[0]!.address} directly instead of looking it up` };
  }
  const later = candidates.find((c) => c.wave >= need.stack.wave);
  if (later) {
    return { ...base, message: `needs ${need.what}, which ${later.stack} creates (${later.address}) in wave ${later.wave}, not before this stack's wave ${need.stack.wave}`, expectedFrom: later.stack, fix: `make ${stack} apply after ${later.stack} (lib/plan/waves.ts and its run triggers), or move what it needs to an earlier stack` };
  }
  const keyHint = need.keys ? ` (contract key ${need.keys.join(" or ")})` : "";
  return { ...base, message: `needs ${need.what}, which no stack creates and no prerequisite provides${keyHint}`, fix: need.keys ? `create it in a stack that applies before ${stack}, or list it in config/platform.ts prerequisites with provides: ["${need.keys[0]}"]` : `create it, with those tags, in a stack that applies before ${stack}` };
}

/** The cross-stack contract check: every need of every stack met by an earlier wave or a prerequisite. */
export const checkContracts: RehearsalCheck = (context) => {
  const inventory = inventoryOf(context);
  const findings: RehearsalFinding[] = [];
  const seen = new Set<string>();
  for (const stack of context.stacks) {
    for (const need of needsOf(context, stack)) {
      const finding = judge(inventory, need);
      if (!finding) continue;
      const id = `${finding.stack} ${finding.address} ${finding.message}`;
      if (!seen.has(id)) findings.push(finding);
      seen.add(id);
    }
  }
  return findings;
};

