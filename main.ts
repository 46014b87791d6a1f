import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import stableStringify from "json-stable-stringify";
import { formatFindings, GuardrailError } from "./guardrails/evaluate.js";
import { BaseRefError, withBaseCheckout } from "./lib/config/base-checkout";
import { exampleValueProblems } from "./lib/config/example-values";
import { loadConfig, type RawConfig } from "./lib/config/load";
import { dropSpareHelper, prestartHelper, PRESTART_SERVICES } from "./lib/helper-process.js";
import { projectRoot } from "./lib/project-root.js";
import type { OrganizationModel } from "./lib/config/model";
import { ConfigError, formatProblems, formatProblemsForGithub, type Problem } from "./lib/config/problems";
import { locateProblems } from "./lib/config/source";
import { compareWithBase } from "./lib/config/retirement";
import { planStacks } from "./lib/plan/stack-plan";
import { validate } from "./lib/config/validate";
import type { BuildApp } from "./synth.js";
import { importModule, loadFilesWithRequire } from "./lib/import-module";

// Synthesis (cdktf, the stacks and every provider module: most of a process's start-up) lives in
// synth.ts and is imported only when the config is valid and something is to be written, so
// `--validate-only` and a config error cost a fraction of a synthesis.

const ROOT = projectRoot(import.meta.url);

/** Loads and validates a config directory; throws ConfigError with every problem. */
export async function loadModel(configDir: string, label: string): Promise<OrganizationModel> {
  return validate(await loadConfig(configDir, label));
}

/**
 * Problems only a comparison with the base branch shows (lib/config/retirement.ts `compareWithBase`):
 * a service file deleted outright, removed before it was retired, or renamed without
 * previousName. The base ref's config is loaded from a temporary git worktree.
 */
export async function problemsAgainstBase(ref: string, configDir: string, head: RawConfig): Promise<Problem[]> {
  return (await compareToBase(ref, configDir, head)).problems;
}

/**
 * `problemsAgainstBase`, and the keys of the services that are new or changed since the base
 * (their entry differs, or the base has none), from one checkout of the base.
 */
export async function compareToBase(ref: string, configDir: string, head: RawConfig): Promise<{ problems: Problem[]; changed: Set<string> }> {
  return withBaseCheckout(configDir, ref, async (baseConfigDir) => {
    const base = await loadConfig(baseConfigDir, head.label);
    const same = (key: string) => key in base.serviceFiles && stableStringify(base.serviceFiles[key]) === stableStringify(head.serviceFiles[key]);
    return { problems: compareWithBase(base, head), changed: new Set(Object.keys(head.serviceFiles).filter((key) => !same(key))) };
  });
}

/**
 * Without a base: the services whose file the edit touched (changed or new against the last
 * commit, per git). Outside a git repository, none.
 */
export function touchedServices(configDir: string): Set<string> {
  const dir = path.join(configDir, "services");
  try {
    const run = (args: string[]) => execFileSync("git", args, { cwd: configDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n").filter(Boolean);
    const files = [...run(["diff", "--name-only", "--relative", "HEAD", "--", dir]), ...run(["ls-files", "--others", "--exclude-standard", "--", dir])];
    return new Set(files.map((f) => path.basename(f).replace(/\.[mc]?[jt]s$/, "")));
  } catch {
    return new Set();
  }
}

/**
 * The synth command. `build` lets a test app add constructs to the organization's app (for
 * example a resource that breaks a guardrail) and still go through the real command.
 */
export async function run(args: string[] = process.argv.slice(2), build?: BuildApp): Promise<number> {
  // cdktf captures a stack trace for every token it creates; with source maps on (tsx turns them
  // on) each capture maps every frame, which was a third of the construct-building time of a
  // large organization. Errors are reported without stack traces anyway.
  process.setSourceMapsEnabled(false);
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      out: { type: "string" },
      "validate-only": { type: "boolean", default: false },
      // A git ref (the pull request's base): also report services removed unsafely since then.
      base: { type: "string" },
      // "github": also print every problem as a GitHub Actions annotation on its file and line.
      format: { type: "string", default: "text" },
      // Also fail on the example organization's values a real organization must replace.
      strict: { type: "boolean", default: false },
      // Reuse the stacks of the previous output in --out whose inputs did not change.
      incremental: { type: "boolean", default: false },
    },
  });
  // The only place that reads the environment: a generated organization (benchmarks, fuzzing)
  // can be synthesized with --config or SUPER_TF_CONFIG_DIR.
  const configDir = path.resolve(values.config ?? process.env.SUPER_TF_CONFIG_DIR ?? path.join(ROOT, "config"));
  const label = path.relative(process.cwd(), configDir) || ".";
  const outdir = path.resolve(values.out ?? process.env.SUPER_TF_OUT_DIR ?? path.join(ROOT, "cdktf.out"));
  if (!existsSync(configDir)) {
    process.stderr.write(`Config directory ${configDir} does not exist. Fix: pass --config <dir> with platform.ts, developers.ts and services.ts.\n`);
    return 1;
  }
  if (values.format !== "text" && values.format !== "github") {
    process.stderr.write(`--format ${values.format} is not a format. Fix: pass --format text (the default) or --format github.\n`);
    return 1;
  }
  // Not for an incremental synth: it usually rebuilds a few stacks in this process alone.
  if (!values["validate-only"] && !values.incremental && !build && availableParallelism() >= 2 && serviceFileCount(configDir) >= PRESTART_SERVICES) prestartHelper(fileURLToPath(import.meta.url));
  const stopLoader = await withTypeScriptLoader();
  try {
    const raw = await loadConfig(configDir, label);
    let model: OrganizationModel | undefined;
    const problems: Problem[] = [];
    const baseCheck = values.base !== undefined ? await compareToBase(values.base, configDir, raw) : undefined;
    try {
      model = validate(raw, { changed: baseCheck?.changed ?? touchedServices(configDir) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
    if (baseCheck) problems.push(...baseCheck.problems);
    if (values.strict && model) {
      problems.push(...exampleValueProblems(model, {
        platform: `${label}/platform.ts`,
        developers: `${label}/developers.ts`,
        service: (key) => `${label}/services/${key}.ts`,
        read: (file) => {
          try {
            return readFileSync(path.resolve(file), "utf8");
          } catch {
            return undefined;
          }
        },
      }));
    }
    if (problems.length > 0 || !model) throw new ConfigError(problems);
    if (values["validate-only"]) {
      const against = (values.base !== undefined ? `; no service removed or renamed unsafely since ${values.base}` : "") + (values.strict ? "; no example value left" : "");
      process.stdout.write(`Config is valid: ${model.developers.length} developers, ${model.services.length} services, ${planStacks(model).length} stacks${against}.\n`);
      return 0;
    }
    // Warnings and suppressed findings: the synth output lists every suppression.
    // cdktf and the providers load after the config: without tsx's hooks, as the one-file build
    // started, so their ~150 require() calls do not go through them.
    await stopLoader();
    const synth = await import("./synth.js");
    const incremental = values.incremental ? await synth.synthesizeIncrementally(model, outdir, { build: build ?? synth.buildApp }) : undefined;
    const warnings = incremental?.findings ?? (build ? synth.synthesize(model, outdir, build) : await synth.synthesizeInParallel(model, outdir));
    if (warnings.length > 0) process.stderr.write(formatFindings(warnings));
    const counts = incremental ? ` (${incremental.rebuilt} rebuilt, ${incremental.reused} reused)` : "";
    process.stdout.write(`Synthesized ${planStacks(model).length} stacks into ${path.relative(process.cwd(), outdir) || "."}${counts}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      const shown = `${label}/`;
      const located = await locateProblems(error.problems, (file) => (file.startsWith(shown) ? path.join(configDir, file.slice(shown.length)) : undefined));
      if (values.format === "github") process.stdout.write(formatProblemsForGithub(located));
      process.stderr.write(formatProblems(located));
      return 1;
    }
    if (error instanceof BaseRefError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof GuardrailError) {
      process.stderr.write(formatFindings(error.findings));
      return 1;
    }
    // Anything else is a defect of this project, not of the config: say so without a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Synthesis failed: ${message}\nThis is a bug in the platform code, not in your config; please tell the platform team. Nothing was written.\n`);
    return 2;
  } finally {
    await stopLoader();
    dropSpareHelper();
  }
}

/** How many service files a config directory has (none when it has no `services/`). */
function serviceFileCount(configDir: string): number {
  try {
    return readdirSync(path.join(configDir, "services")).length;
  } catch {
    return 0;
  }
}

/**
 * The config files are TypeScript. The one-file build runs under plain `node` and registers
 * tsx's CommonJS hook for them here, loading them with require() (lib/import-module.ts
 * `loadFile`), and removes it (the returned function) before the synthesis: started with
 * `--import tsx`, each of cdktf's and the providers' ~150 require() calls also went through
 * tsx's hooks (a synth of the example took 2.9-3.3 s of CPU that way). Only the CommonJS hook:
 * tsx's ES module hooks run on a worker thread and cost a round trip per file (0.5 s of a
 * DMM-size validation). Run as TypeScript (under tsx or a test runner), the loader is already
 * there and stays.
 */
async function withTypeScriptLoader(): Promise<() => Promise<void>> {
  const started = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  if (!import.meta.url.endsWith(".cjs") || started.includes("tsx")) return async () => {};
  // tsx's CommonJS hook also compiles a config file written as an ES module (the config/ of a
  // `"type": "module"` package) to CommonJS.
  let unregister: Array<() => void | Promise<void>> = [((await importModule("tsx/cjs/api")) as typeof import("tsx/cjs/api")).register()];
  loadFilesWithRequire(true);
  return async () => {
    loadFilesWithRequire(false);
    const pending = unregister;
    unregister = [];
    for (const stop of pending) await stop();
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  // The helper process of a two-process synthesis (synth.ts starts it with this flag).
  if (process.argv.includes("--synth-part")) void import("./synth.js").then((synth) => synth.serveSynthPart());
  // No top-level await: `npm run synth` runs this file bundled as CommonJS (see scripts/build-synth.mjs).
  else void run().then((code) => { process.exitCode = code; });
}
