import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MANIFEST_FILE, manifestText } from "../plan/manifest";
import type { StackSpec } from "../plan/stack-plan";
import { INPUTS_FILE, renderInputs, unchanged, type InputsRecord, type StackInputs } from "./inputs";

/*
 * The part of incremental synthesis that decides what to rebuild and assembles the output: the
 * rebuilt stacks, the reused stacks' folders copied from the previous output, one manifest, and
 * the inputs record. Building the stacks is the caller's (it needs cdktf, which lib/ never loads).
 */

/** Which stacks of the plan can be copied from the previous output, and which must be built. */
export interface ReusePlan {
  readonly reuse: readonly string[];
  readonly rebuild: readonly string[];
}

/**
 * Splits the plan: a stack is reused when the previous record has it, its spec and every value
 * it read are the same in `model`, and its folder and manifest entry are still in `previousDir`. Without a record
 * (none, another format or other code) every stack is rebuilt.
 */
export function planReuse(specs: readonly StackSpec[], model: unknown, previous: InputsRecord | undefined, previousDir: string): ReusePlan {
  const reuse: string[] = [];
  const rebuild: string[] = [];
  const listed = previous ? readManifest(path.join(previousDir, MANIFEST_FILE)).stacks : {};
  for (const spec of specs) {
    const inputs = previous?.stacks[spec.name];
    const keep = inputs !== undefined && spec.name in listed && existsSync(path.join(previousDir, "stacks", spec.name)) && unchanged(inputs, spec, model);
    (keep ? reuse : rebuild).push(spec.name);
  }
  return { reuse, rebuild };
}

/**
 * Completes a staging directory in which the rebuilt stacks were synthesized: copies the reused
 * stacks' folders from `previousDir`, adds their manifest entries to the staging manifest (in the
 * project's layout, lib/plan/manifest.ts) and writes the inputs record. Returns every stack's
 * findings in plan order, the reused stacks' from the previous record.
 */
export function assemble<F>(specs: readonly StackSpec[], staging: string, previousDir: string, previous: InputsRecord<F> | undefined, built: ReadonlyMap<string, StackInputs<F>>, code: string): F[] {
  const record = new Map<string, StackInputs<F>>();
  const reusedEntries: Record<string, unknown> = {};
  const previousManifest = previous ? readManifest(path.join(previousDir, MANIFEST_FILE)) : undefined;
  for (const spec of specs) {
    const fresh = built.get(spec.name);
    if (fresh) {
      record.set(spec.name, fresh);
      continue;
    }
    const old = previous?.stacks[spec.name];
    const entry = previousManifest?.stacks[spec.name];
    if (!old || entry === undefined) throw new Error(`stack ${spec.name} was neither built nor found in the previous output`);
    linkTree(path.join(previousDir, "stacks", spec.name), path.join(staging, "stacks", spec.name));
    reusedEntries[spec.name] = entry;
    record.set(spec.name, old);
  }
  const manifestFile = path.join(staging, MANIFEST_FILE);
  writeFileSync(manifestFile, manifestText([readFileSync(manifestFile, "utf8"), JSON.stringify({ stacks: reusedEntries })]));
  writeFileSync(path.join(staging, INPUTS_FILE), renderInputs(code, record));
  return specs.flatMap((spec) => record.get(spec.name)!.findings);
}

/**
 * Puts a reused stack's folder into the staging output as hard links to the previous output's
 * files (copies where the two are on different file systems). A copy wrote every reused byte
 * again, and deleting the previous output then freed it again: on a disk mounted with
 * `discard`, as here, freeing a file costs about 2 ms, so at 10x the copies and their deletion
 * were most of an incremental synth. A written stack file is never changed in place (each synth
 * writes new files), so sharing them is safe, and the previous output stays whole until the new
 * one replaces it.
 */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        cpSync(source, target);
      }
    }
  }
}

function readManifest(file: string): { stacks: Record<string, unknown> } {
  return JSON.parse(readFileSync(file, "utf8")) as { stacks: Record<string, unknown> };
}
