import type { GateResult } from "./baseline.js";
import type { RehearsalResult } from "./rehearse.js";
import type { RehearsalFinding } from "./types.js";

/*
 * The rehearsal's two outputs: text for people, grouped by apply wave and stack in the order
 * a first apply meets them, and JSON for CI. Both mark each finding new or known (with the
 * issue that removes it) and list stale baseline entries.
 */

/** Whether the gate passes: nothing new, and no baseline entry left that matches nothing. */
export function gatePasses(gate: GateResult): boolean {
  return gate.fresh.length === 0 && gate.stale.length === 0;
}

/** The human report. */
export function formatReport(result: RehearsalResult, gate: GateResult, baselineName: string): string {
  const knownBy = new Map(gate.known.map((k) => [k.finding, k.entry.issue]));
  const waveOf = new Map(result.stacks.map((s) => [s.spec.name, s.wave]));
  const waves = new Set(result.stacks.map((s) => s.wave)).size;
  const lines: string[] = [`First-apply rehearsal: ${result.stacks.length} stacks in ${waves} waves.`];
  let lastWave = -1;
  let lastStack = "";
  for (const f of result.findings) {
    const wave = waveOf.get(f.stack) ?? -1;
    if (wave !== lastWave) {
      lines.push("", `Wave ${wave}`);
      lastWave = wave;
      lastStack = "";
    }
    if (f.stack !== lastStack) {
      lines.push(`  ${f.stack}`);
      lastStack = f.stack;
    }
    const issue = knownBy.get(f);
    lines.push(...findingLines(f, issue === undefined ? "NEW" : `known, ${issue}`));
  }
  if (gate.stale.length > 0) {
    lines.push("", `Stale entries in ${baselineName} (they match no finding any more: delete them so the baseline only shrinks):`);
    for (const e of gate.stale) lines.push(`  ${e.issue} ${e.class} ${e.stack} ${e.address}: ${e.message}`);
  }
  lines.push("", `${gate.fresh.length} new finding(s), ${gate.known.length} known (${baselineName}), ${gate.stale.length} stale baseline entr${gate.stale.length === 1 ? "y" : "ies"}.`);
  if (gate.fresh.length > 0) lines.push("Fix each NEW finding in the change that introduces it (each fix line says how); the baseline only shrinks.");
  return `${lines.join("\n")}\n`;
}

function findingLines(f: RehearsalFinding, mark: string): string[] {
  const out = [`    [${mark}] ${f.class}: ${f.address}`, `      ${f.message}`];
  if (f.expectedFrom) out.push(`      expected from: ${f.expectedFrom}`);
  out.push(`      fix: ${f.fix}`);
  return out;
}

/** The JSON report (`--json`). */
export function jsonReport(result: RehearsalResult, gate: GateResult): unknown {
  const knownBy = new Map(gate.known.map((k) => [k.finding, k.entry.issue]));
  const waveOf = new Map(result.stacks.map((s) => [s.spec.name, s.wave]));
  return {
    passed: gatePasses(gate),
    stacks: result.stacks.map((s) => ({ name: s.spec.name, wave: s.wave })),
    findings: result.findings.map((f) => ({ ...f, wave: waveOf.get(f.stack) ?? null, known: knownBy.get(f) ?? null })),
    new: gate.fresh.length,
    known: gate.known.length,
    stale: gate.stale,
  };
}
