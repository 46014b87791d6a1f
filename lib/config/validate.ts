import type { z } from "zod";
import { checkPlatformAddresses, checkServiceAddresses, checkVpcOverlaps, type ServiceAddressing, serviceVpcCidrs } from "../plan/cidr";
import type { RawConfig } from "./load";
import type { OrganizationModel, ServiceModel, TombstoneModel } from "./model";
import { checkPeople } from "./people";
import { checkPlatformNetwork } from "../plan/network";
import { prerequisiteProblems } from "./prerequisites";
import { ConfigError, type Problem, splitFix } from "./problems";
import { checkRenames, checkTombstoneKeys } from "./retirement";
import { type Developer, DNS_LABEL, developerSchema, type Platform, platformSchema, type Service, serviceSchema, type Tombstone, tombstoneSchema } from "./schema";
import { didYouMean } from "./suggest";
import { stackNames, WORKSPACE_NAME } from "../plan/stack-plan";
import { checkPlatformGke, checkPlatformKubernetes, checkServiceClusters, checkServiceRegistry } from "./tenancy";

/** Namespaces Kubernetes and the platform already use; a service cannot take them. */
export const RESERVED_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease", "amazon-cloudwatch", "cert-manager", "external-dns", "karpenter", "monitoring"]);

type Report = (p: Omit<Problem, "file" | "entry"> & { file?: string; entry?: string }) => void;

/** What validation knows about the change being checked. */
export interface ValidateOptions {
  /**
   * Keys of the services that are new or changed in this change (against the pull request's
   * base, or the files the edit touched). An overlap between a changed and an unchanged
   * service's VPC is filed under the changed one: the deployed VPC cannot move.
   * @default - none known; an overlap is filed by the rules of lib/plan/cidr.ts alone
   */
  readonly changed?: ReadonlySet<string>;
}

/** Checks the whole config and returns the model, or throws one ConfigError with every problem. */
export function validate(raw: RawConfig, options: ValidateOptions = {}): OrganizationModel {
  const problems: Problem[] = [...raw.problems];
  // A file that could not be loaded is reported once (by loadConfig); nothing else of it is checked.
  const unloaded = new Set(raw.unloaded ?? []);
  const f = {
    platform: `${raw.label}/platform.ts`,
    developers: `${raw.label}/developers.ts`,
    index: `${raw.label}/services.ts`,
    service: (key: string) => `${raw.label}/services/${key}.ts`,
    retired: `${raw.label}/retired.ts`,
  };

  const platform = unloaded.has(f.platform) ? undefined : parseWith(platformSchema, raw.platform, f.platform, "", problems).data;
  const developers = unloaded.has(f.developers) ? new Map<string, Partial<Developer>>() : parseDevelopers(raw.developers, f.developers, problems);
  const entries = checkIndex(raw, f, problems).filter(([key]) => !unloaded.has(f.service(key)));
  const services: Array<[string, Partial<Service>]> = [];
  const complete = new Set<string>();
  for (const [key, value] of entries) {
    const parsed = parseWith(serviceSchema, value, f.service(key), key, problems);
    services.push([key, parsed.partial]);
    if (parsed.data) complete.add(key);
  }

  if (platform) checkPlatform(platform, developers, f.platform, problems);
  if (platform) checkDevelopers(platform, developers, f.developers, problems);
  const models = platform ? checkServices(platform, developers, services, complete, f.service, f.platform, problems, options.changed ?? new Set<string>()) : [];
  if (platform) checkStackNames(platform, models, f.service, problems);
  if (platform) checkPeople(platform, developers, services, f, problems);
  // Removed services and renames (lib/config/retirement.ts).
  const tombstones = platform && !unloaded.has(f.retired) ? checkTombstones(platform, raw.retired, services, f, problems) : [];
  problems.push(...checkRenames(services, new Set(tombstones.map((t) => t.key)), f.service));
  // Without the developer map every owner would look unknown: those findings would be noise.
  if (unloaded.has(f.developers)) problems.splice(0, problems.length, ...problems.filter((x) => !x.message.startsWith("is not a developer")));

  if (problems.length > 0 || !platform) throw new ConfigError(problems);
  return {
    platform,
    // No problems means every entry passed its schema, so the partial entries are complete.
    developers: [...developers.entries()].sort(([a], [b]) => cmp(a, b)).map(([key, d]) => ({ key, ...(d as Developer) })),
    services: models,
    tombstones,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Runs a zod schema and turns every issue into a problem naming file, entry and field.
 * `partial` keeps the entry's valid top-level fields even when others are wrong, so the
 * cross-entry rules still run on them and every problem is reported in the same pass.
 */
function parseWith<S extends z.ZodType>(schema: S, value: unknown, file: string, entry: string, problems: Problem[]): { data?: z.output<S>; partial: Partial<z.output<S>> } {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { data: result.data, partial: result.data as Partial<z.output<S>> };
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        problems.push({ file, entry, field: [...path, k].join("."), value: get(value, [...path, k]), message: "is not a known field", fix: unknownFieldFix(k, knownFields(schema, path)) });
      }
      continue;
    }
    const bad = "input" in issue ? issue.input : get(value, path);
    const { message, fix } = describeIssue(issue, bad);
    problems.push({ file, entry, field: path.join("."), value: bad, message, fix });
  }
  return { partial: salvage(schema, value) as Partial<z.output<S>> };
}

/** The top-level fields of an object that are valid on their own. */
function salvage(schema: z.ZodType, value: unknown): Record<string, unknown> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape || value === null || typeof value !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [k, field] of Object.entries(shape)) {
    const r = field.safeParse((value as Record<string, unknown>)[k]);
    if (r.success) out[k] = r.data;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, bad: unknown): { message: string; fix: string } {
  if (issue.code === "invalid_type") {
    if (bad === undefined) return { message: "is missing", fix: `add this field (${issue.expected})` };
    return { message: `must be ${article(issue.expected)}, not ${describeType(bad)}`, fix: `write it as ${article(issue.expected)}` };
  }
  if (issue.code === "invalid_value") {
    return splitFix(issue.message, `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  return splitFix(issue.message.replace(/^Too (small|big)/, "is too $1"), "see the field's documentation in lib/config/schema.ts");
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return article(typeof v);
}

function get(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** Lists the fields an object schema accepts at `path`, so a typo gets its correction. */
function knownFields(schema: z.ZodType, path: readonly string[]): string[] | undefined {
  let s: unknown = schema;
  const unwrap = (x: unknown): unknown => {
    let cur = x as { def?: { type?: string; innerType?: unknown; element?: unknown; valueType?: unknown }; shape?: unknown };
    while (cur?.def && ["optional", "default", "nullable", "prefault"].includes(cur.def.type ?? "")) cur = cur.def.innerType as typeof cur;
    return cur;
  };
  for (const p of path) {
    const cur = unwrap(s) as { def?: { type?: string; element?: unknown; valueType?: unknown }; shape?: Record<string, unknown> };
    if (cur?.shape) s = cur.shape[p];
    else if (cur?.def?.type === "array") s = cur.def.element;
    else if (cur?.def?.type === "record") s = cur.def.valueType;
    else return undefined;
  }
  const obj = unwrap(s) as { shape?: Record<string, unknown> };
  return obj?.shape ? Object.keys(obj.shape) : undefined;
}

function unknownFieldFix(field: string, known: readonly string[] | undefined): string {
  if (!known) return "remove it or correct its spelling; see lib/config/schema.ts for the fields";
  return `remove it or correct its spelling${didYouMean(field, known)}; known fields: ${known.join(", ")}`;
}

/** Every developer entry by key; entries with problems keep their valid fields (see `parseWith`). */
function parseDevelopers(value: unknown, file: string, problems: Problem[]): Map<string, Partial<Developer>> {
  const out = new Map<string, Partial<Developer>>();
  if (value === undefined) return out;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ file, entry: "", field: "", value, message: "must export a map of developers", fix: "export default defineDevelopers({ alice: { ... }, ... })" });
    return out;
  }
  for (const [key, entry] of Object.entries(value)) {
    if (!DNS_LABEL.test(key) || key.length > 40) {
      problems.push({ file, entry: key, field: "", value: key, message: "is not a valid developer key", fix: "use a short lower-case name of letters, digits and hyphens, such as \"alice\" or \"bob-k\"" });
      continue;
    }
    out.set(key, parseWith(developerSchema, entry, file, key, problems).partial);
  }
  return out;
}

/** The index must list every file in `services/` under the file's own name, and nothing else. */
function checkIndex(raw: RawConfig, f: { index: string; service: (k: string) => string }, problems: Problem[]): Array<[string, unknown]> {
  const index = raw.index;
  if (index === undefined) return [];
  if (index === null || typeof index !== "object" || Array.isArray(index)) {
    problems.push({ file: f.index, entry: "", field: "", value: index, message: "must export a map of services", fix: "export default { payments, ledger, ... } with one import per file in config/services/" });
    return [];
  }
  const listed = index as Record<string, unknown>;
  const entries: Array<[string, unknown]> = [];
  for (const key of Object.keys(listed).sort()) {
    if (!(key in raw.serviceFiles)) {
      problems.push({ file: f.index, entry: key, field: "", value: key, message: `lists a service with no file ${f.service(key)}`, fix: `create ${f.service(key)} or remove "${key}" from the index; if the file was renamed, import it by its new name under that name` });
      continue;
    }
    if (raw.serviceFiles[key] !== undefined && listed[key] !== raw.serviceFiles[key]) {
      problems.push({ file: f.index, entry: key, field: "", value: key, message: `maps "${key}" to a different file's service`, fix: `import ${f.service(key)} under the name "${key}"; the key must equal the file name` });
      continue;
    }
    if (!DNS_LABEL.test(key) || key.length > 40) {
      problems.push({ file: f.service(key), entry: key, field: "", value: key, message: "is not a valid service name (it becomes the namespace, stack and workspace name)", fix: "rename the file to lower-case letters, digits and hyphens, at most 40 characters, e.g. payments-api.ts" });
      continue;
    }
    entries.push([key, listed[key]]);
  }
  for (const key of Object.keys(raw.serviceFiles).sort()) {
    if (!(key in listed)) {
      problems.push({ file: f.service(key), entry: key, field: "", value: key, message: `is not listed in ${f.index}`, fix: `add \`import ${camel(key)} from "./services/${key}.js";\` and \`"${key}": ${camel(key)}\` to ${f.index}` });
    }
  }
  return entries;
}

function camel(key: string): string {
  const c = key.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
  return /^[0-9]/.test(c) ? `s${c}` : c;
}

function checkPlatform(p: Platform, developers: Map<string, unknown>, file: string, problems: Problem[]): void {
  const report: Report = (x) => problems.push({ file, entry: x.entry ?? "", ...x });
  duplicates(p.regions).forEach((r) => report({ field: "regions", value: r, message: "lists a region twice", fix: "remove the duplicate" }));
  for (const [ou, def] of Object.entries(p.organizationalUnits)) {
    if (def.segment && !p.network.segments.includes(def.segment)) {
      report({ field: `organizationalUnits.${ou}.segment`, value: def.segment, message: "is not a network segment", fix: `use one of network.segments: ${p.network.segments.join(", ")}` });
    }
    if (def.workloads && !def.segment) report({ field: `organizationalUnits.${ou}.segment`, value: undefined, message: "is missing for a workloads OU", fix: "give the OU the network segment its accounts join" });
  }
  const platformOu = p.organizationalUnits[p.platformOu];
  if (!platformOu || platformOu.workloads) {
    const candidates = Object.entries(p.organizationalUnits).filter(([, d]) => !d.workloads).map(([k]) => k);
    report({
      field: "platformOu",
      value: p.platformOu,
      message: platformOu ? "is an OU for service accounts; the platform accounts need one of their own" : "is not an organizational unit of the platform",
      fix: candidates.length > 0 ? `use one of: ${candidates.join(", ")}${didYouMean(p.platformOu, candidates)}` : `add it to organizationalUnits as { workloads: false, segment: "shared" }`,
    });
  }
  for (const region of p.regions) {
    if (!p.network.egress[region]) report({ field: `network.egress.${region}`, value: undefined, message: "is missing", fix: "give every region an egress VPC CIDR" });
  }
  for (const region of Object.keys(p.network.pools)) {
    if (!p.regions.includes(region as never)) report({ field: `network.pools.${region}`, value: region, message: "is a pool for a region the platform does not use", fix: `remove it or add the region to regions` });
    for (const seg of Object.keys(p.network.pools[region]!)) {
      if (!p.network.segments.includes(seg)) report({ field: `network.pools.${region}.${seg}`, value: seg, message: "is not a network segment", fix: `use one of: ${p.network.segments.join(", ")}` });
    }
  }
  problems.push(...checkPlatformAddresses(p, file), ...checkPlatformNetwork(p, file), ...prerequisiteProblems(p, file));
  p.github.admins.forEach((a, i) => {
    if (!developers.has(a)) report({ field: `github.admins.${i}`, value: a, message: "is not a developer", fix: "use a key of config/developers.ts" });
  });
  // The organization-wide teams are separate GitHub teams: two fields naming one slug would
  // make two stacks fight over one team, and a slug ending in "-owners" may be a service's team.
  const teams = new Map<string, string>();
  for (const field of ["platformTeam", "approversTeam", "developersTeam"] as const) {
    const slug = p.github[field];
    const other = teams.get(slug);
    if (other) report({ field: `github.${field}`, value: slug, message: `is also github.${other}`, fix: "give each organization-wide team its own slug" });
    else if (slug.endsWith("-owners")) report({ field: `github.${field}`, value: slug, message: "ends in \"-owners\", the suffix of services' teams", fix: `use another slug, such as "${slug.slice(0, -"-owners".length) || "team"}-team"` });
    teams.set(slug, field);
  }
  const emails = new Map<string, string>();
  for (const [name, acct] of Object.entries(p.accounts)) {
    const seen = emails.get(acct.email.toLowerCase());
    if (seen) report({ field: `accounts.${name}.email`, value: acct.email, message: `is also the email of accounts.${seen}`, fix: "give every account its own email address" });
    emails.set(acct.email.toLowerCase(), name);
  }
  checkPlatformKubernetes(p).forEach((x) => report(x));
  checkPlatformGke(p).forEach((x) => report(x));
  for (const [field, q] of [["kubernetes.defaultQuota", p.kubernetes.defaultQuota]] as const) {
    for (const over of quotaOver(q, p.kubernetes.maximumQuota)) report({ field: `${field}.${over}`, value: q[over], message: `exceeds kubernetes.maximumQuota.${over} (${p.kubernetes.maximumQuota[over]})`, fix: "lower the default or raise the maximum" });
  }
}

function checkDevelopers(p: Platform, developers: Map<string, Partial<Developer>>, file: string, problems: Problem[]): void {
  const unique = (field: "email" | "github" | "slack", norm: (s: string) => string) => {
    const seen = new Map<string, string>();
    for (const [key, d] of developers) {
      if (d[field] === undefined) continue;
      const v = norm(d[field]);
      const other = seen.get(v);
      if (other) problems.push({ file, entry: key, field, value: d[field], message: `is already used by developer "${other}"`, fix: `each developer needs their own ${field}; check whether "${key}" and "${other}" are the same person` });
      else seen.set(v, key);
    }
  };
  unique("email", (s) => s.toLowerCase());
  unique("github", (s) => s.toLowerCase());
  unique("slack", (s) => s);
  for (const [key, d] of developers) {
    if (d.datadogRole !== undefined && !p.datadog.roles.includes(d.datadogRole)) problems.push({ file, entry: key, field: "datadogRole", value: d.datadogRole, message: "is not a Datadog role the platform allows", fix: `use one of: ${p.datadog.roles.join(", ")}` });
    if (d.pagerdutyRole !== undefined && !(p.pagerduty.roles as string[]).includes(d.pagerdutyRole)) problems.push({ file, entry: key, field: "pagerdutyRole", value: d.pagerdutyRole, message: "is not a PagerDuty role the platform allows", fix: `use one of: ${p.pagerduty.roles.join(", ")}` });
  }
}

function checkServices(
  p: Platform,
  developers: Map<string, Partial<Developer>>,
  services: ReadonlyArray<[string, Partial<Service>]>,
  complete: ReadonlySet<string>,
  fileOf: (k: string) => string,
  platformFile: string,
  problems: Problem[],
  changed: ReadonlySet<string>,
): ServiceModel[] {
  const models: ServiceModel[] = [];
  const addressed: ServiceAddressing[] = [];
  const claims = new Map<string, { key: string; field: string }>();
  const badGoogle = new Set(problems.filter((x) => x.field === "google" && x.file.endsWith("/developers.ts")).map((x) => x.entry));
  /** Records a value that must be unique across services (and the platform); reports the second. */
  const claim = (kind: string, value: string, key: string, field: string, fix: string) => {
    const id = `${kind}\u0000${value.toLowerCase()}`;
    const other = claims.get(id);
    if (other) problems.push({ file: fileOf(key), entry: key, field, value, message: `is already used by ${other.key === "" ? "the platform" : `${fileOf(other.key)} ${other.field}`}`, fix });
    else claims.set(id, { key, field });
  };
  for (const [name, acct] of Object.entries(p.accounts)) claims.set(`email\u0000${acct.email.toLowerCase()}`, { key: "", field: `accounts.${name}.email` });
  claims.set(`namespace\u0000${p.kubernetes.ingressNamespace}`, { key: "", field: "kubernetes.ingressNamespace" });

  for (const [key, s] of [...services].sort(([a], [b]) => cmp(a, b))) {
    const file = fileOf(key);
    const report: Report = (x) => problems.push({ file, entry: key, ...x });
    const before = problems.length;
    const owners = s.owners ?? [];
    const regions = s.regions ?? [];
    const kubernetes = s.kubernetes;

    owners.forEach((o, i) => {
      if (!developers.has(o)) report({ field: `owners.${i}`, value: o, message: "is not a developer in config/developers.ts", fix: `use a developer key from config/developers.ts${didYouMean(o, developers.keys())}, or add the developer there first; when offboarding, remove them from owners too` });
    });
    duplicates(owners).forEach((o) => report({ field: "owners", value: o, message: "lists an owner twice", fix: "remove the duplicate" }));

    const ou = s.account ? p.organizationalUnits[s.account.ou] : undefined;
    if (s.account) {
      claim("email", s.account.email, key, "account.email", "every AWS account needs its own root email; use a plus address such as aws+<service>@example.com");
      if (!ou || !ou.workloads) {
        const allowed = Object.entries(p.organizationalUnits).filter(([, d]) => d.workloads).map(([k]) => k);
        report({ field: "account.ou", value: s.account.ou, message: ou ? "is not an OU for service accounts" : "is not an organizational unit of the platform", fix: `use one of: ${allowed.join(", ")}${didYouMean(s.account.ou, allowed)}` });
      }
    }

    // One workspace per directory: two workspaces applying the same code would fight over it.
    if (s.infrastructure) {
      const where = `${s.infrastructure.repository}/${s.infrastructure.directory ?? "."}`;
      claim("infrastructure", where, key, "infrastructure", "each service's Terraform needs a directory of its own; set infrastructure.directory to another folder (for example the service's name)");
    }

    regions.forEach((r, i) => {
      if (!p.regions.includes(r)) report({ field: `regions.${i}`, value: r, message: "is not a region the platform allows", fix: `use one of: ${p.regions.join(", ")}` });
    });
    duplicates(regions).forEach((r) => report({ field: "regions", value: r, message: "lists a region twice", fix: "remove the duplicate" }));

    // A renamed service keeps its namespace (a new name would replace it and its workloads).
    const namespace = kubernetes?.namespace ?? s.previousName ?? key;
    if (kubernetes) {
      if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
        report({ field: "kubernetes.namespace", value: namespace, message: "is not a valid Kubernetes namespace (DNS-1123 label)", fix: "use at most 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit" });
      } else if (RESERVED_NAMESPACES.has(namespace)) {
        report({ field: "kubernetes.namespace", value: namespace, message: "is a namespace reserved for the system or the platform", fix: `choose another name, such as "${key}-app"` });
      } else if (kubernetes.tenancy === "shared") {
        claim("namespace", namespace, key, "kubernetes.namespace", "namespaces on the shared cluster must be unique; set kubernetes.namespace to another name");
      }
      const quota = kubernetes.quota ?? {};
      for (const over of quotaOver({ ...p.kubernetes.defaultQuota, ...quota }, p.kubernetes.maximumQuota)) {
        report({ field: `kubernetes.quota.${over}`, value: quota[over], message: `exceeds the platform maximum of ${p.kubernetes.maximumQuota[over]}`, fix: `ask for at most ${p.kubernetes.maximumQuota[over]}, or ask the platform team to raise kubernetes.maximumQuota` });
      }
    }

    checkServiceClusters(p, developers, key, s, badGoogle).forEach((x) => report(x));

    if (s.slack) claim("slack", s.slack.handle, key, "slack.handle", "Slack user group handles are unique in the workspace; choose another handle");
    if (s.registry) duplicates(s.registry.repositories).forEach((r) => report({ field: "registry.repositories", value: r, message: "names a repository twice", fix: "remove the duplicate" }));
    checkServiceRegistry(p, key, s).forEach((x) => report(x));
    if (s.registry?.kind === "gar" && !p.registry.gar) report({ field: "registry.kind", value: "gar", message: "needs the platform's registry.gar settings, which are not set", fix: "use \"ecr\", or ask the platform team to configure registry.gar" });

    s.pagerduty?.escalation?.forEach((rule, i) => rule.targets.forEach((t, j) => {
      if (!developers.has(t)) report({ field: `pagerduty.escalation.${i}.targets.${j}`, value: t, message: "is not a developer in config/developers.ts", fix: `use a developer key from config/developers.ts${didYouMean(t, developers.keys())}; when offboarding, remove them from the escalation rules too` });
    }));

    // A service in an OU it may not use gets one problem for the OU, not a cascade about its pool.
    const segment = ou?.workloads ? ou.segment ?? "" : "";
    const cidrs = s.network?.cidrs ?? {};
    if (s.network && s.regions) {
      for (const [region, c] of Object.entries(cidrs)) {
        if (!regions.includes(region as never)) report({ field: `network.cidrs.${region}`, value: c, message: "is a CIDR for a region the service does not run in", fix: `remove it or add ${region} to regions` });
      }
      // A region without a stated CIDR is allocated one from the segment's pool (lib/plan/cidr.ts).
      if (segment) {
        const addressing = { key, file, segment, regions, cidrs, hashKey: s.previousName, changed: changed.has(key) };
        checkServiceAddresses(p, addressing).forEach((x) => problems.push(x));
        addressed.push(addressing);
      }
    }

    if (s.previousName !== undefined && s.previousName === key) report({ field: "previousName", value: s.previousName, message: "is the service's current name", fix: "remove previousName once the rename has been applied" });

    // Only an entry that passed its schema (complete) and every rule becomes part of the model.
    if (problems.length === before && complete.has(key)) {
      const full = s as Service;
      models.push({
        ...full,
        key,
        namespace,
        segment,
        vpcCidrs: serviceVpcCidrs(p, { key, segment, regions, cidrs, hashKey: s.previousName }),
        quota: { ...p.kubernetes.defaultQuota, ...full.kubernetes.quota },
      });
    }
  }
  checkVpcOverlaps(p, platformFile, addressed).forEach((x) => problems.push(x));
  return models;
}

/**
 * `config/retired.ts`: each entry passes the tombstone schema, its key is not also active,
 * and its account email is not reused (the account stays in the organization). Owners are not
 * checked: people leave after their services. The model is derived like an active service's,
 * so the removed stacks can be rebuilt exactly.
 */
function checkTombstones(p: Platform, value: unknown, services: ReadonlyArray<[string, Partial<Service>]>, f: { retired: string; service: (k: string) => string }, problems: Problem[]): TombstoneModel[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ file: f.retired, entry: "", field: "", value, message: "must export a map of removed services", fix: "export default defineRetired({ <key>: { ...last entry, removedOn, reason } })" });
    return [];
  }
  const keys = Object.keys(value).sort();
  const before = problems.length;
  problems.push(...checkTombstoneKeys(keys, services, f.retired, f.service));
  const emails = new Map(services.filter(([, s]) => s.account).map(([k, s]) => [s.account!.email.toLowerCase(), k]));
  const out: TombstoneModel[] = [];
  for (const key of keys) {
    const t = parseWith(tombstoneSchema, (value as Record<string, unknown>)[key], f.retired, key, problems).data as Tombstone | undefined;
    if (!t) continue;
    const reuse = emails.get(t.account.email.toLowerCase());
    if (reuse && reuse !== key) problems.push({ file: f.service(reuse), entry: reuse, field: "account.email", value: t.account.email, message: `is the email of removed service "${key}", whose account stays in the organization`, fix: "use another email address for the new account" });
    t.regions.forEach((r, i) => {
      if (!p.regions.includes(r)) problems.push({ file: f.retired, entry: key, field: `regions.${i}`, value: r, message: "is not a region the platform allows", fix: `keep the regions the service ran in; ask the platform team if a region was dropped` });
    });
    const ou = p.organizationalUnits[t.account.ou];
    const segment = ou?.workloads ? ou.segment ?? "" : "";
    out.push({
      ...t,
      key,
      namespace: t.kubernetes.namespace ?? t.previousName ?? key,
      segment,
      vpcCidrs: serviceVpcCidrs(p, { key, segment, regions: t.regions, cidrs: t.network.cidrs, hashKey: t.previousName }),
      quota: { ...p.kubernetes.defaultQuota, ...t.kubernetes.quota },
    });
  }
  return problems.length === before ? out : [];
}

/** Every stack becomes a Terraform Cloud workspace; its name must be one TFC accepts. */
function checkStackNames(p: Platform, services: readonly ServiceModel[], fileOf: (k: string) => string, problems: Problem[]): void {
  for (const s of services) {
    for (const name of stackNames(p, s)) {
      if (!WORKSPACE_NAME.test(name)) {
        problems.push({ file: fileOf(s.key), entry: s.key, field: "", value: name, message: "gives a Terraform Cloud workspace name that is too long or has invalid characters", fix: "shorten the service name (workspace names allow 90 letters, digits, - and _)" });
      }
    }
  }
}

/** Compares Kubernetes quantities of the forms the schema allows. */
export function quantity(q: string | number): number {
  if (typeof q === "number") return q;
  const units: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(q);
  return m ? Number(m[1]) * (m[2] ? units[m[2]]! : 1) : Number.NaN;
}

function quotaOver<Q extends Record<"cpu" | "memory" | "pods", string | number>>(q: Q, max: Q): Array<keyof Q & string> {
  return (["cpu", "memory", "pods"] as const).filter((k) => quantity(q[k]) > quantity(max[k]));
}

function duplicates<T>(list: readonly T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const x of list) (seen.has(x) ? dup : seen).add(x);
  return [...dup];
}
