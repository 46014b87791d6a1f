/*
 * Synthesis: builds the organization's stacks with cdktf and writes them, in one process or
 * split with a helper process, fully or incrementally. The synth command (main.ts) loads this
 * module only once the config is valid, so validating a config never loads cdktf, the stacks
 * or the providers.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "cdktf";
import type { Construct } from "constructs";
import { GuardrailError, hasErrors } from "./guardrails/evaluate.js";
import type { Finding } from "./guardrails/rule.js";
import { withoutCreationStacks } from "./lib/creation-stacks.js";
import { takeHelper } from "./lib/helper-process.js";
import { projectRoot } from "./lib/project-root.js";
import { removeLater } from "./lib/remove-later.js";
import type { OrganizationModel } from "./lib/config/model";
import { estimatedSize, planStacks, type StackKind, type StackSpec } from "./lib/plan/stack-plan";
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
import { markTokens } from "./stacks/token-scope.js";

export { GuardrailError };
export { helperExecArgv } from "./lib/helper-process.js";

const ROOT = projectRoot(import.meta.url);

/**
 * The synth command's entry, which the helper process runs with --synth-part: when this module
 * is part of the one-file build (.gen/synth.cjs), the build's entry next to it (.gen/main.cjs,
 * which runs the build from its code cache), else main.ts.
 */
export const HELPER_ENTRY = import.meta.url.endsWith(".cjs") ? path.join(path.dirname(fileURLToPath(import.meta.url)), "main.cjs") : path.join(ROOT, "main.ts");

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
    addStack(app, spec, model, recorders);
  }
  return app;
}

/** Adds the stack of one spec to the app; for incremental synthesis, it sees the model through its own recorder of reads. */
function addStack(app: App, spec: StackSpec, model: OrganizationModel, recorders?: Map<string, ReadRecorder<OrganizationModel>>): PlatformStack {
  const Stack = spec.kind === "people" ? PEOPLE_CLASSES[spec.name]! : STACK_CLASSES[spec.kind];
  const recorder = recorders ? new ReadRecorder(model) : undefined;
  if (recorder) recorders!.set(spec.name, recorder);
  return new Stack(app, { spec, model: recorder?.model ?? model });
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

/**
 * Replaces `outdir` by the staging directory, unless a guardrail found an error. A large previous
 * output is deleted by a background process (lib/remove-later.ts).
 */
function swapIn(staging: string, outdir: string, findings: Finding[]): Finding[] {
  if (hasErrors(findings)) throw new GuardrailError(findings);
  removeLater(outdir);
  renameSync(staging, outdir);
  return findings;
}

/** Estimated resources above which a second process pays for its own start-up (~0.7 s). */
export const PARALLEL_THRESHOLD = 8000;

/**
 * Like `synthesize`, but a large organization is split between this process and a helper
 * process (stacks are independent, so each can be synthesized anywhere). The output is
 * byte-identical to `synthesize`: the stack files are the same and both write the manifest in
 * the project's own layout. `force` splits even a small organization; `helperEntry` is the
 * script the helper process runs (a test passes the one-file build, which starts in a second
 * where main.ts under the TypeScript loader takes five).
 */
export async function synthesizeInParallel(model: OrganizationModel, outdir: string, force = false, helperEntry = HELPER_ENTRY): Promise<Finding[]> {
  const done = await stagedAsync(outdir, async (staging) => {
    const built = await synthStacks(model, staging, planStacks(model).map((spec) => spec.name), false, force, buildApp, helperEntry);
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
  for (const stack of app.node.children) if (stack instanceof PlatformStack) out.set(stack.spec.name, builtStack(stack, recorders));
  return out;
}

function builtStack(stack: PlatformStack, recorders?: Map<string, ReadRecorder<OrganizationModel>>): BuiltStack {
  const findings = [...stack.findings];
  const recorder = recorders?.get(stack.spec.name);
  return { findings, inputs: recorder ? stackInputs(stack.spec, recorder.recorded(), findings) : undefined };
}

/** What the helper process of a two-process synthesis is sent first: the model, where to write, and its first stacks. */
interface HelperJob {
  readonly model: OrganizationModel;
  readonly outdir: string;
  readonly record: boolean;
  readonly names: readonly string[];
}

/** A message from the helper process: a request for one more stack, its result, or its error. */
type HelperMessage = { readonly want: true } | { readonly stacks: Array<[string, BuiltStack]> } | { readonly error: string };

/**
 * Synthesizes the named stacks into `staging` (stacks and one manifest); a large set is shared
 * between this process and a helper process.
 *
 * The two take stacks from one queue, largest first, until it is empty, so both finish within
 * about one small stack of each other whatever the machine. A fixed split by estimated size
 * left this process idle 1.8 s of a 10x synth (its share was too large or too small as the
 * config's load time and the estimates varied); the helper asks for each next stack ahead of
 * time, so it does not wait for this process to look up from its own.
 */
async function synthStacks(model: OrganizationModel, staging: string, names: readonly string[], record: boolean, force: boolean, build = buildApp, helperEntry = HELPER_ENTRY): Promise<Map<string, BuiltStack>> {
  const wanted = new Set(names);
  const specs = planStacks(model).filter((spec) => wanted.has(spec.name));
  const total = specs.reduce((n, spec) => n + estimatedSize(model, spec), 0);
  const recorders = record ? new Map<string, ReadRecorder<OrganizationModel>>() : undefined;
  if (build !== buildApp || (!force && (availableParallelism() < 2 || total < PARALLEL_THRESHOLD))) {
    const built = synthesizeStacks(model, staging, names, recorders, build);
    writeManifest(staging, [staging]);
    return built;
  }
  const queue = workOrder(model, specs);
  const helperOut = `${staging}.helper`;
  rmSync(helperOut, { recursive: true, force: true });
  const helper = takeHelper(helperEntry);
  let failed = false;
  const helped = new Promise<Array<[string, BuiltStack]>>((resolve, reject) => {
    helper.on("message", (m: HelperMessage) => {
      if ("want" in m) helper.send({ names: queue.length > 0 ? [queue.shift()!] : [] });
      else if ("stacks" in m) resolve(m.stacks);
      else {
        failed = true;
        reject(new Error(m.error));
      }
    });
    // "close", not "exit": the helper exits as soon as its answer is written, and "exit" can be
    // emitted here before that message is; "close" comes after the channel has delivered it.
    helper.once("close", (code) => {
      failed = true;
      reject(new Error(`the helper synth process stopped (exit code ${code})`));
    });
  });
  helped.catch(() => {});
  try {
    // The helper's first stack comes with the job: its first request for more would wait for
    // this process's first stack, the largest. Waiting until the job is handed over keeps the
    // synchronous work below from holding it in this process's send queue.
    const job: HelperJob = { model, outdir: helperOut, record, names: queue.splice(0, 1) };
    await new Promise<void>((resolve, reject) => helper.send(job, (error) => (error ? reject(error) : resolve())));
    const writer = stackWriter(model, staging, recorders);
    while (queue.length > 0 && !failed) {
      writer.write(queue.shift()!);
      // Lets the helper's request for its next stack in.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const mineStacks = writer.finish();
    const theirStacks = new Map(await helped);
    const theirDir = path.join(helperOut, "stacks");
    if (existsSync(theirDir)) for (const name of readdirSync(theirDir)) renameSync(path.join(helperOut, "stacks", name), path.join(staging, "stacks", name));
    writeManifest(staging, [staging, helperOut]);
    return new Map(specs.map((spec) => [spec.name, mineStacks.get(spec.name) ?? theirStacks.get(spec.name)!]));
  } finally {
    if (helper.exitCode === null) helper.kill();
    rmSync(helperOut, { recursive: true, force: true });
  }
}

/**
 * The order in which two processes take stacks from their shared queue: largest estimated size
 * first (ties by name), so the last stacks taken are small ones and neither process is left
 * with a large one at the end. Where a stack is built never changes what is written.
 */
export function workOrder(model: OrganizationModel, specs: readonly StackSpec[]): string[] {
  return specs
    .map((spec) => ({ name: spec.name, size: estimatedSize(model, spec) }))
    .sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1))
    .map((spec) => spec.name);
}

/**
 * Builds and synthesizes the named stacks of the organization into `outdir`, each recording its
 * reads of the model when `recorders` is given. A custom `build` (a test app adding constructs)
 * is synthesized whole, as cdktf does; else one stack at a time (`stackWriter`).
 */
function synthesizeStacks(model: OrganizationModel, outdir: string, names: readonly string[], recorders?: Map<string, ReadRecorder<OrganizationModel>>, build = buildApp): Map<string, BuiltStack> {
  if (build !== buildApp) {
    return withoutCreationStacks(() => {
      const app = build(model, outdir, new Set(names), recorders);
      app.synth();
      return builtStacks(app, recorders);
    });
  }
  const wanted = new Set(names);
  const writer = stackWriter(model, outdir, recorders);
  for (const spec of planStacks(model)) if (wanted.has(spec.name)) writer.write(spec.name);
  return writer.finish();
}

/** Writes stacks into one output directory one at a time; `finish` writes its manifest and returns what was built. */
interface StackWriter {
  write(name: string): void;
  finish(): Map<string, BuiltStack>;
}

/**
 * One stack at a time: each is built, written and dropped (with the tokens cdktf registered
 * for it, stacks/token-scope.ts) before the next is built, so memory holds one stack, not the
 * organization: with the old generation held to 25% growth between full collections
 * (scripts/run-bundle.cjs), a 10x synth's peak RSS fell from ~420 MB to ~255 MB. The output is
 * the same as `app.synth()` of the whole app gives (cdktf's App.synth prepares each stack and
 * runs its synthesizer; the manifest is written last).
 */
function stackWriter(model: OrganizationModel, outdir: string, recorders?: Map<string, ReadRecorder<OrganizationModel>>): StackWriter {
  const app = new App({ outdir, skipValidation: true });
  const session = { outdir: app.outdir, skipValidation: true, manifest: app.manifest };
  const specs = new Map(planStacks(model).map((spec) => [spec.name, spec]));
  const built = new Map<string, BuiltStack>();
  return {
    write: (name) =>
      withoutCreationStacks(() => {
        const forgetTokens = markTokens();
        const stack = addStack(app, specs.get(name)!, model, recorders);
        stack.prepareStack();
        stack.synthesizer.synthesize(session);
        built.set(name, builtStack(stack, recorders));
        app.node.tryRemoveChild(stack.node.id);
        forgetTokens();
      }),
    finish: () => {
      app.manifest.writeToFile();
      return built;
    },
  };
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

/**
 * The helper process of a two-process synthesis: takes the job with its first stack, then asks
 * for one stack at a time (always one ahead, so a stack is waiting when the last is written) and
 * synthesizes each, until it is told the queue is empty; then writes its manifest and reports
 * what it built. The synth command's entry calls this when started with --synth-part.
 */
export function serveSynthPart(): void {
  process.setSourceMapsEnabled(false);
  let writer: StackWriter | undefined;
  const queue: string[] = [];
  let asked = 0;
  let ended = false;
  let working = false;
  const ask = () => {
    asked++;
    process.send!({ want: true });
  };
  const fail = (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  const work = async () => {
    working = true;
    try {
      while (queue.length > 0) {
        const name = queue.shift()!;
        if (!ended) ask();
        writer!.write(name);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (ended && asked === 0) process.send!({ stacks: [...writer!.finish()] }, () => process.exit(0));
    } catch (error) {
      fail(error);
    } finally {
      working = false;
    }
  };
  process.on("message", (m: HelperJob | { names: string[] }) => {
    if ("model" in m) {
      try {
        writer = stackWriter(m.model, m.outdir, m.record ? new Map() : undefined);
      } catch (error) {
        fail(error);
        return;
      }
      queue.push(...m.names);
      if (queue.length === 0) ask();
      void work();
      return;
    }
    asked--;
    if (m.names.length === 0) ended = true;
    queue.push(...m.names);
    if (!working) void work();
  });
}

/** How an app is built from the validated model (a test app adds constructs to `buildApp`'s). */
export type BuildApp = typeof buildApp;

