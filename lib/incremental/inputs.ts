import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import stableStringify from "json-stable-stringify";
import type { StackSpec } from "../plan/stack-plan";
import { reread, type Read, type ReadValue } from "./read-recorder";

/*
 * The record incremental synthesis keeps next to its output (`<out>/inputs.json`): the code it
 * ran and, per stack, what the stack read of the model, so the next run can tell which stacks
 * would come out the same and reuse them.
 */

/** File name of the inputs record inside the synthesis output directory. */
export const INPUTS_FILE = "inputs.json";

/** Changes when the record's shape changes, so an older record is never misread. */
const FORMAT = 1;

/** What one stack was built from, and the guardrail findings its output gave. */
export interface StackInputs<F = unknown> {
  /** SHA-256 of the stack's plan spec (name, kind, account, region, factory, ...). */
  readonly spec: string;
  /** Every model path the stack read, as `[how, ...path]`, in the order first read. */
  readonly reads: ReadonlyArray<readonly string[]>;
  /** SHA-256 of the values those reads returned, in the same order. */
  readonly values: string;
  /** Guardrail findings of the stack's output (warnings; a stack with errors is never written). */
  readonly findings: readonly F[];
}

/** The whole record. */
export interface InputsRecord<F = unknown> {
  readonly format: number;
  /** `codeVersion()` of the run that wrote it. */
  readonly code: string;
  readonly stacks: Readonly<Record<string, StackInputs<F>>>;
}

/**
 * Folders and files of the repository that are not code the synthesis runs: the organization's
 * config (its values reach stacks only through the model), tests, outputs and documentation.
 */
const NOT_CODE = new Set(["config", "test", "node_modules", ".git", ".gen", ".github", "cdktf.out", "catalog", "bench", "docs"]);

/**
 * A hash of everything besides the model that decides what a stack synthesizes: every source
 * file of the repository outside config/, test/ and outputs (constructs, stacks, lib, guardrails,
 * main.ts, the Slack command's sources that are packaged), the locked dependency versions
 * (package-lock.json) and the Node.js version. Any change to one of them rebuilds every stack.
 * `outdir` (and its staging siblings `<outdir>.*`) is left out when it lies inside the repository.
 */
export function codeVersion(root: string, outdir: string): string {
  const hash = createHash("sha256").update(`${FORMAT}\n${process.version}\n`);
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (!rel && (NOT_CODE.has(entry.name) || entry.name.startsWith("cdktf.out"))) continue;
      if (entry.name === "node_modules" || full === outdir || full.startsWith(`${outdir}.`)) continue;
      if (entry.isDirectory()) walk(full, relPath);
      else if (entry.isFile() && /\.(ts|mts|cts|js|mjs|cjs|json)$/.test(entry.name)) {
        hash.update(`${relPath}\n`).update(readFileSync(full)).update("\n");
      }
    }
  };
  walk(path.resolve(root), "");
  return hash.digest("hex");
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function valuesHash(values: readonly ReadValue[]): string {
  return sha256(stableStringify(values) ?? "");
}

/** The inputs of one built stack from its recorded reads. */
export function stackInputs<F>(spec: StackSpec, recorded: ReadonlyArray<{ read: Read; value: ReadValue }>, findings: readonly F[]): StackInputs<F> {
  return {
    spec: sha256(stableStringify(spec) ?? ""),
    reads: recorded.map(({ read }) => [read.how, ...read.path]),
    values: valuesHash(recorded.map(({ value }) => value)),
    findings,
  };
}

/** Whether a stack built from `inputs` would come out the same from `spec` and `model` today. */
export function unchanged(inputs: StackInputs, spec: StackSpec, model: unknown): boolean {
  if (inputs.spec !== sha256(stableStringify(spec) ?? "")) return false;
  const values = inputs.reads.map(([how, ...p]) => reread(model, { how: how as Read["how"], path: p }));
  return valuesHash(values) === inputs.values;
}

/** Writes the record in a stable form (the same inputs give the same bytes). */
export function renderInputs<F>(code: string, stacks: ReadonlyMap<string, StackInputs<F>>): string {
  return `${JSON.stringify({ format: FORMAT, code, stacks: Object.fromEntries([...stacks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) })}\n`;
}

/**
 * The previous run's record in `outdir`, when there is one this code can trust: written in this
 * format by the same code, with the stack output and manifest it describes still present.
 */
export function previousInputs(outdir: string, code: string): InputsRecord | undefined {
  const file = path.join(outdir, INPUTS_FILE);
  if (!existsSync(file) || !existsSync(path.join(outdir, "manifest.json"))) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as InputsRecord;
    return record.format === FORMAT && record.code === code && typeof record.stacks === "object" ? record : undefined;
  } catch {
    return undefined;
  }
}
