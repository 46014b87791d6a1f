import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CommandResult } from "./command.js";

/**
 * The synth and validate command as `npm run synth` and `npm run validate` run it: main.ts
 * bundled by scripts/build-synth.mjs (test/global-setup.ts builds it before the tests), run
 * with plain `node`: the bundle registers the TypeScript loader for the config files itself.
 */
export const MAIN_CLI = path.resolve(import.meta.dirname, "../.gen/main.cjs");

/**
 * The one-file build of main.ts that MAIN_CLI runs (from V8's code cache, scripts/run-bundle.cjs).
 * Required as a module rather than started, it runs nothing itself and exports `run`.
 */
const MAIN_BUILD = path.resolve(import.meta.dirname, "../.gen/synth.cjs");

/** One run of the command: its arguments and the directory it runs in. */
export interface MainJob {
  readonly cwd: string;
  readonly args: readonly string[];
}

/**
 * Runs the command's one-file build once per job, all in one child process
 * (test/main-batch.mjs): the build and its TypeScript loader load config files as
 * `npm run validate` does (a test runner's own loader reports a syntax error differently), at
 * the cost of one process start instead of one per job. Returns each job's exit code and
 * output, in order.
 */
export function runMainBatch(jobs: readonly MainJob[]): CommandResult[] {
  const dir = mkdtempSync(path.join(tmpdir(), "main-batch-"));
  try {
    const file = path.join(dir, "jobs.json");
    writeFileSync(file, JSON.stringify(jobs));
    const batch = spawnSync(process.execPath, [path.resolve(import.meta.dirname, "main-batch.mjs"), MAIN_BUILD, file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (batch.status !== 0) throw new Error(`test/main-batch.mjs exited with ${batch.status}: ${batch.stderr}`);
    return JSON.parse(batch.stdout) as CommandResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
