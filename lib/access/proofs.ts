import type { OrganizationModel } from "../config/model";
import { accessCases, type AccessCase } from "./cases";
import { organizationPolicyLimits } from "./limits";
import { renderWorld } from "./render";
import { evaluateCases, type CaseResult } from "./simulate";
import type { World } from "./world";

/** Everything one run of the access proofs found. */
export interface ProofRun {
  readonly world: World;
  readonly cases: readonly AccessCase[];
  readonly results: readonly CaseResult[];
  /** Organization policies AWS would reject (size, count per target). */
  readonly limits: readonly string[];
  /** Managed policies attached somewhere that the proofs have no document for (treated as granting nothing). */
  readonly unknownManagedPolicies: readonly string[];
}

/** Renders the synthesized stacks, generates the cases and evaluates them. */
export async function runProofs(model: OrganizationModel, stacks: Readonly<Record<string, unknown>>): Promise<ProofRun> {
  const world = renderWorld(model, stacks as Parameters<typeof renderWorld>[1]);
  const cases = accessCases(model, world);
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`access case id ${c.id} is not unique`);
    ids.add(c.id);
  }
  const results = await evaluateCases(world, cases);
  const unknown = new Set<string>();
  for (const r of world.roles.values()) for (const arn of r.managedPolicyArns) if (!world.managedPolicies.has(arn)) unknown.add(arn);
  return { world, cases, results, limits: organizationPolicyLimits(world), unknownManagedPolicies: [...unknown].sort() };
}

/** True when every case passed, every expression resolved and every policy fits AWS's limits. */
export function proofsHold(run: ProofRun): boolean {
  return run.results.every((r) => r.passed) && run.limits.length === 0 && run.world.unresolved.length === 0;
}

/** A plain-text summary: failures first, with what was expected and what the simulator decided. */
export function formatProofs(run: ProofRun, elapsedMs?: number): string {
  const lines: string[] = [];
  const failed = run.results.filter((r) => !r.passed);
  for (const r of failed) {
    const c = r.case;
    lines.push(`FAIL ${c.id}: ${c.principal} ${c.action} ${c.resource} should be ${c.expect === "allow" ? "allowed" : "denied"}, simulator says ${r.detail}${c.weakness ? ` [${c.weakness}]` : ""}`);
  }
  for (const p of run.limits) lines.push(`LIMIT ${p}`);
  for (const u of [...new Set(run.world.unresolved)]) lines.push(`UNRESOLVED ${u}`);
  if (run.unknownManagedPolicies.length > 0) lines.push(`note: no document for ${run.unknownManagedPolicies.join(", ")}; treated as granting nothing`);
  const time = elapsedMs === undefined ? "" : ` in ${(elapsedMs / 1000).toFixed(1)} s`;
  lines.push(`${run.results.length - failed.length} passed, ${failed.length} failed (${run.results.length} access cases${time})`);
  return `${lines.join("\n")}\n`;
}
