import { didYouMean } from "../config/suggest.js";
import { unresolvedStep } from "./attribute-path.js";
import { checkPolicy } from "./iam-policy.js";
import { policyDocuments } from "./policy-documents.js";
import { normalizeSource, schemaCoverage, schemaProviderVersion, typeSchema, type SchemaKind } from "./provider-schema.js";
import type { BlockJson, SchemaJson } from "./schema-types.js";
import { parseTemplate, referencesOf, type Reference } from "./template.js";
import { typeName, valueMismatch } from "./value-shape.js";
import type { RehearsalCheck, RehearsalFinding, RehearsalStack } from "./types.js";

/*
 * What `terraform validate` rejects, checked on each synthesized stack against the providers'
 * derived schemas: unknown types, unknown or read-only arguments, missing required arguments
 * and blocks, references to nothing (or to an attribute the type lacks), bad `depends_on`,
 * `moved`, `removed` and `import` addresses, template text Terraform would read as an
 * interpolation, and IAM policy documents AWS would refuse. What cannot be modelled (a
 * provider without a schema here, a policy assembled by an expression) is a "not-checked"
 * finding, never a silent pass.
 */

/** Arguments Terraform itself handles on every resource and data source. */
const META = new Set(["//", "count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection", "dynamic"]);
/** Roots Terraform resolves itself. */
const BUILTIN_ROOTS = new Set(["count", "each", "self", "path", "terraform"]);

/** The validity check: every stack on its own, as `terraform validate` would see it. */
export const validity: RehearsalCheck = (context) => context.stacks.flatMap((s) => validateStack(s));

/** One stack's validity findings, deduplicated (a template repeated in one argument is one finding). */
export function validateStack(stack: RehearsalStack): RehearsalFinding[] {
  const v = new StackValidator(stack.spec.name, stack.json ?? {});
  v.run();
  const seen = new Set<string>();
  return v.findings.filter((f) => {
    const key = `${f.class}|${f.address}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

class StackValidator {
  readonly findings: RehearsalFinding[] = [];
  private readonly providers: Record<string, string>;
  private readonly resources = new Map<string, { type: string; body: any }>();
  private readonly data = new Map<string, { type: string; body: any }>();
  private readonly variables: Set<string>;
  private readonly locals: Set<string>;
  private readonly aliases = new Set<string>();
  private readonly notModelled = new Set<string>();

  constructor(private readonly stack: string, private readonly json: any) {
    this.providers = Object.fromEntries(Object.entries<any>(json.terraform?.required_providers ?? {}).map(([local, p]) => [local, normalizeSource(typeof p === "string" ? p : p.source ?? local)]));
    for (const [type, byName] of Object.entries<any>(json.resource ?? {})) for (const [name, body] of Object.entries<any>(byName)) this.resources.set(`${type}.${name}`, { type, body });
    for (const [type, byName] of Object.entries<any>(json.data ?? {})) for (const [name, body] of Object.entries<any>(byName)) this.data.set(`data.${type}.${name}`, { type, body });
    this.variables = new Set(Object.keys(json.variable ?? {}));
    this.locals = new Set(Object.keys(json.locals ?? {}));
    for (const [local, configs] of Object.entries<any>(json.provider ?? {})) {
      for (const c of ([] as any[]).concat(configs)) this.aliases.add(c?.alias ? `${local}.${c.alias}` : local);
    }
  }

  run(): void {
    for (const [address, { type, body }] of this.resources) this.checkObject("resource", address, type, body);
    for (const [address, { type, body }] of this.data) this.checkObject("data", address, type, body);
    for (const [local, configs] of Object.entries<any>(this.json.provider ?? {})) {
      for (const c of ([] as any[]).concat(configs)) this.checkProvider(local, c ?? {});
    }
    for (const [name, output] of Object.entries<any>(this.json.output ?? {})) this.checkExpressions(`output.${name}`, output?.value, "value");
    for (const [name, value] of Object.entries<any>(this.json.locals ?? {})) this.checkExpressions(`local.${name}`, value, "value");
    this.checkAddresses();
    this.checkVersions();
    for (const source of [...this.notModelled].sort()) {
      this.add("not-checked", `provider ${source}`, `not checked: provider ${source} has no schema here (no @cdktf/provider-* package or hand-written binding), so its resources, arguments and references are not validated`, "Add the provider's cdktf package (or a hand-written schema in lib/rehearsal/) so the rehearsal can validate it.");
    }
  }

  private add(kind: RehearsalFinding["class"], address: string, message: string, fix: string): void {
    this.findings.push({ class: kind, stack: this.stack, address, message, fix });
  }

  private sourceOf(local: string): string {
    return this.providers[local] ?? `hashicorp/${local}`;
  }

  /** The schema of a type, or undefined after reporting why there is none. */
  private schemaFor(kind: SchemaKind, address: string, type: string, local: string): SchemaJson | undefined {
    const source = this.sourceOf(local);
    const coverage = schemaCoverage(source);
    if (!coverage) {
      this.notModelled.add(source);
      return undefined;
    }
    const schema = typeSchema(source, kind, type);
    if (schema) return schema;
    if (coverage === "partial") {
      this.add("not-checked", address, `not checked: ${kind === "data" ? "data source" : kind} type "${type}" is not part of the hand-written ${source} schema`, `Extend lib/rehearsal/ with the schema of "${type}" from the provider's source.`);
    } else {
      this.add("validity", address, `Invalid ${kind === "data" ? "data source" : "resource type"}: provider ${source} has no ${kind === "data" ? "data source" : "resource type"} "${type}" at its pinned version`, `Use a type the provider has (see its registry documentation at the pinned version), or upgrade the provider.`);
    }
    return undefined;
  }

  private checkObject(kind: "resource" | "data", address: string, type: string, body: any): void {
    const local = typeof body?.provider === "string" ? body.provider.replace(/^\$\{(.*)\}$/, "$1").split(".")[0] : type.split("_")[0]!;
    if (typeof body?.provider === "string") {
      const alias = body.provider.replace(/^\$\{(.*)\}$/, "$1");
      if (!this.aliases.has(alias)) this.add("validity", address, `Provider configuration not present: "${alias}" is not configured in this stack`, `Declare provider "${alias.split(".")[0]}" with alias "${alias.split(".")[1] ?? ""}" in the stack, or use one of: ${[...this.aliases].sort().join(", ")}.`);
    }
    const schema = this.schemaFor(kind, address, type, local);
    if (schema) this.checkBody(address, "", body ?? {}, schema.block, true);
    for (const [key, value] of Object.entries<any>(body ?? {})) {
      if (key === "//" || key === "depends_on" || key === "provider") continue;
      if (key === "lifecycle") {
        // ignore_changes and replace_triggered_by hold attribute names and addresses, not templates.
        const rest = Object.fromEntries(Object.entries<any>(value ?? {}).filter(([k]) => k !== "ignore_changes" && k !== "replace_triggered_by"));
        this.checkExpressions(address, rest, key);
        continue;
      }
      this.checkExpressions(address, key === "dynamic" ? { dynamic: value } : value, key);
    }
    for (const dep of ([] as any[]).concat(body?.depends_on ?? [])) {
      const target = String(dep).replace(/^\$\{(.*)\}$/, "$1");
      if (!this.resources.has(target) && !this.data.has(target) && !target.startsWith("module.")) {
        this.add("validity", address, `Invalid depends_on: "${target}" is not declared in this stack`, `Point depends_on at a resource or data source of this stack${didYouMean(target, [...this.resources.keys(), ...this.data.keys()])}, or remove it.`);
      }
    }
    if (kind === "resource") this.checkPolicies(address, type, body ?? {});
  }

  private checkProvider(local: string, config: any): void {
    const address = config.alias ? `provider.${local}.${config.alias}` : `provider.${local}`;
    const schema = this.schemaFor("provider", address, local, local);
    const rest = Object.fromEntries(Object.entries<any>(config).filter(([k]) => k !== "alias"));
    if (schema) this.checkBody(address, "", rest, schema.block, false);
    for (const [key, value] of Object.entries<any>(rest)) this.checkExpressions(address, value, key);
  }

  /** Arguments known and settable, required ones present, blocks within their counts. */
  private checkBody(address: string, where: string, body: any, block: BlockJson, topLevel: boolean): void {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return;
    const attrs = block.attributes ?? {};
    const blocks = block.block_types ?? {};
    const dynamic = new Set(Object.keys(body.dynamic ?? {}));
    for (const [name, spec] of Object.entries<any>(body.dynamic ?? {})) {
      const nested = blocks[name];
      if (!nested) this.add("validity", address, `Unsupported block type: a dynamic block "${where}${name}" names no nested block of this type${didYouMean(name, Object.keys(blocks))}`, `Name a nested block the type has.`);
      else this.checkBody(address, `${where}${name}.`, spec?.content ?? {}, nested.block, false);
    }
    for (const [key, value] of Object.entries<any>(body)) {
      if (key === "//" || (topLevel && META.has(key)) || key === "dynamic") continue;
      const at = `${where}${key}`;
      const attr = attrs[key];
      const nested = blocks[key];
      if (attr) {
        if (attr.computed && !attr.optional && !attr.required) this.add("validity", address, `Invalid argument "${at}": it is read-only (computed by the provider) and cannot be set`, `Remove "${at}"; read it as ${address}.${at} instead.`);
        const mismatch = valueMismatch(attr.type, value);
        if (mismatch) this.add("validity", address, `Incorrect attribute value type for "${at}": ${mismatch}`, `Give "${at}" a value of type ${typeName(attr.type)}.`);
        continue;
      }
      if (!nested) {
        const names = [...Object.keys(attrs), ...Object.keys(blocks)];
        this.add("validity", address, `Unsupported argument: an argument named "${at}" is not expected here${didYouMean(key, names)}`, `Remove "${at}" or rename it to an argument of the type (see the provider's documentation at its pinned version).`);
        continue;
      }
      const items = value === null ? [] : Array.isArray(value) ? value : [value];
      if (nested.max_items !== undefined && items.length > nested.max_items) this.add("validity", address, `Too many "${at}" blocks: at most ${nested.max_items} allowed, ${items.length} given`, `Keep at most ${nested.max_items} "${at}" block(s).`);
      if (nested.nesting_mode === "map") for (const item of Object.values<any>(value ?? {})) this.checkBody(address, `${at}.`, item, nested.block, false);
      else for (const item of items) this.checkBody(address, `${at}.`, item, nested.block, false);
    }
    for (const [name, attr] of Object.entries(attrs)) {
      if (attr.required && (body[name] === undefined || body[name] === null)) this.add("validity", address, `Missing required argument: the argument "${where}${name}" is required, but no definition was found`, `Set "${where}${name}".`);
    }
    for (const [name, nested] of Object.entries(blocks)) {
      const given = body[name] === undefined || body[name] === null ? 0 : Array.isArray(body[name]) ? body[name].length : 1;
      if (nested.min_items && given < nested.min_items && !dynamic.has(name)) this.add("validity", address, `Insufficient "${where}${name}" blocks: at least ${nested.min_items} required, ${given} given`, `Add a "${where}${name}" block.`);
    }
  }

  /** Every string under `value`: its template must be well-formed and its references must resolve. */
  private checkExpressions(address: string, value: unknown, argument: string, iterators: ReadonlySet<string> = new Set()): void {
    if (typeof value === "string") {
      const template = parseTemplate(value);
      for (const p of template.problems) this.add("validity", address, `Bad escaping in "${argument}": ${p}`, `Escape the literal text in the synthesized JSON (in cdktf, a literal "\${" must reach cdk.tf.json as "$\${").`);
      for (const i of template.interpolations) for (const ref of referencesOf(i.expression)) if (!iterators.has(ref.root)) this.checkReference(address, argument, ref);
      return;
    }
    if (Array.isArray(value)) for (const v of value) this.checkExpressions(address, v, argument, iterators);
    else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries<any>(value)) {
        if (k === "//") continue;
        if (k === "dynamic" && typeof v === "object" && v !== null) {
          // A dynamic block's content reads its iterator (named after the block unless given).
          for (const [block, spec] of Object.entries<any>(v)) this.checkExpressions(address, spec, argument, new Set([...iterators, spec?.iterator ?? block]));
        } else this.checkExpressions(address, v, argument, iterators);
      }
    }
  }

  private checkReference(address: string, argument: string, ref: Reference): void {
    const problem = this.unresolved(ref);
    if (!problem) return;
    if (problem === "escaping") {
      this.add("validity", address, `Bad escaping in "${argument}": "\${${ref.text}}" is read by Terraform as an interpolation (Invalid reference); a literal "\${" must be written "$\${" in the JSON`, `Escape the placeholder where the string is built so it reaches cdk.tf.json as "$\${${ref.text}}" (for a CloudFormation template, escape each "\${" before handing the template to cdktf).`);
      return;
    }
    this.add("validity", address, `Bad reference "${ref.text}" in "${argument}": ${problem}`, `Reference something this stack declares (resource, data source, variable, local) and an attribute its type has.`);
  }

  /** Why a reference does not resolve, "escaping" when it cannot be meant as one, or undefined. */
  private unresolved(ref: Reference): string | undefined {
    const first = ref.steps[0];
    const name = first && "attr" in first ? first.attr : undefined;
    if (BUILTIN_ROOTS.has(ref.root)) return undefined;
    if (ref.root === "var") return name && this.variables.has(name) ? undefined : `Reference to undeclared input variable "${name ?? ""}"${didYouMean(name ?? "", this.variables)}`;
    if (ref.root === "local") return name && this.locals.has(name) ? undefined : `Reference to undeclared local value "${name ?? ""}"${didYouMean(name ?? "", this.locals)}`;
    if (ref.root === "module") return `Reference to undeclared module "${name ?? ""}": stacks declare no modules`;
    if (ref.root === "data") {
      const second = ref.steps[1];
      const address = `data.${name ?? ""}.${second && "attr" in second ? second.attr : ""}`;
      const found = this.data.get(address);
      if (!found) return `Reference to undeclared data source "${address}"${didYouMean(address, this.data.keys())}`;
      return this.unresolvedAttribute("data", found.type, found.body, ref.steps.slice(2));
    }
    // A resource reference: <type>.<name>. A root that is no provider's type prefix (such as
    // CloudFormation's "${Workspace1}") is literal text meant for another language.
    const prefix = ref.root.split("_")[0]!;
    const looksLikeResource = ref.root.includes("_") && (prefix in this.providers || [...this.resources.values()].some((r) => r.type === ref.root));
    if (!looksLikeResource) return "escaping";
    if (!name) return `Invalid reference: a reference to a resource type must be followed by at least one attribute access, specifying the resource name`;
    const address = `${ref.root}.${name}`;
    const found = this.resources.get(address);
    if (!found) return `Reference to undeclared resource "${address}"${didYouMean(address, this.resources.keys())}`;
    return this.unresolvedAttribute("resource", found.type, found.body, ref.steps.slice(1));
  }

  private unresolvedAttribute(kind: "resource" | "data", type: string, body: any, steps: Reference["steps"]): string | undefined {
    const local = typeof body?.provider === "string" ? body.provider.replace(/^\$\{(.*)\}$/, "$1").split(".")[0] : type.split("_")[0]!;
    const source = this.sourceOf(local);
    if (!schemaCoverage(source)) return undefined; // reported once per provider as not checked
    const schema = typeSchema(source, kind, type);
    if (!schema) return undefined; // reported where it is declared
    const counted = body?.count !== undefined || body?.for_each !== undefined;
    let rest = steps;
    const head = rest[0];
    if (counted) {
      if (head && !("attr" in head)) rest = rest.slice(1);
      else if (head) return `Missing resource instance key: "${type}" has "count" or "for_each", so its attributes are read per instance (for example [0] or ["key"])`;
    } else if (head && "index" in head) return `Unexpected resource instance key: "${type}" has neither "count" nor "for_each"`;
    return unresolvedStep(schema.block, rest);
  }

  /** A stack pinned to another provider version than the schema describes is checked against the wrong schema: say so. */
  private checkVersions(): void {
    for (const [local, p] of Object.entries<any>(this.json.terraform?.required_providers ?? {})) {
      const pinned = typeof p?.version === "string" ? p.version.trim() : undefined;
      const known = schemaProviderVersion(this.sourceOf(local));
      if (!pinned || !known || !/^=?\s*\d+\.\d+\.\d+$/.test(pinned) || pinned.replace(/^=\s*/, "") === known) continue;
      this.add("not-checked", `provider ${this.sourceOf(local)}`, `not checked: the stack pins ${this.sourceOf(local)} ${pinned}, but the schema here is of ${known}; arguments were checked against ${known}`, `Pin the version the installed binding was generated for (${known}), or install the binding of ${pinned}.`);
    }
  }

  /** `moved`, `removed` and `import` blocks point at the right addresses. */
  private checkAddresses(): void {
    const declared = (a: string) => this.resources.has(stripIndex(a)) || this.data.has(stripIndex(a));
    for (const m of ([] as any[]).concat(this.json.moved ?? [])) {
      const from = String(m?.from ?? "");
      const to = String(m?.to ?? "");
      if (!declared(to)) this.add("validity", `moved ${from} -> ${to}`, `Moved object to an undeclared address: "${to}" is not declared in this stack`, `Point "to" at the resource's current address.`);
      if (declared(from)) this.add("validity", `moved ${from} -> ${to}`, `Moved object still exists: "${from}" is still declared in this stack`, `Remove the moved block, or the old resource.`);
    }
    for (const r of ([] as any[]).concat(this.json.removed ?? [])) {
      const from = String(r?.from ?? "");
      if (declared(from)) this.add("validity", `removed ${from}`, `Removed resource still exists: "${from}" is still declared in this stack`, `Remove the resource or the removed block.`);
    }
    for (const i of ([] as any[]).concat(this.json.import ?? [])) {
      const to = String(i?.to ?? "");
      if (!this.resources.has(stripIndex(to))) this.add("validity", `import ${to}`, `Import to an undeclared resource: "${to}" is not declared in this stack`, `Declare the resource, or point "to" at it.`);
      if (i?.id !== undefined) this.checkExpressions(`import ${to}`, i.id, "id");
      if (typeof i?.provider === "string" && !this.aliases.has(i.provider.replace(/^\$\{(.*)\}$/, "$1"))) this.add("validity", `import ${to}`, `Provider configuration not present: "${i.provider}"`, `Use a provider configured in this stack.`);
    }
  }

  /** IAM policy documents in arguments AWS parses as policies. */
  private checkPolicies(address: string, type: string, body: any): void {
    const docs = policyDocuments(type, body);
    for (const { argument, doc, kind: kindOf } of docs) {
      if (typeof doc !== "string" || /^\$\{[^{}]*\}$/.test(doc)) continue; // a reference (a policy document data source): checked as one
      const verdict = checkPolicy(doc, kindOf);
      if (verdict.notChecked) this.add("not-checked", address, `not checked: "${argument}": ${verdict.notChecked}`, `Build the document with data "aws_iam_policy_document" or as a JSON string so it can be checked.`);
      for (const p of verdict.problems) this.add("validity", address, `Malformed policy document in "${argument}": ${p}`, `Fix the document so AWS accepts it as ${kindOf === "trust" ? "a trust policy" : `a${kindOf === "identity" ? "n identity" : kindOf === "resource" || kindOf === "attached" ? " resource" : kindOf === "scp" ? " service control" : " resource control"} policy`}.`);
    }
  }
}

/** `aws_x.y[0]` / `aws_x.y["k"]` -> `aws_x.y`. */
function stripIndex(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}
