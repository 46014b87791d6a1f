import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { formatFindings } from "../guardrails/evaluate.js";
import { STATEFUL_TYPES } from "../guardrails/rules/stateful-protected.js";
import { withBaseCheckout } from "../lib/config/base-checkout";
import { compareSynths, renderSummary, stacksToPlan, type StackJson, type Synth } from "../lib/review/change-summary";
import { formatProblems } from "../lib/config/problems";
import type { OrganizationModel } from "../lib/config/model";
import { renderWorld } from "../lib/access/render";
import { developerGrants, grantChanges, renderGrantChanges } from "../lib/access/report";

/*
 * `npm run diff -- --base <git ref> [--out-md summary.md] [--changed-stacks changed-stacks.txt]`
 *
 * Synthesizes the base ref (in a temporary git worktree) and the working tree, compares them stack by stack, prints a Markdown summary for the pull request and writes the
 * stacks the plan workflow must plan, one per line (added and changed stacks; a removed
 * stack has nothing left to plan and is called out in the summary instead).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * Synthesizes a checkout into `out` and returns the seconds it took.
 *
 * Fast path: both checkouts are synthesized in this one process through their own main.ts's
 * `loadModel` and synth.ts's `synthesizeIncrementally`. Module loading (cdktf and the providers, shared
 * through the one node_modules) is most of a synth's cost, so it is paid once; and each stack
 * whose inputs did not change is copied from `previous` (an earlier output, e.g. the other
 * checkout's) instead of being built, so the whole diff costs about what the pull request
 * touches. A base whose main.ts predates incremental synthesis is synthesized in full through
 * `synthesize`, and one that predates those exports by its synth command in a child process.
 */
async function synth(checkout: string, out: string, label: string, previous?: string): Promise<{ seconds: number; model?: OrganizationModel; counts?: string }> {
  const started = process.hrtime.bigint();
  const main = await import(pathToFileURL(path.join(checkout, "main.ts")).href);
  // Synthesis moved from main.ts to synth.ts; a base from before that has it in main.ts.
  const synthFile = path.join(checkout, "synth.ts");
  const synthesis = existsSync(synthFile) ? await import(pathToFileURL(synthFile).href) : main;
  if (typeof main.loadModel !== "function" || typeof synthesis.synthesize !== "function") {
    await synthInChild(checkout, out, label);
    return { seconds: seconds(started) };
  }
  let model: OrganizationModel;
  let counts: string | undefined;
  try {
    model = await main.loadModel(path.join(checkout, "config"), "config");
    if (typeof synthesis.synthesizeIncrementally === "function") {
      const result = await synthesis.synthesizeIncrementally(model, out, { previous });
      counts = `${result.rebuilt} rebuilt, ${result.reused} reused`;
    } else synthesis.synthesize(model, out);
  } catch (caught) {
    // The base's own error classes: recognized by shape, since they are other modules' classes.
    const error = caught as { problems?: unknown; findings?: unknown; message?: unknown };
    const detail = Array.isArray(error?.problems) ? formatProblems(error.problems)
      : Array.isArray(error?.findings) ? formatFindings(error.findings)
        : String(error?.message ?? caught);
    throw new Error(`${label} does not synthesize:\n${detail}`);
  }
  return { seconds: seconds(started), model, counts };
}

/** Runs a checkout's synth command in a child process. */
function synthInChild(checkout: string, out: string, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(checkout, "main.ts"), "--config", path.join(checkout, "config"), "--out", out], { cwd: checkout, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${label} does not synthesize (exit ${code}):\n${stderr}`));
    });
  });
}

/**
 * The grants a pull request adds and removes ("bob gains ... in payments' account through
 * developer-bob -> team-payments"), from both synthesized organizations. A base too old to
 * render is said so, never silently skipped.
 */
async function accessSection(baseModel: OrganizationModel | undefined, baseSynth: Synth, headModel: OrganizationModel | undefined, headSynth: Synth): Promise<string> {
  if (!baseModel || !headModel) return "\n_Access changes not computed: the base has no in-process synthesis._\n";
  try {
    const before = await developerGrants(baseModel, renderWorld(baseModel, baseSynth as never));
    const after = await developerGrants(headModel, renderWorld(headModel, headSynth as never));
    const section = renderGrantChanges(grantChanges(before, after));
    return section ? `\n${section}` : "";
  } catch (error) {
    return `\n_Access changes not computed: ${error instanceof Error ? error.message : String(error)}_\n`;
  }
}

function readSynth(out: string): Synth {
  const dir = path.join(out, "stacks");
  const stacks: Record<string, StackJson> = {};
  for (const name of readdirSync(dir).sort()) stacks[name] = JSON.parse(readFileSync(path.join(dir, name, "cdk.tf.json"), "utf8"));
  return stacks;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      "out-md": { type: "string" },
      "changed-stacks": { type: "string", default: "changed-stacks.txt" },
    },
  });
  if (!values.base) {
    process.stderr.write("Missing --base. Fix: name the git ref to compare with, e.g. npm run diff -- --base origin/main\n");
    return 1;
  }
  const started = process.hrtime.bigint();
  try {
    return await withBaseCheckout(ROOT, values.base, async (baseRoot, temp) => {
      // One after the other: synthesis is CPU-bound and runs on this one thread. The working
      // tree first, reusing what `npm run synth -- --incremental` left in cdktf.out; then the
      // base, reusing the working tree's stacks its changes do not touch.
      const head = await synth(ROOT, path.join(temp, "out-head"), "The working tree", path.join(ROOT, "cdktf.out"));
      const base = await synth(baseRoot, path.join(temp, "out-base"), `The base ${values.base}`, path.join(temp, "out-head"));
      const [baseSeconds, headSeconds] = [base.seconds, head.seconds];
      const baseSynth = readSynth(path.join(temp, "out-base"));
      const headSynth = readSynth(path.join(temp, "out-head"));
      const changes = compareSynths(baseSynth, headSynth, { isStateful: (t) => STATEFUL_TYPES.has(t) });
      const markdown = renderSummary(changes, values.base!) + await accessSection(base.model, baseSynth, head.model, headSynth);
      process.stdout.write(markdown);
      if (values["out-md"]) writeFileSync(values["out-md"], markdown);
      const toPlan = stacksToPlan(changes);
      writeFileSync(values["changed-stacks"]!, toPlan.length > 0 ? `${toPlan.join("\n")}\n` : "");
      const total = seconds(started);
      const counted = (r: { counts?: string }) => (r.counts ? ` (${r.counts})` : "");
      process.stderr.write(`Synthesized base in ${baseSeconds.toFixed(1)} s${counted(base)} and working tree in ${headSeconds.toFixed(1)} s${counted(head)}; diff took ${total.toFixed(1)} s in total. ${toPlan.length} stack(s) to plan written to ${values["changed-stacks"]}.\n`);
      return 0;
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
