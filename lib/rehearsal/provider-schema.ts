import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../project-root.js";
import { bindingClassOf, blockFromBinding } from "./schema-from-binding.js";
import type { ProviderSchemaJson, SchemaJson } from "./schema-types.js";
import { SLACK_SCHEMA, SLACK_SCHEMA_VERSION } from "./slack-schema.js";

/*
 * Each pinned provider's schema, derived from its installed `@cdktf/provider-*` package (see
 * schema-from-binding.ts), one type at a time and only for the types asked for: the whole AWS
 * provider is ~2,200 modules, a stack uses a few dozen. Derived types are cached on disk,
 * keyed by package and version, under node_modules/.cache/ (never committed).
 */

/** Provider source (lower case, registry host omitted) -> the cdktf package that binds it. */
export const PROVIDER_PACKAGES: Readonly<Record<string, string>> = {
  "hashicorp/aws": "@cdktf/provider-aws",
  "datadog/datadog": "@cdktf/provider-datadog",
  "integrations/github": "@cdktf/provider-github",
  "hashicorp/google": "@cdktf/provider-google",
  "hashicorp/kubernetes": "@cdktf/provider-kubernetes",
  "pagerduty/pagerduty": "@cdktf/provider-pagerduty",
  "hashicorp/tfe": "@cdktf/provider-tfe",
};

/** Providers whose schema is written by hand and covers only the types the project binds. */
const HAND_WRITTEN: Readonly<Record<string, ProviderSchemaJson>> = { "pablovarela/slack": SLACK_SCHEMA };
const HAND_WRITTEN_VERSIONS: Readonly<Record<string, string>> = { "pablovarela/slack": SLACK_SCHEMA_VERSION };

/** Which kind of schema: a resource type, a data source type, or the provider block itself. */
export type SchemaKind = "resource" | "data" | "provider";

const ROOT = projectRoot(import.meta.url);

/** Part of the cache key: raise it whenever schema-from-binding.ts derives anything differently. */
const DERIVATION = 4;

/** `registry.terraform.io/DataDog/datadog`, `DataDog/datadog` -> `datadog/datadog`; `aws` -> `hashicorp/aws`, as Terraform reads it. */
export function normalizeSource(source: string): string {
  const parts = source.toLowerCase().split("/");
  return parts.length === 1 ? `hashicorp/${parts[0]}` : parts.slice(-2).join("/");
}

/**
 * Whether the rehearsal knows this provider's schema: "full" (derived from its package: a type
 * it lacks does not exist), "partial" (hand-written: a type it lacks is not modelled), or
 * undefined (unknown provider: nothing of it can be checked).
 */
export function schemaCoverage(source: string): "full" | "partial" | undefined {
  const s = normalizeSource(source);
  if (HAND_WRITTEN[s]) return "partial";
  return PROVIDER_PACKAGES[s] && existsSync(packageDir(s)) ? "full" : undefined;
}

/**
 * The provider version the schema describes (the version the cdktf package was generated
 * from, or the hand-written binding's), or undefined for an unknown provider.
 */
export function schemaProviderVersion(source: string): string | undefined {
  const s = normalizeSource(source);
  if (HAND_WRITTEN_VERSIONS[s]) return HAND_WRITTEN_VERSIONS[s];
  if (schemaCoverage(s) !== "full") return undefined;
  const pkg = JSON.parse(readFileSync(path.join(packageDir(s), "package.json"), "utf8")) as { cdktf?: { provider?: { version?: string } } };
  return pkg.cdktf?.provider?.version;
}

/**
 * The schema of one type of a provider (`kind` "provider" ignores `type`), or undefined when
 * the provider has no such type (or the provider is unknown: ask `schemaCoverage` first).
 */
export function typeSchema(source: string, kind: SchemaKind, type: string): SchemaJson | undefined {
  const s = normalizeSource(source);
  const hand = HAND_WRITTEN[s];
  if (hand) return kind === "provider" ? hand.provider : kind === "resource" ? hand.resource_schemas[type] : hand.data_source_schemas[type];
  if (!PROVIDER_PACKAGES[s]) return undefined;
  return packageSchemas(s).get(kind, type);
}

/**
 * One provider's schema in the shape of `terraform providers schema -json`
 * (`provider_schemas[<address>]`): the provider block plus the resource and data source types
 * asked for (all of the provider's, when `only` is omitted: slow on first use for AWS, then
 * cached). Types the provider lacks are left out. Throws for an unknown provider.
 */
export function providerSchema(source: string, only?: { readonly resources?: Iterable<string>; readonly dataSources?: Iterable<string> }): ProviderSchemaJson {
  const s = normalizeSource(source);
  const hand = HAND_WRITTEN[s];
  if (!hand && !PROVIDER_PACKAGES[s]) throw new Error(`no schema for provider ${source}: neither a @cdktf/provider-* package nor a hand-written binding`);
  const resources = only ? [...(only.resources ?? [])] : allTypes(s, "resource");
  const dataSources = only ? [...(only.dataSources ?? [])] : allTypes(s, "data");
  const pick = (kind: SchemaKind, types: string[]) => {
    const out: Record<string, SchemaJson> = {};
    for (const t of [...new Set(types)].sort()) {
      const schema = typeSchema(s, kind, t);
      if (schema) out[t] = schema;
    }
    return out;
  };
  return { provider: typeSchema(s, "provider", "")!, resource_schemas: pick("resource", resources), data_source_schemas: pick("data", dataSources) };
}

/**
 * What `terraform providers schema -json` prints for the given providers, each with the types
 * asked for (keys are full registry addresses, e.g. `registry.terraform.io/hashicorp/aws`).
 */
export function providerSchemasJson(wanted: Readonly<Record<string, { readonly resources?: Iterable<string>; readonly dataSources?: Iterable<string> }>>): { format_version: string; provider_schemas: Record<string, ProviderSchemaJson> } {
  const provider_schemas: Record<string, ProviderSchemaJson> = {};
  for (const [source, only] of Object.entries(wanted)) provider_schemas[`registry.terraform.io/${normalizeSource(source)}`] = providerSchema(source, only);
  return { format_version: "1.0", provider_schemas };
}

function packageDir(source: string): string {
  return path.join(ROOT, "node_modules", PROVIDER_PACKAGES[source]!);
}

/** Every type name of a kind a package binds (reads each module once; cached like the rest). */
function allTypes(source: string, kind: "resource" | "data"): string[] {
  const hand = HAND_WRITTEN[source];
  if (hand) return Object.keys(kind === "resource" ? hand.resource_schemas : hand.data_source_schemas);
  return packageSchemas(source).allTypes(kind);
}

const packages = new Map<string, PackageSchemas>();

function packageSchemas(source: string): PackageSchemas {
  let p = packages.get(source);
  if (!p) packages.set(source, (p = new PackageSchemas(source)));
  return p;
}

/** The derived schemas of one installed package: in memory, then on disk, then from source. */
class PackageSchemas {
  private readonly dir: string;
  private readonly prefix: string;
  private readonly cacheDir: string;
  private readonly memo = new Map<string, SchemaJson | null>();
  private modules?: string[];

  constructor(source: string) {
    this.dir = packageDir(source);
    this.prefix = source.split("/")[1]!;
    const { name, version } = JSON.parse(readFileSync(path.join(this.dir, "package.json"), "utf8")) as { name: string; version: string };
    this.cacheDir = path.join(ROOT, "node_modules", ".cache", "super-terraform-schemas", `${name.replace("/", "+")}@${version}-d${DERIVATION}`);
  }

  get(kind: SchemaKind, type: string): SchemaJson | undefined {
    const key = kind === "provider" ? "provider" : `${kind}.${type}`;
    if (!this.memo.has(key)) this.memo.set(key, this.cached(key, () => this.derive(kind, type)));
    return this.memo.get(key) ?? undefined;
  }

  allTypes(kind: "resource" | "data"): string[] {
    const key = `types.${kind}`;
    const cached = this.read(key) as string[] | undefined;
    if (cached) return cached;
    const types: string[] = [];
    for (const mod of this.listModules()) {
      const source = this.moduleSource(mod);
      const cls = source && bindingClassOf(source);
      if (cls && cls.kind === kind) types.push(cls.tfType);
    }
    this.write(key, types.sort());
    return types;
  }

  private cached(key: string, derive: () => SchemaJson | null): SchemaJson | null {
    const hit = this.read(key);
    if (hit !== undefined) return hit as SchemaJson | null;
    const schema = derive();
    this.write(key, schema);
    return schema;
  }

  private read(key: string): unknown {
    const file = path.join(this.cacheDir, `${key}.json`);
    return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
  }

  /** Written whole under a temporary name, then renamed: parallel runs never read half a file. */
  private write(key: string, value: unknown): void {
    mkdirSync(this.cacheDir, { recursive: true });
    const file = path.join(this.cacheDir, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  }

  private derive(kind: SchemaKind, type: string): SchemaJson | null {
    for (const mod of this.candidates(kind, type)) {
      const source = this.moduleSource(mod);
      const cls = source ? bindingClassOf(source) : undefined;
      if (!cls || cls.kind !== kind || (kind !== "provider" && cls.tfType !== type)) continue;
      return { version: 0, block: blockFromBinding(source!) };
    }
    return null;
  }

  /**
   * Modules that may bind a type: the generator's name (`aws_eks_cluster` -> `eks-cluster`,
   * data `aws_subnets` -> `data-aws-subnets`), then any module whose name matches it once
   * dashes are dropped (the generator splits digits and reserved words its own way).
   */
  private candidates(kind: SchemaKind, type: string): string[] {
    if (kind === "provider") return ["provider"];
    const bare = kind === "data" ? `data_${type}` : type.startsWith(`${this.prefix}_`) ? type.slice(this.prefix.length + 1) : type;
    const guess = bare.replace(/_/g, "-");
    const flat = bare.replace(/_/g, "");
    const others = this.listModules().filter((m) => m !== guess && m.replace(/-/g, "") === flat);
    return [guess, ...others];
  }

  private listModules(): string[] {
    this.modules ??= readdirSync(path.join(this.dir, "lib"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    return this.modules;
  }

  /**
   * The TypeScript source of a module, from the inline source maps of its compiled JavaScript.
   * The generator moves the structs of a large type (google_container_cluster) into
   * `index-structs/structs<n>.js`; their sources are appended, so nested blocks are found too.
   */
  private moduleSource(mod: string): string | undefined {
    const main = sourceOf(path.join(this.dir, "lib", mod, "index.js"));
    if (main === undefined) return undefined;
    const structsDir = path.join(this.dir, "lib", mod, "index-structs");
    if (!existsSync(structsDir)) return main;
    const parts = readdirSync(structsDir).filter((f) => /^structs\d+\.js$/.test(f)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
    return [main, ...parts.map((f) => sourceOf(path.join(structsDir, f)) ?? "")].join("\n");
  }
}

/** The TypeScript source embedded in a compiled module's inline source map. */
function sourceOf(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const js = readFileSync(file, "utf8");
  const at = js.lastIndexOf("sourceMappingURL=data:application/json;base64,");
  if (at < 0) return undefined;
  const map = JSON.parse(Buffer.from(js.slice(at + "sourceMappingURL=data:application/json;base64,".length).trim(), "base64").toString("utf8")) as { sourcesContent?: string[] };
  return map.sourcesContent?.[0];
}

/**
 * The providers a synthesized stack (`cdk.tf.json`, parsed) uses, by normalized source, each
 * with the resource and data source types the stack declares: what `providerSchemasJson`
 * needs to answer for that stack.
 */
export function typesUsedBy(stack: any): Record<string, { resources: string[]; dataSources: string[] }> {
  const sources: Record<string, string> = {};
  for (const [local, p] of Object.entries<any>(stack?.terraform?.required_providers ?? {})) sources[local] = normalizeSource(typeof p === "string" ? p : p?.source ?? local);
  const used: Record<string, { resources: Set<string>; dataSources: Set<string> }> = {};
  const entry = (local: string) => (used[sources[local] ?? normalizeSource(local)] ??= { resources: new Set(), dataSources: new Set() });
  for (const local of Object.keys(sources)) entry(local);
  for (const local of Object.keys(stack?.provider ?? {})) entry(local);
  const localOf = (type: string, body: any) => (typeof body?.provider === "string" ? body.provider.replace(/^\$\{(.*)\}$/, "$1").split(".")[0] : type.split("_")[0]!);
  for (const [type, byName] of Object.entries<any>(stack?.resource ?? {})) for (const body of Object.values<any>(byName)) entry(localOf(type, body)).resources.add(type);
  for (const [type, byName] of Object.entries<any>(stack?.data ?? {})) for (const body of Object.values<any>(byName)) entry(localOf(type, body)).dataSources.add(type);
  return Object.fromEntries(Object.entries(used).sort(([a], [b]) => a.localeCompare(b)).map(([s, u]) => [s, { resources: [...u.resources].sort(), dataSources: [...u.dataSources].sort() }]));
}
