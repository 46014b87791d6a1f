/*
 * Whether two syntheses of the same organization (one under cdktf, one under its fork cdktn)
 * wrote the same thing. Two differences are known and allowed: the library's version stamp and
 * the layout of an empty list or object (`[\n      ]` against `[]`). Anything else is reported
 * with the stack, the file and the JSON path where it is. Pure: `scripts/check-cdktn.ts` does
 * the installs and the syntheses.
 */
import { jsonPathAt } from "../rehearsal/json-address";

/** A synthesis output directory's files: path relative to it (`stacks/network/cdk.tf.json`) -> text. */
export type OutputFiles = ReadonlyMap<string, string>;

/** One difference that is neither the version stamp nor the layout of an empty list or object. */
export interface OutputDifference {
  /** The stack whose file differs; for a file outside `stacks/`, the file itself. */
  readonly stack: string;
  /** Path of the file inside the output directory. */
  readonly file: string;
  /** JSON path of the difference (`$.resource.aws_s3_bucket.logs.tags`); `$` for the whole file. */
  readonly path: string;
  /** What differs, naming both sides. */
  readonly detail: string;
}

/** The result of comparing two output directories. */
export interface OutputComparison {
  readonly differences: readonly OutputDifference[];
  /** Files present on both sides. */
  readonly compared: number;
  /** Files whose bytes are the same on both sides. */
  readonly identical: number;
  /** Files whose version stamp differs (allowed). */
  readonly versionStamp: number;
  /** Files whose empty lists or objects are laid out differently (allowed). */
  readonly emptyLayout: number;
}

/** Names for the two sides in messages. */
export interface SideNames {
  readonly reference: string;
  readonly candidate: string;
}

/** A stamp line of either library: `"version": "0.21.0",` (the manifest's or a stack's metadata). */
const STAMP_LINE = /^\s*"version": "[^"]*",?$/;

/**
 * Compares every file of `candidate` with the same file of `reference`: JSON files by value
 * (object key order aside, as Terraform reads them) and then by layout, other files by bytes.
 */
export function compareOutputs(reference: OutputFiles, candidate: OutputFiles, names: SideNames): OutputComparison {
  const differences: OutputDifference[] = [];
  let compared = 0;
  let identical = 0;
  let versionStamp = 0;
  let emptyLayout = 0;
  const files = [...new Set([...reference.keys(), ...candidate.keys()])].sort();
  for (const file of files) {
    const ref = reference.get(file);
    const cand = candidate.get(file);
    const at = (path: string, detail: string) => differences.push({ stack: stackOf(file), file, path, detail });
    if (ref === undefined || cand === undefined) {
      at("$", `only ${ref === undefined ? names.candidate : names.reference} wrote this file`);
      continue;
    }
    compared++;
    if (ref === cand) {
      identical++;
      continue;
    }
    if (!file.endsWith(".json")) {
      at("$", `the files differ (${firstDifferentLine(ref, cand, names)})`);
      continue;
    }
    const refJson = parse(ref);
    const candJson = parse(cand);
    if (refJson instanceof Error || candJson instanceof Error) {
      at("$", `not valid JSON in ${refJson instanceof Error ? names.reference : names.candidate}: ${(refJson instanceof Error ? refJson : (candJson as Error)).message}`);
      continue;
    }
    const stamps = stampPaths(file);
    if (stamps.some((p) => valueAt(refJson, p) !== valueAt(candJson, p))) versionStamp++;
    const found = valueDifferences(withoutPaths(refJson, stamps), withoutPaths(candJson, stamps), "$", names);
    for (const d of found) at(d.path, d.detail);
    if (found.length > 0) continue;
    // Same values: the texts may still differ in layout. Only the empty lists and objects may.
    const layout = layoutDifference(collapseEmpty(ref), collapseEmpty(cand));
    if (layout) at(layout.path, `laid out differently beyond empty lists and the version stamp, from line ${layout.line}: ${shown(layout.refText)} in ${names.reference}, ${shown(layout.candText)} in ${names.candidate}`);
    else if (layoutDifference(ref, cand)) emptyLayout++;
  }
  return { differences, compared, identical, versionStamp, emptyLayout };
}

/** `stacks/<name>/...` -> `<name>`; any other file stands for itself. */
function stackOf(file: string): string {
  const m = /^stacks\/([^/]+)\//.exec(file);
  return m ? m[1]! : file;
}

/** Where each library writes its version: the manifest's `version`, a stack's `//.metadata.version`. */
function stampPaths(file: string): string[][] {
  if (file === "manifest.json") return [["version"]];
  if (/^stacks\/[^/]+\/cdk\.tf\.json$/.test(file)) return [["//", "metadata", "version"]];
  return [];
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function valueAt(value: unknown, keys: readonly string[]): unknown {
  let at = value;
  for (const k of keys) at = isObject(at) ? at[k] : undefined;
  return at;
}

/** A copy of `value` without the values at `paths` (a path that is absent is left alone). */
function withoutPaths(value: unknown, paths: readonly (readonly string[])[]): unknown {
  if (paths.length === 0 || !isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const below = paths.filter((p) => p[0] === k);
    if (below.some((p) => p.length === 1)) continue;
    out[k] = withoutPaths(v, below.map((p) => p.slice(1)));
  }
  return out;
}

/** `$.a.b`, `$["//"]`, `$.list[0]`. */
function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Every path where two JSON values differ; object key order does not count. */
function valueDifferences(a: unknown, b: unknown, path: string, names: SideNames): { path: string; detail: string }[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out = a.slice(0, Math.min(a.length, b.length)).flatMap((x, i) => valueDifferences(x, b[i], child(path, i), names));
    if (a.length !== b.length) out.push({ path, detail: `${a.length} items in ${names.reference}, ${b.length} in ${names.candidate}` });
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: { path: string; detail: string }[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!(k in b)) out.push({ path: child(path, k), detail: `only in ${names.reference}: ${shown(a[k])}` });
      else if (!(k in a)) out.push({ path: child(path, k), detail: `only in ${names.candidate}: ${shown(b[k])}` });
      else out.push(...valueDifferences(a[k], b[k], child(path, k), names));
    }
    return out;
  }
  return a === b ? [] : [{ path, detail: `${shown(a)} in ${names.reference}, ${shown(b)} in ${names.candidate}` }];
}

/** The text with every empty list and object written `[]` and `{}`, however it was spread over lines. */
function collapseEmpty(text: string): string {
  return text.replace(/\[\s+\]/g, "[]").replace(/\{\s+\}/g, "{}");
}

/**
 * The first line where two texts differ other than in their version stamp line, with the JSON
 * path there (of the candidate's text); undefined when there is none.
 */
function layoutDifference(ref: string, cand: string): { path: string; line: number; refText: string; candText: string } | undefined {
  const refLines = ref.split("\n");
  const candLines = cand.split("\n");
  let offset = 0;
  for (let i = 0; i < Math.max(refLines.length, candLines.length); i++) {
    const r = refLines[i];
    const c = candLines[i];
    if (r !== c && !(r !== undefined && c !== undefined && STAMP_LINE.test(r) && STAMP_LINE.test(c))) {
      const indent = c === undefined ? 0 : Math.max(0, c.search(/\S/));
      const keys = jsonPathAt(cand, Math.min(offset + indent, Math.max(cand.length - 1, 0)));
      return { path: keys.reduce<string>((p, k) => child(p, k), "$"), line: i + 1, refText: r?.trim() ?? "(end of file)", candText: c?.trim() ?? "(end of file)" };
    }
    offset += (c ?? "").length + 1;
  }
  return undefined;
}

function firstDifferentLine(ref: string, cand: string, names: SideNames): string {
  const a = ref.split("\n");
  const b = cand.split("\n");
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: ${shown(a[at] ?? "(end of file)")} in ${names.reference}, ${shown(b[at] ?? "(end of file)")} in ${names.candidate}`;
}
