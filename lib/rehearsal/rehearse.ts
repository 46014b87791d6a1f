import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { OrganizationModel } from "../config/model.js";
import { planStacks } from "../plan/stack-plan.js";
import { applyWaves } from "../plan/waves.js";
import { CHECKS, type NamedCheck } from "./checks.js";
import { FINGERPRINT_FILE, modelFingerprint } from "./fingerprint.js";
import { RehearsalInputError } from "./input-error.js";
import type { RehearsalContext, RehearsalFinding, RehearsalStack } from "./types.js";

/*
 * The first-apply rehearsal: reads a synthesized cdktf.out and the validated model it must
 * come from, lays the stacks out in apply waves, and runs every registered check. No
 * credentials, no network; a library call (scripts/rehearse.ts is its command).
 */

export { RehearsalInputError };

/** What a rehearsal saw and found. */
export interface RehearsalResult {
  readonly stacks: readonly RehearsalStack[];
  /** Every finding, in apply order (wave, then plan order, then as each check reported it). */
  readonly findings: readonly RehearsalFinding[];
}

/**
 * Rehearses the first apply of `model` from its synthesized `outdir`. Throws
 * RehearsalInputError when the output is missing, stale (stacks missing or extra against the
 * plan) or synthesized from another config.
 */
export async function rehearse(model: OrganizationModel, outdir: string, checks: readonly NamedCheck[] = CHECKS, synthCommand = "npm run synth"): Promise<RehearsalResult> {
  const context = readContext(model, outdir, synthCommand);
  const order = new Map(context.stacks.map((s, i) => [s.spec.name, i]));
  const findings: RehearsalFinding[] = [];
  // One after another: each check is CPU-bound, and the report keeps the registered order.
  for (const c of checks) findings.push(...await c.check(context));
  const at = (f: RehearsalFinding) => order.get(f.stack) ?? -1;
  // A stable sort: within a stack, findings keep the order their check gave.
  return { stacks: context.stacks, findings: findings.map((f, i) => ({ f, i })).sort((a, b) => at(a.f) - at(b.f) || a.i - b.i).map(({ f }) => f) };
}

/** The checks' context: every planned stack's JSON, in apply order. */
export function readContext(model: OrganizationModel, outdir: string, synthCommand = "npm run synth"): RehearsalContext {
  const again = `Run \`${synthCommand}\` first, then rehearse again.`;
  const manifestFile = path.join(outdir, "manifest.json");
  if (!existsSync(manifestFile)) throw new RehearsalInputError(`No synthesized output at ${outdir} (manifest.json is missing). ${again}`);
  const fingerprintFile = path.join(outdir, FINGERPRINT_FILE);
  if (!existsSync(fingerprintFile)) throw new RehearsalInputError(`${outdir} was synthesized by an older version of the platform code (it has no ${FINGERPRINT_FILE}). ${again}`);
  if (readFileSync(fingerprintFile, "utf8").trim() !== modelFingerprint(model)) {
    throw new RehearsalInputError(`${outdir} was synthesized from a different config than the one being rehearsed (the config changed since, or another --config was used). ${again}`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks?: Record<string, { synthesizedStackPath?: string }> };
  const synthesized = new Set(Object.keys(manifest.stacks ?? {}));
  const specs = planStacks(model);
  const planned = new Set(specs.map((s) => s.name));
  const missing = [...planned].filter((n) => !synthesized.has(n) || !existsSync(stackFile(outdir, manifest, n)));
  const extra = [...synthesized].filter((n) => !planned.has(n));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length > 0 ? `missing ${missing.join(", ")}` : "", extra.length > 0 ? `not planned any more: ${extra.join(", ")}` : ""].filter(Boolean);
    throw new RehearsalInputError(`${outdir} is stale: its stacks do not match the plan of this config (${parts.join("; ")}). ${again}`);
  }
  const stacks: RehearsalStack[] = [];
  applyWaves(specs).forEach((wave, index) => {
    for (const spec of wave) stacks.push({ spec, wave: index, json: JSON.parse(readFileSync(stackFile(outdir, manifest, spec.name), "utf8")) });
  });
  return { model, stacks, byName: new Map(stacks.map((s) => [s.spec.name, s])) };
}

function stackFile(outdir: string, manifest: { stacks?: Record<string, { synthesizedStackPath?: string }> }, name: string): string {
  return path.join(outdir, manifest.stacks?.[name]?.synthesizedStackPath ?? path.join("stacks", name, "cdk.tf.json"));
}
