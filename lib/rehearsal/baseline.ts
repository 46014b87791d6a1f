import { existsSync, readFileSync } from "node:fs";
import { RehearsalInputError } from "./input-error.js";
import type { FindingClass, RehearsalFinding } from "./types.js";

/*
 * Known findings the gate tolerates until the issue named on each entry removes them. An entry
 * matches findings by class, stack, address and message, where `*` stands for any text, so
 * one entry covers every stack of a kind (every service's stack, say) and an organization
 * that adds a service does not turn a known finding into a new one. An entry that matches
 * nothing is stale: delete it, so the baseline only shrinks.
 */

/** One tolerated finding pattern. */
export interface BaselineEntry {
  readonly class: FindingClass;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
  /** The issue that removes it, "#<number>". */
  readonly issue: string;
}

/** The findings split by the baseline. */
export interface GateResult {
  /** Not in the baseline: the gate fails on these. */
  readonly fresh: readonly RehearsalFinding[];
  /** Known, each with the entry that tolerates it. */
  readonly known: readonly { readonly finding: RehearsalFinding; readonly entry: BaselineEntry }[];
  /** Entries that matched no finding. */
  readonly stale: readonly BaselineEntry[];
}

/** The baseline file's entries; an empty list when there is no file. Throws with every malformed entry named. */
export function readBaseline(file: string): BaselineEntry[] {
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new RehearsalInputError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}). Fix the file's syntax.`);
  }
  const entries = (json as { findings?: unknown }).findings;
  if (!Array.isArray(entries)) throw new RehearsalInputError(`${file}: expected {"findings": [...]}. Fix the file's shape.`);
  const problems: string[] = [];
  entries.forEach((e, i) => {
    for (const field of ["class", "stack", "address", "message", "issue"]) {
      if (typeof e?.[field] !== "string" || e[field] === "") problems.push(`${file}: findings[${i}].${field} is ${JSON.stringify(e?.[field])}; every entry needs a non-empty string "${field}"`);
    }
    if (typeof e?.issue === "string" && !/^#\d+$/.test(e.issue)) problems.push(`${file}: findings[${i}].issue is ${JSON.stringify(e.issue)}; name the issue that removes the finding, as "#<number>"`);
  });
  if (problems.length > 0) throw new RehearsalInputError(problems.join("\n"));
  return entries as BaselineEntry[];
}

/** Splits findings into new and known, and names the stale entries. */
export function applyBaseline(findings: readonly RehearsalFinding[], entries: readonly BaselineEntry[]): GateResult {
  const patterns = entries.map((entry) => ({ entry, stack: glob(entry.stack), address: glob(entry.address), message: glob(entry.message) }));
  const used = new Set<BaselineEntry>();
  const fresh: RehearsalFinding[] = [];
  const known: { finding: RehearsalFinding; entry: BaselineEntry }[] = [];
  for (const finding of findings) {
    const hit = patterns.find((p) => p.entry.class === finding.class && p.stack.test(finding.stack) && p.address.test(finding.address) && p.message.test(finding.message));
    if (!hit) fresh.push(finding);
    else {
      used.add(hit.entry);
      known.push({ finding, entry: hit.entry });
    }
  }
  return { fresh, known, stale: entries.filter((e) => !used.has(e)) };
}

/** `*` matches any text (including none); everything else literally. */
function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*")}$`);
}
