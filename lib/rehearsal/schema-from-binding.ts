import type { AttributeJson, BlockJson, BlockTypeJson, TypeJson } from "./schema-types.js";

/*
 * Reads one Terraform type's schema out of the TypeScript source of its cdktf binding (the
 * `@cdktf/provider-*` packages embed it in each module's source map). The generator writes,
 * per argument and attribute, a comment `// <name> - computed: X, optional: Y, required: Z`
 * followed by its getter, and per struct a `<struct>ToHclTerraform` function whose entries say
 * whether an argument is a nested block, its collection kind and its element type. Those two
 * are enough for a faithful schema at the pinned provider version, without loading the
 * package's 130 MB jsii assembly.
 */

/** One argument entry of a `...ToHclTerraform` function or `synthesizeHclAttributes()`. */
interface HclEntry {
  readonly isBlock: boolean;
  /** "simple", "list", "set", "map" or "struct". */
  readonly kind: string;
  readonly storageClassType: string;
  /** The TypeScript field name (camelCase) the entry reads. */
  readonly field?: string;
}

/** One `// <name> - computed: ...` comment and the code after it, up to the next one. */
interface Flagged {
  readonly computed: boolean;
  readonly optional: boolean;
  readonly required: boolean;
  readonly code: string;
}

const CHUNK = /^export (?:declare )?(?:abstract )?(class|function|interface) (\w+)/gm;
const HCL_ENTRY = /^\s*(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",?\s*\}/gm;
const FLAG = /\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n/g;
const COMPLEX = /new (\w+)\(this, "(\w+)"(?:, (true|false))?\)/;
const TOP_CLASS = /^export class (\w+) extends cdktf\.(TerraformResource|TerraformDataSource|TerraformProvider) \{[\s\S]*?tfResourceType = "([\w-]+)"/m;

/** Getter calls of cdktf's base classes -> the attribute type they read. */
const GETTERS: readonly [RegExp, TypeJson][] = [
  // cdktf's own collection classes, for computed maps and lists of maps.
  [/new cdktf\.StringMap\(/, ["map", "string"]],
  [/new cdktf\.NumberMap\(/, ["map", "number"]],
  [/new cdktf\.BooleanMap\(/, ["map", "bool"]],
  [/new cdktf\.AnyMap\(/, ["map", "dynamic"]],
  [/new cdktf\.StringListMap\(/, ["map", ["list", "string"]]],
  [/new cdktf\.NumberListMap\(/, ["map", ["list", "number"]]],
  [/new cdktf\.BooleanListMap\(/, ["map", ["list", "bool"]]],
  [/new cdktf\.AnyListMap\(/, ["map", ["list", "dynamic"]]],
  [/new cdktf\.StringMapList\(/, ["list", ["map", "string"]]],
  [/new cdktf\.NumberMapList\(/, ["list", ["map", "number"]]],
  [/new cdktf\.BooleanMapList\(/, ["list", ["map", "bool"]]],
  [/new cdktf\.AnyMapList\(/, ["list", ["map", "dynamic"]]],
  [/Fn\.tolist\(this\.getListAttribute\(/, ["set", "string"]],
  [/Fn\.tolist\(this\.getNumberListAttribute\(/, ["set", "number"]],
  [/Fn\.tolist\(this\.getBooleanListAttribute\(/, ["set", "bool"]],
  [/this\.getListAttribute\(/, ["list", "string"]],
  [/this\.getNumberListAttribute\(/, ["list", "number"]],
  [/this\.getBooleanListAttribute\(/, ["list", "bool"]],
  [/this\.getStringMapAttribute\(/, ["map", "string"]],
  [/this\.getNumberMapAttribute\(/, ["map", "number"]],
  [/this\.getBooleanMapAttribute\(/, ["map", "bool"]],
  [/this\.getAnyMapAttribute\(/, ["map", "dynamic"]],
  [/this\.getStringAttribute\(/, "string"],
  [/this\.getNumberAttribute\(/, "number"],
  [/this\.getBooleanAttribute\(/, "bool"],
];

const PRIMITIVES: Record<string, TypeJson> = { string: "string", number: "number", boolean: "bool", any: "dynamic" };

/** The top-level class of a binding module: its name, kind and Terraform type name. */
export interface BindingClass {
  readonly className: string;
  readonly kind: "resource" | "data" | "provider";
  readonly tfType: string;
}

/** The binding class a module's source declares, or undefined when it declares none. */
export function bindingClassOf(source: string): BindingClass | undefined {
  const m = TOP_CLASS.exec(source);
  if (!m) return undefined;
  const kind = m[2] === "TerraformResource" ? "resource" : m[2] === "TerraformDataSource" ? "data" : "provider";
  return { className: m[1]!, kind, tfType: m[3]! };
}

/**
 * The schema block of the binding class in `source` (a resource, data source or provider):
 * every argument and attribute with its type and flags, every nested block with its nesting.
 * Throws when the source is not a cdktf binding (the caller reports the type as not checked).
 */
export function blockFromBinding(source: string): BlockJson {
  const top = bindingClassOf(source);
  if (!top) throw new Error("no cdktf resource, data source or provider class in this module");
  const reader = new BindingReader(source);
  const chunk = reader.chunk("class", top.className);
  const hclStart = chunk.indexOf("synthesizeHclAttributes()");
  const skip = top.kind === "provider" ? new Set(["alias"]) : new Set<string>();
  return reader.block(hclEntries(hclStart < 0 ? "" : chunk.slice(hclStart)), flagsOf(chunk), reader.chunk("interface", `${top.className}Config`), skip);
}

/** Reads blocks and struct types out of one module's source, each struct once. */
class BindingReader {
  private readonly chunks = new Map<string, string>();
  private readonly structs = new Map<string, BlockJson>();

  constructor(source: string) {
    const starts = [...source.matchAll(CHUNK)];
    starts.forEach((m, i) => this.chunks.set(`${m[1]} ${m[2]}`, source.slice(m.index, starts[i + 1]?.index ?? source.length)));
  }

  chunk(kind: "class" | "function" | "interface", name: string): string {
    return this.chunks.get(`${kind} ${name}`) ?? "";
  }

  /** The block of a struct (a nested block's or an object attribute's element). */
  struct(name: string): BlockJson {
    const known = this.structs.get(name);
    if (known) return known;
    // Recursive structs do not occur in Terraform schemas; the placeholder only guards the loop.
    this.structs.set(name, {});
    const fn = `${name[0]!.toLowerCase()}${name.slice(1)}ToHclTerraform`;
    const block = this.block(hclEntries(this.chunk("function", fn)), flagsOf(this.chunk("class", `${name}OutputReference`)), this.chunk("interface", name), new Set());
    this.structs.set(name, block);
    return block;
  }

  block(hcl: Map<string, HclEntry>, flags: Map<string, Flagged>, iface: string, skip: ReadonlySet<string>): BlockJson {
    const attributes: Record<string, AttributeJson> = {};
    const blockTypes: Record<string, BlockTypeJson> = {};
    const names = [...new Set([...hcl.keys(), ...flags.keys()])].filter((n) => !skip.has(n)).sort();
    for (const name of names) {
      const h = hcl.get(name);
      const f = flags.get(name);
      const complex = f ? COMPLEX.exec(f.code) : null;
      if (h?.isBlock) {
        const nesting = h.kind === "struct" ? "single" : (h.kind as "list" | "set" | "map");
        const blockType: BlockTypeJson = { nesting_mode: nesting, block: this.struct(structOf(h)) };
        if (f?.required && nesting !== "single" && nesting !== "map") blockType.min_items = 1;
        // The generator gives a block of at most one item a single-object accessor.
        if (complex?.[1]!.endsWith("OutputReference") && nesting !== "single") blockType.max_items = 1;
        blockTypes[name] = blockType;
        continue;
      }
      const type = h ? this.typeOfEntry(h) : this.typeOfGetter(f?.code ?? "", complex);
      attributes[name] = { type, ...flagsFor(f, h, iface) };
    }
    const block: BlockJson = {};
    if (Object.keys(attributes).length > 0) block.attributes = attributes;
    if (Object.keys(blockTypes).length > 0) block.block_types = blockTypes;
    return block;
  }

  /** An argument's type from its `storageClassType` ("stringList", "FooBarList", ...). */
  private typeOfEntry(h: HclEntry): TypeJson {
    const collection = h.kind === "set" ? "set" : h.kind === "map" ? "map" : "list";
    const primitive = primitiveType(h.storageClassType, collection);
    if (primitive !== undefined) return primitive;
    const object = this.objectType(structOf(h));
    return h.kind === "struct" ? object : [collection, object];
  }

  /** A computed attribute's type, from the accessor the generator wrote for it. */
  private typeOfGetter(code: string, complex: RegExpExecArray | null): TypeJson {
    if (complex) {
      const cls = complex[1]!;
      if (cls.endsWith("OutputReference")) return ["list", this.objectType(cls.slice(0, -"OutputReference".length))];
      if (cls.endsWith("Map")) return ["map", this.objectType(cls.slice(0, -3))];
      if (cls.endsWith("List")) return [complex[3] === "true" ? "set" : "list", this.objectType(cls.slice(0, -4))];
    }
    for (const [pattern, type] of GETTERS) if (pattern.test(code)) return type;
    return "dynamic";
  }

  /** A struct as an attribute's object type, optional attributes listed as Terraform does. */
  private objectType(name: string): TypeJson {
    const block = this.struct(name);
    const fields: Record<string, TypeJson> = {};
    const optional: string[] = [];
    for (const [n, a] of Object.entries(block.attributes ?? {})) {
      fields[n] = a.type;
      // Only arguments may be left out of a value; computed-only attributes are plain fields.
      if (a.optional) optional.push(n);
    }
    for (const [n, b] of Object.entries(block.block_types ?? {})) {
      fields[n] = b.nesting_mode === "single" ? ["object", {}] : [b.nesting_mode, ["object", {}]];
      optional.push(n);
    }
    return optional.length > 0 ? ["object", fields, optional] : ["object", fields];
  }
}

function hclEntries(code: string): Map<string, HclEntry> {
  const entries = new Map<string, HclEntry>();
  for (const m of code.matchAll(HCL_ENTRY)) {
    const field = /(?:struct!?\.|this\._)(\w+)/.exec(m[2]!)?.[1];
    entries.set(m[1]!, { isBlock: m[3] === "true", kind: m[4]!, storageClassType: m[5]!, field });
  }
  return entries;
}

function flagsOf(code: string): Map<string, Flagged> {
  const found = [...code.matchAll(FLAG)];
  const flags = new Map<string, Flagged>();
  found.forEach((m, i) => {
    const end = found[i + 1]?.index ?? code.length;
    flags.set(m[1]!, { computed: m[2] === "true", optional: m[3] === "true", required: m[4] === "true", code: code.slice(m.index + m[0].length, end) });
  });
  return flags;
}

/**
 * Required/optional/computed as Terraform prints them (only the true ones). Without the
 * generator's comment (provider structs have none), the config interface tells: a `?` field
 * is optional.
 */
function flagsFor(f: Flagged | undefined, h: HclEntry | undefined, iface: string): Pick<AttributeJson, "required" | "optional" | "computed"> {
  if (f) {
    const out: Pick<AttributeJson, "required" | "optional" | "computed"> = {};
    if (f.required) out.required = true;
    if (f.optional) out.optional = true;
    if (f.computed) out.computed = true;
    return out;
  }
  const field = h?.field;
  if (field && new RegExp(`readonly ${field}:`).test(iface)) return { required: true };
  return { optional: true };
}

/** "stringList", "numberMap", "booleanListList", ... -> a Terraform type; undefined for a struct. */
function primitiveType(storage: string, outer: "list" | "set" | "map"): TypeJson | undefined {
  const m = /^(string|number|boolean|any)((?:List|Map)*)$/.exec(storage);
  if (!m) return undefined;
  let type: TypeJson = PRIMITIVES[m[1]!]!;
  const wrappers = m[2]!.match(/List|Map/g) ?? [];
  wrappers.forEach((w, i) => {
    const last = i === wrappers.length - 1;
    type = w === "Map" ? ["map", type] : [last && outer === "set" ? "set" : "list", type];
  });
  return type;
}

/** The struct a block or object argument holds: its storage class without the collection suffix. */
function structOf(h: HclEntry): string {
  if (h.kind === "struct") return h.storageClassType;
  const suffix = h.kind === "map" ? "Map" : "List";
  return h.storageClassType.endsWith(suffix) ? h.storageClassType.slice(0, -suffix.length) : h.storageClassType;
}
