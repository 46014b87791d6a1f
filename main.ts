import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { App } from "cdktf";
import stableStringify from "json-stable-stringify";
import type { Construct } from "constructs";
import { formatFindings, hasErrors } from "./guardrails/evaluate.js";
import type { Finding } from "./guardrails/rule.js";
import { BaseRefError, withBaseCheckout } from "./lib/config/base-checkout";
import { exampleValueProblems } from "./lib/config/example-values";
import { loadConfig, type RawConfig } from "./lib/config/load";
import { withoutCreationStacks } from "./lib/creation-stacks.js";
import { projectRoot } from "./lib/project-root.js";
import type { OrganizationModel } from "./lib/config/model";
import { ConfigError, formatProblems, formatProblemsForGithub, type Problem } from "./lib/config/problems";
import { locateProblems } from "./lib/config/source";
import { compareWithBase } from "./lib/config/retirement";
import { estimatedSize, partitionStacks, planStacks, type StackKind } from "./lib/plan/stack-plan";
import { validate } from "./lib/config/validate";
import { FINGERPRINT_FILE, modelFingerprint } from "./lib/rehearsal/fingerprint";
import { codeVersion, previousInputs, stackInputs, type InputsRecord, type StackInputs } from "./lib/incremental/inputs";
import { ReadRecorder } from "./lib/incremental/read-recorder";
import { assemble, planReuse } from "./lib/incremental/reuse";
import { MANIFEST_FILE, manifestText } from "./lib/plan/manifest";
import { AccountsStack } from "./stacks/accounts-stack.js";
import { BastionStack } from "./stacks/bastion-stack.js";
import { ClusterStack } from "./stacks/cluster-stack.js";
import { DatadogStack } from "./stacks/datadog-stack.js";
import { GithubStack } from "./stacks/github-stack.js";
import { GkeNamespacesStack } from "./stacks/gke-namespaces-stack.js";
import { GkeStack } from "./stacks/gke-stack.js";
import { GoogleStack } from "./stacks/google-stack.js";
import { LogArchiveStack } from "./stacks/log-archive-stack.js";
import { ManagementStack } from "./stacks/management-stack.js";
import { NamespacesStack } from "./stacks/namespaces-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";
import { OrganizationStack } from "./stacks/organization-stack.js";
import { PagerdutyStack } from "./stacks/pagerduty-stack.js";
import { PlatformStack, type PlatformStackProps } from "./stacks/platform-stack.js";
import { SecurityStack } from "./stacks/security-stack.js";
import { ServiceStack } from "./stacks/service-stack.js";
import { WorkspacesStack } from "./stacks/workspaces-stack.js";

const ROOT = projectRoot(import.meta.url);

const STACK_CLASSES: Record<StackKind, new (scope: Construct, props: PlatformStackProps) => PlatformStack> = {
  workspaces: WorkspacesStack,
  organization: OrganizationStack,
  accounts: AccountsStack,
  "log-archive": LogArchiveStack,
  management: ManagementStack,
  security: SecurityStack,
  network: NetworkStack,
  cluster: ClusterStack,
  bastion: BastionStack,
  service: ServiceStack,
  namespaces: NamespacesStack,
  google: GoogleStack,
  gke: GkeStack,
  "gke-namespaces": GkeNamespacesStack,
  people: PagerdutyStack,
};
const PEOPLE_CLASSES: Record<string, new (scope: Construct, props: PlatformStackProps) => PlatformStack> = {
  github: GithubStack,
  datadog: DatadogStack,
  pagerduty: PagerdutyStack,
};

/** Builds every stack of the organization in one loop over the validated model. */
export function buildApp(model: OrganizationModel, outdir: string, only?: ReadonlySet<string>, recorders?: Map<string, ReadRecorder<OrganizationModel>>): App {
  // cdktf's construct validations would run `terraform version` once per stack for the cloud
  // block check (~40 ms each, 20 s at 500 stacks), and Terraform Cloud pins the version anyway.
  // Config is validated before this point and guardrails run on the synthesized JSON.
  const app = new App({ outdir, skipValidation: true });
  for (const spec of planStacks(model)) {
    if (only && !only.has(spec.name)) continue;
    const Stack = spec.kind === "people" ? PEOPLE_CLASSES[spec.name]! : STACK_CLASSES[spec.kind];
    // For incremental synthesis, each stack sees the model through its own recorder of reads.
    const recorder = recorders ? new ReadRecorder(model) : undefined;
    if (recorder) recorders!.set(spec.name, recorder);
    new Stack(app, { spec, model: recorder?.model ?? model });
  }
  return app;
}

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

/** Guardrail errors found while synthesizing; nothing is written when it is thrown. */
export class GuardrailError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(`${findings.length} guardrail finding(s)`);
    this.name = "GuardrailError";
  }
}

/** Every guardrail finding of a synthesized app (suppressed ones included, marked), in stack order. */
export function findingsOf(app: App): Finding[] {
  return app.node.children.flatMap((c) => (c instanceof PlatformStack ? c.findings : []));
}

/**
 * Synthesizes into a temporary directory and swaps it in only when everything succeeded
 * (including the guardrails), so a failure never leaves a partial `cdktf.out`.
 * Returns the findings (warnings only) for the caller to print.
 */
export function synthesize(model: OrganizationModel, outdir: string, build: typeof buildApp = buildApp): Finding[] {
  return staged(outdir, (staging) => {
    const app = withoutCreationStacks(() => {
      const built = build(model, staging);
      built.synth();
      return built;
    });
    writeManifest(staging, [staging]);
    writeFingerprint(model, staging);
    return findingsOf(app);
  });
}

/** Records which validated model the output was synthesized from (the rehearsal checks it). */
function writeFingerprint(model: OrganizationModel, dir: string): void {
  writeFileSync(path.join(dir, FINGERPRINT_FILE), `${modelFingerprint(model)}\n`);
}

/** Runs `write` into a staging directory and renames it to `outdir` only if no guardrail failed. */
function staged(outdir: string, write: (staging: string) => Finding[]): Finding[] {
  const staging = `${outdir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    return swapIn(staging, outdir, write(staging));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** `staged` for a `write` that waits (on a helper process); returns what `write` returns. */
async function stagedAsync<T extends { readonly findings: Finding[] }>(outdir: string, write: (staging: string) => Promise<T>): Promise<T> {
  const staging = `${outdir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const result = await write(staging);
    swapIn(staging, outdir, result.findings);
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Replaces `outdir` by the staging directory, unless a guardrail found an error. */
function swapIn(staging: string, outdir: string, findings: Finding[]): Finding[] {
  if (hasErrors(findings)) throw new GuardrailError(findings);
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
  return findings;
}

/** Estimated resources above which a second process pays for its own start-up (~0.7 s). */
export const PARALLEL_THRESHOLD = 8000;

/**
 * Like `synthesize`, but a large organization is split between this process and a helper
 * process (stacks are independent, so each can be synthesized anywhere). The output is
 * byte-identical to `synthesize`: the stack files are the same and both write the manifest in
 * the project's own layout.
 */
export async function synthesizeInParallel(model: OrganizationModel, outdir: string, force = false): Promise<Finding[]> {
  const done = await stagedAsync(outdir, async (staging) => {
    const built = await synthStacks(model, staging, planStacks(model).map((spec) => spec.name), false, force);
    writeFingerprint(model, staging);
    return { findings: [...built.values()].flatMap((stack) => stack.findings) };
  });
  return done.findings;
}

/** How `synthesizeIncrementally` runs. */
export interface IncrementalOptions {
  /** The previous output to reuse stacks from. @default - `outdir` itself */
  readonly previous?: string;
  /** Split the stacks to build between two processes even when they are few. @default false */
  readonly force?: boolean;
  /** Builds the app (a test app adds constructs); anything but `buildApp` runs in this process only. @default buildApp */
  readonly build?: typeof buildApp;
}

/** What `synthesizeIncrementally` did, for the command to report. */
export interface IncrementalResult {
  readonly findings: Finding[];
  readonly rebuilt: number;
  readonly reused: number;
}

/**
 * Incremental synthesis (`--incremental`): builds only the stacks whose inputs changed since the
 * output in `previous` (by default `outdir` itself) was written, and copies the others from it.
 * A stack's inputs are what it read of the model while it was built (recorded by
 * lib/incremental/read-recorder.ts), its plan spec and the code (lib/incremental/inputs.ts
 * `codeVersion`); without a usable previous output every stack is built. The output is
 * byte-identical to `synthesizeInParallel`'s, plus `inputs.json` for the next run; like it,
 * nothing is written when a guardrail fails.
 */
export async function synthesizeIncrementally(model: OrganizationModel, outdir: string, options: IncrementalOptions = {}): Promise<IncrementalResult> {
  const previousDir = options.previous ?? outdir;
  const code = codeVersion(ROOT, outdir);
  const previous = previousInputs(previousDir, code) as InputsRecord<Finding> | undefined;
  const specs = planStacks(model);
  const { reuse, rebuild } = planReuse(specs, model, previous, previousDir);
  return stagedAsync(outdir, async (staging) => {
    const built = await synthStacks(model, staging, [...rebuild], true, options.force ?? false, options.build);
    const findings = assemble(specs, staging, previousDir, previous, new Map([...built].map(([name, stack]) => [name, stack.inputs!])), code);
    writeFingerprint(model, staging);
    return { findings, rebuilt: rebuild.length, reused: reuse.length };
  });
}

/** One synthesized stack: its guardrail findings and, when recorded, its inputs. */
interface BuiltStack {
  readonly findings: Finding[];
  readonly inputs?: StackInputs<Finding>;
}

function builtStacks(app: App, recorders?: Map<string, ReadRecorder<OrganizationModel>>): Map<string, BuiltStack> {
  const out = new Map<string, BuiltStack>();
  for (const stack of app.node.children) {
    if (!(stack instanceof PlatformStack)) continue;
    const findings = [...stack.findings];
    const recorder = recorders?.get(stack.spec.name);
    out.set(stack.spec.name, { findings, inputs: recorder ? stackInputs(stack.spec, recorder.recorded(), findings) : undefined });
  }
  return out;
}

/**
 * Synthesizes the named stacks into `staging` (stacks and one manifest), in plan order; a large
 * set is split between this process and a helper process.
 */
async function synthStacks(model: OrganizationModel, staging: string, names: readonly string[], record: boolean, force: boolean, build = buildApp): Promise<Map<string, BuiltStack>> {
  const wanted = new Set(names);
  const specs = planStacks(model).filter((spec) => wanted.has(spec.name));
  const total = specs.reduce((n, spec) => n + estimatedSize(model, spec), 0);
  if (build !== buildApp || (!force && (availableParallelism() < 2 || total < PARALLEL_THRESHOLD))) {
    const recorders = record ? new Map<string, ReadRecorder<OrganizationModel>>() : undefined;
    const app = synthesizeStacks(model, staging, names, recorders, build);
    writeManifest(staging, [staging]);
    return builtStacks(app, recorders);
  }
  const [mine, theirs] = partitionStacks(model, 2, specs) as [string[], string[]];
  const helperOut = `${staging}.helper`;
  rmSync(helperOut, { recursive: true, force: true });
  const helper = takeHelper();
  const helped = new Promise<Array<[string, BuiltStack]>>((resolve, reject) => {
    helper.once("message", (m: { stacks?: Array<[string, BuiltStack]>; error?: string }) => (m.error !== undefined ? reject(new Error(m.error)) : resolve(m.stacks ?? [])));
    helper.once("exit", (code) => reject(new Error(`the helper synth process stopped (exit code ${code})`)));
  });
  try {
    // Wait until the job is handed over: the synchronous work below would otherwise hold it
    // in this process's send queue until it is done.
    await new Promise<void>((resolve, reject) => helper.send({ model, outdir: helperOut, names: theirs, record }, (error) => (error ? reject(error) : resolve())));
    const recorders = record ? new Map<string, ReadRecorder<OrganizationModel>>() : undefined;
    const app = synthesizeStacks(model, staging, mine, recorders);
    const theirStacks = new Map(await helped);
    const theirDir = path.join(helperOut, "stacks");
    if (existsSync(theirDir)) for (const name of readdirSync(theirDir)) renameSync(path.join(helperOut, "stacks", name), path.join(staging, "stacks", name));
    writeManifest(staging, [staging, helperOut]);
    const mineStacks = builtStacks(app, recorders);
    return new Map(specs.map((spec) => [spec.name, mineStacks.get(spec.name) ?? theirStacks.get(spec.name)!]));
  } finally {
    if (helper.exitCode === null) helper.kill();
    rmSync(helperOut, { recursive: true, force: true });
  }
}

/** Service files from which the synth command starts its helper process before it loads the config. */
export const PRESTART_SERVICES = 60;

let spareHelper: ChildProcess | undefined;

function forkHelper(): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  return fork(self, ["--synth-part"], { execArgv: helperExecArgv(self, process.execArgv), stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

/**
 * Starts the helper process now, so that it loads cdktf and the providers (about a second)
 * while this process loads and validates the config, instead of after. For a config with many
 * service files, which is almost always split; unused, it is stopped (`dropSpareHelper`).
 */
function prestartHelper(): void {
  spareHelper ??= forkHelper();
}

/** The started helper process if it is still running, else a new one. */
function takeHelper(): ChildProcess {
  const spare = spareHelper;
  spareHelper = undefined;
  return spare && spare.exitCode === null && spare.signalCode === null ? spare : forkHelper();
}

/** Stops a started helper process nobody took. */
function dropSpareHelper(): void {
  spareHelper?.kill();
  spareHelper = undefined;
}

/**
 * Node options of the helper process, which runs this same file. A TypeScript source needs the
 * TypeScript loader (under a test runner the current process may have its own instead). The
 * one-file build (`npm run synth`) does not: the helper gets its model over IPC and loads no
 * config file, and without `--import tsx` its every require() skips tsx's hooks and loader thread.
 */
export function helperExecArgv(self: string, parent: readonly string[]): string[] {
  if (self.endsWith(".cjs")) {
    const kept: string[] = [];
    for (let i = 0; i < parent.length; i++) {
      if (parent[i] === "--import" && parent[i + 1]?.includes("tsx")) i++;
      else if (!(parent[i]!.startsWith("--import=") && parent[i]!.includes("tsx"))) kept.push(parent[i]!);
    }
    return kept;
  }
  return self.endsWith(".ts") && !parent.join(" ").includes("tsx") ? [...parent, "--import", "tsx"] : [...parent];
}

/**
 * Builds and synthesizes the named stacks of the organization into `outdir`, each recording its
 * reads of the model when `recorders` is given.
 */
function synthesizeStacks(model: OrganizationModel, outdir: string, names: readonly string[], recorders?: Map<string, ReadRecorder<OrganizationModel>>, build = buildApp): App {
  return withoutCreationStacks(() => {
    const app = build(model, outdir, new Set(names), recorders);
    app.synth();
    return app;
  });
}

/**
 * Rewrites `dir`'s manifest as one listing the stacks of every synthesized directory in
 * `from`, in the project's own layout (lib/plan/manifest.ts): the same layout under cdktf and
 * cdktn, and the same bytes from one process or two.
 */
function writeManifest(dir: string, from: readonly string[]): void {
  const texts = from.map((d) => readFileSync(path.join(d, MANIFEST_FILE), "utf8"));
  writeFileSync(path.join(dir, MANIFEST_FILE), manifestText(texts));
}

/** The helper process of `synthesizeInParallel`: synthesizes the stacks it is sent, reports findings. */
function serveSynthPart(): void {
  process.setSourceMapsEnabled(false);
  process.once("message", (job: { model: OrganizationModel; outdir: string; names: string[]; record: boolean }) => {
    try {
      const recorders = job.record ? new Map<string, ReadRecorder<OrganizationModel>>() : undefined;
      const app = synthesizeStacks(job.model, job.outdir, job.names, recorders);
      process.send!({ stacks: [...builtStacks(app, recorders)] }, () => process.exit(0));
    } catch (error) {
      process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
    }
  });
}

/**
 * The synth command. `build` lets a test app add constructs to the organization's app (for
 * example a resource that breaks a guardrail) and still go through the real command.
 */
export async function run(args: string[] = process.argv.slice(2), build: typeof buildApp = buildApp): Promise<number> {
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
  if (!values["validate-only"] && !values.incremental && build === buildApp && availableParallelism() >= 2 && serviceFileCount(configDir) >= PRESTART_SERVICES) prestartHelper();
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
    const incremental = values.incremental ? await synthesizeIncrementally(model, outdir, { build }) : undefined;
    const warnings = incremental?.findings ?? (build === buildApp ? await synthesizeInParallel(model, outdir) : synthesize(model, outdir, build));
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
 * tsx's hooks for them here, after the bundle has required cdktf and the providers: started
 * with `--import tsx`, each of those ~150 require() calls also went through tsx's hooks, about
 * 1.5 s of CPU for a large organization. Run as TypeScript (under tsx or a test runner), the loader is already there.
 */
async function withTypeScriptLoader(): Promise<void> {
  const started = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  if (!import.meta.url.endsWith(".cjs") || started.includes("tsx")) return;
  // Both of tsx's hooks, as `--import tsx` registers them: a config directory outside a
  // `"type": "module"` package (a generated organization) is loaded as CommonJS.
  (await import("tsx/cjs/api")).register();
  (await import("tsx/esm/api")).register();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (process.argv.includes("--synth-part")) serveSynthPart();
  // No top-level await: `npm run synth` runs this file bundled as CommonJS (see scripts/build-synth.mjs).
  else void withTypeScriptLoader().then(() => run()).then((code) => { process.exitCode = code; });
}
