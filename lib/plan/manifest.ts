/*
 * `cdktf.out/manifest.json` lists the synthesized stacks. cdktf and its fork cdktn write the same
 * content in different layouts (an empty list is `[\n      ]` in one and `[]` in the other), so
 * the project writes the manifest itself from its parsed content: its layout never depends on the
 * library's formatter (only the version stamp in it does), and a synthesis split between two
 * processes writes the same file as one process.
 */

/** The file name of the manifest inside a synthesis output directory. */
export const MANIFEST_FILE = "manifest.json";

interface Manifest {
  readonly stacks?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * One manifest listing the stacks of every given manifest (the texts cdktf or cdktn wrote), in
 * the project's own layout: keys sorted at every depth, two-space indent, empty lists as `[]`.
 * Fields other than `stacks` (the version stamp) come from the first manifest.
 */
export function manifestText(manifests: readonly string[]): string {
  const parsed = manifests.map((text) => JSON.parse(text) as Manifest);
  const stacks = Object.assign({}, ...parsed.map((m) => m.stacks ?? {})) as Record<string, unknown>;
  return `${JSON.stringify(sortedKeys({ ...parsed[0], stacks }), null, 2)}\n`;
}

/** A copy of a JSON value whose objects list their keys in sorted order (JSON.stringify keeps insertion order). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortedKeys(v)]));
}
