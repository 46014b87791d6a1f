/*
 * The change summary: compares two synthesized organizations (stack name -> cdk.tf.json)
 * without Terraform, by Terraform address. Pure: `scripts/diff.ts` does the git and the synths.
 */

type Block = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** One stack's synthesized JSON, as far as the comparison reads it. */
export interface StackJson {
  readonly resource?: Block;
  readonly data?: Block;
  readonly moved?: ReadonlyArray<{ readonly from?: string; readonly to?: string }>;
  /** Terraform >= 1.7 `removed` blocks; `destroy = false` makes Terraform forget the resource. */
  readonly removed?: ReadonlyArray<{ readonly from?: string; readonly lifecycle?: { readonly destroy?: unknown } }>;
  readonly [block: string]: unknown;
}

/** Synthesized stacks by name, as parsed from `cdktf.out/stacks/<name>/cdk.tf.json`. */
export type Synth = Readonly<Record<string, StackJson>>;

export interface ResourceChange {
  /** Terraform address, `type.name`. */
  readonly address: string;
  /** "forget": a `removed` block with `destroy = false`: leaves Terraform's state, stays in the cloud. */
  readonly action: "add" | "change" | "destroy" | "move" | "forget";
  /** Changed attribute paths (`tags.owners`, `statement[0].actions`), for "change" and "move". */
  readonly paths: readonly string[];
  /** The address before a `moved` block renamed it. */
  readonly from?: string;
  /** A destroy of a stateful resource or of one marked prevent_destroy: data or identity is lost. */
  readonly dangerous: boolean;
}

export interface StackChange {
  /** Stack name = Terraform Cloud workspace. */
  readonly stack: string;
  readonly status: "added" | "removed" | "changed";
  /** The stack's previous name, when its workspace was renamed in place (a service rename). */
  readonly from?: string;
  readonly resources: readonly ResourceChange[];
  /** Other blocks that differ: `provider`, `terraform`, `data.<type>.<name>`, `output`, ... */
  readonly other: readonly string[];
}

export interface CompareOptions {
  /** Resource types whose destroy loses data (guardrails/rules/stateful-protected.ts STATEFUL_TYPES). */
  readonly isStateful: (type: string) => boolean;
}

/** Removes cdktf's "//" metadata (construct paths, versions) at every depth: Terraform ignores it. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = strip(v);
  return out;
}

/** Attribute paths where two stripped values differ; arrays are compared by position. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (a === b) return [];
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = !bothArrays && a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b);
  if (bothArrays) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${prefix}[${i}]`));
    return out;
  }
  if (bothObjects) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => changedPaths(ao[k], bo[k], prefix ? `${prefix}.${k}` : k));
  }
  return [prefix || "(value)"];
}

/** Every entry of a `type -> name -> body` block by address. */
function byAddress(block: Block | undefined, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const type of Object.keys(block ?? {}).sort()) {
    for (const name of Object.keys(block![type]!).sort()) out.set(`${prefix}${type}.${name}`, strip(block![type]![name]));
  }
  return out;
}

const typeOf = (address: string) => address.slice(0, address.indexOf("."));

function isDangerous(address: string, body: unknown, options: CompareOptions): boolean {
  return options.isStateful(typeOf(address)) || (body as { lifecycle?: { prevent_destroy?: unknown } } | undefined)?.lifecycle?.prevent_destroy === true;
}

function compareStack(stack: string, base: StackJson | undefined, head: StackJson | undefined, options: CompareOptions, from?: string): StackChange | undefined {
  const status = base === undefined ? "added" : head === undefined ? "removed" : "changed";
  const before = byAddress(base?.resource);
  const after = byAddress(head?.resource);
  const moves = new Map<string, string>();
  for (const m of head?.moved ?? []) {
    if (m.from && m.to && before.has(m.from) && !after.has(m.from) && after.has(m.to) && !before.has(m.to)) moves.set(m.to, m.from);
  }
  const movedFrom = new Set(moves.values());
  const forgotten = new Set((head?.removed ?? []).filter((r) => r.lifecycle?.destroy === false).map((r) => r.from));
  const resources: ResourceChange[] = [];
  for (const [address, body] of after) {
    const from = moves.get(address);
    if (from !== undefined) resources.push({ address, action: "move", from, paths: changedPaths(before.get(from), body), dangerous: false });
    else if (!before.has(address)) resources.push({ address, action: "add", paths: [], dangerous: false });
    else {
      const paths = changedPaths(before.get(address), body);
      if (paths.length > 0) resources.push({ address, action: "change", paths, dangerous: false });
    }
  }
  for (const [address, body] of before) {
    if (after.has(address) || movedFrom.has(address)) continue;
    if (forgotten.has(address)) resources.push({ address, action: "forget", paths: [], dangerous: false });
    else resources.push({ address, action: "destroy", paths: [], dangerous: isDangerous(address, body, options) });
  }
  resources.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));

  const other: string[] = [];
  if (base !== undefined && head !== undefined) {
    const dataBefore = byAddress(base?.data, "data.");
    const dataAfter = byAddress(head?.data, "data.");
    for (const address of [...new Set([...dataBefore.keys(), ...dataAfter.keys()])].sort()) {
      if (changedPaths(dataBefore.get(address), dataAfter.get(address)).length > 0) other.push(address);
    }
    const blocks = [...new Set([...Object.keys(base), ...Object.keys(head)])].filter((k) => !["//", "resource", "data"].includes(k)).sort();
    for (const k of blocks) if (changedPaths(strip(base[k]), strip(head[k])).length > 0) other.push(k);
  }
  if (status === "changed" && resources.length === 0 && other.length === 0 && from === undefined) return undefined;
  return { stack, status, resources, other, ...(from !== undefined ? { from } : {}) };
}

/**
 * Workspaces renamed in place, new name -> old name: a factory stack's `moved` block for a
 * `tfe_workspace` whose `name` changed (a service rename). The renamed workspace keeps its
 * state, so the stack under its new name is compared with the base stack of the old name.
 */
export function workspaceRenames(base: Synth, head: Synth): Map<string, string> {
  const out = new Map<string, string>();
  const nameAt = (stack: StackJson | undefined, address: string) => {
    const dot = address.indexOf(".");
    return (stack?.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)] as { name?: unknown } | undefined)?.name;
  };
  for (const [factory, stack] of Object.entries(head)) {
    for (const m of stack.moved ?? []) {
      if (!m.from || !m.to || typeOf(m.to) !== "tfe_workspace") continue;
      const was = nameAt(base[factory], m.from);
      const now = nameAt(stack, m.to);
      if (typeof was === "string" && typeof now === "string" && was !== now && base[was] && head[now] && !base[now] && !head[was]) out.set(now, was);
    }
  }
  return out;
}

/** Stacks that differ between two synths, by name; unchanged stacks are left out. */
export function compareSynths(base: Synth, head: Synth, options: CompareOptions): StackChange[] {
  const renamed = workspaceRenames(base, head);
  const oldNames = new Set(renamed.values());
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].filter((n) => !oldNames.has(n) || head[n] !== undefined).sort();
  return names.flatMap((name) => {
    const from = renamed.get(name);
    return compareStack(name, base[from ?? name], head[name], options, from) ?? [];
  });
}

/** Stacks the plan workflow must plan: added or changed (a removed stack has nothing to plan). */
export function stacksToPlan(changes: readonly StackChange[]): string[] {
  return changes.filter((c) => c.status !== "removed").map((c) => c.stack);
}

const count = (c: StackChange, action: ResourceChange["action"]) => c.resources.filter((r) => r.action === action).length;

/** Table rows shown before the fold; a larger change lists the rest in a folded block. */
const TABLE_ROWS = 20;
/** Changed attribute paths shown per resource. */
const PATHS_SHOWN = 8;

function line(r: ResourceChange): string {
  const mark = { add: "+", change: "~", destroy: "-", move: ">", forget: "." }[r.action];
  const paths = r.paths.length === 0 ? "" : `: ${r.paths.slice(0, PATHS_SHOWN).map((p) => `\`${p}\``).join(", ")}${r.paths.length > PATHS_SHOWN ? `, and ${r.paths.length - PATHS_SHOWN} more` : ""}`;
  const from = r.from ? ` (moved from \`${r.from}\`)` : "";
  const forget = r.action === "forget" ? " (removed from Terraform's state; stays in the cloud)" : "";
  return `- \`${mark}\` \`${r.address}\`${from}${forget}${paths}${r.dangerous ? " **⚠️ stateful or protected: destroys data**" : ""}`;
}

function row(c: StackChange): string {
  const status = c.status === "added" ? "**new**" : c.status === "removed" ? "**removed**" : c.from !== undefined ? `renamed from \`${c.from}\`` : "changed";
  const moved = count(c, "move");
  const forgotten = count(c, "forget");
  const other = [...(forgotten > 0 ? [`${forgotten} leave state`] : []), ...c.other.map((o) => `\`${o}\``)].join(" ");
  return `| \`${c.stack}\` | ${status} | ${count(c, "add")} | ${count(c, "change") + moved} | ${count(c, "destroy")} | ${other} |`;
}

/**
 * The Markdown summary for a pull request comment: a headline, dangerous destroys called out,
 * one row per workspace, then the per-resource details folded, one block per workspace.
 */
export function renderSummary(changes: readonly StackChange[], baseRef: string): string {
  const lines = [`### Change summary against \`${baseRef}\``, ""];
  if (changes.length === 0) {
    lines.push("No workspace changes.", "");
    return lines.join("\n");
  }
  const all = changes.flatMap((c) => c.resources);
  const total = (a: ResourceChange["action"]) => all.filter((r) => r.action === a).length;
  const forget = total("forget") > 0 ? `, ${total("forget")} to remove from Terraform's state (kept in the cloud)` : "";
  lines.push(`**${changes.length} workspace${changes.length === 1 ? "" : "s"} change**: ${total("add")} to add, ${total("change") + total("move")} to change, ${total("destroy")} to destroy${forget}.`, "");

  const dangerous = changes.flatMap((c) => c.resources.filter((r) => r.dangerous).map((r) => `\`${c.stack}\`: \`${r.address}\``));
  const removed = changes.filter((c) => c.status === "removed").map((c) => `\`${c.stack}\``);
  if (dangerous.length > 0 || removed.length > 0) {
    lines.push("> [!CAUTION]");
    if (dangerous.length > 0) {
      lines.push(`> **${dangerous.length} stateful or protected resource${dangerous.length === 1 ? "" : "s"} would be DESTROYED** (data or an account is lost):`);
      for (const d of dangerous.slice(0, 10)) lines.push(`> - ${d}`);
      if (dangerous.length > 10) lines.push(`> - and ${dangerous.length - 10} more (see details)`);
    }
    if (dangerous.length > 0 && removed.length > 0) lines.push(">");
    if (removed.length > 0) lines.push(`> **Workspaces removed**: ${removed.join(", ")}; everything they manage is destroyed.`);
    lines.push("");
  }

  lines.push("| workspace | status | add | change | destroy | other changes |", "|---|---|--:|--:|--:|---|");
  for (const c of changes.slice(0, TABLE_ROWS)) lines.push(row(c));
  lines.push("");
  if (changes.length > TABLE_ROWS) {
    lines.push(`<details><summary>${changes.length - TABLE_ROWS} more workspaces</summary>`, "", "| workspace | status | add | change | destroy | other changes |", "|---|---|--:|--:|--:|---|");
    for (const c of changes.slice(TABLE_ROWS)) lines.push(row(c));
    lines.push("", "</details>", "");
  }
  for (const c of changes) {
    const counts = [`+${count(c, "add")}`, `~${count(c, "change") + count(c, "move")}`, `-${count(c, "destroy")}`].join(" ");
    lines.push(`<details><summary><code>${c.stack}</code> ${counts}</summary>`, "");
    for (const r of c.resources) lines.push(line(r));
    if (c.resources.length === 0 && c.other.length === 0) lines.push(c.status === "added" ? "- a new workspace with no resources yet" : "- a workspace without resources");
    if (c.other.length > 0) lines.push(`- other blocks changed: ${c.other.map((o) => `\`${o}\``).join(", ")}`);
    lines.push("", "</details>", "");
  }
  return lines.join("\n");
}
