import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { estimatedSize, planStacks } from "../lib/plan/stack-plan";
import { compareOutputs, type OutputComparison, type OutputFiles } from "../lib/review/output-equivalence";
import { writeOrg } from "./generate-org.js";

/*
 * `npm run check:cdktn`: the organization synthesizes the same under cdktn, the maintained fork of
 * cdktf (whose 0.21.0 is the final release). A scratch copy of the repository gets the npm alias
 * the README's migration describes (`"cdktf": "npm:cdktn@..."`, constructs in cdktn's peer
 * range, `overrides` so the @cdktf/provider-* packages use the alias too) and its own install;
 * the committed package.json and lockfile are never touched. The example organization and a
 * generated one large enough for the two-process synthesis are synthesized under both, and the
 * outputs must be the same but for the version stamp and the layout of empty lists
 * (lib/review/output-equivalence.ts).
 *
 * The scratch copy's node_modules is kept (under node_modules/.cache) and reused while the
 * rewritten package.json and the lockfile are unchanged; npm's own cache serves the rest.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What `cdktf` resolves to in the scratch copy. */
export const CDKTN = "npm:cdktn@0.24.0";
/** cdktn 0.24.0 asks for constructs >=10.6.0 <10.8.0 (cdktf 0.21 for ^10.4.2). */
export const CONSTRUCTS_FOR_CDKTN = "10.7.2";
/** Generated organization for the two-process synthesis: 2.5 times DMM's size. */
const LARGE_ORG = { developers: 300, services: 100 };

const DEFAULT_SCRATCH = path.join(ROOT, "node_modules/.cache/cdktn-check");
const STAMP_FILE = ".install-stamp";

interface PackageJson {
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/**
 * The project's package.json with `cdktf` aliased to cdktn: constructs in cdktn's peer range,
 * `overrides` so every package that asks for cdktf or constructs (the @cdktf/provider-*
 * packages) gets the same ones, and of the dev dependencies only what `npm run synth` needs.
 */
export function cdktnPackage(pkg: PackageJson): PackageJson {
  const dev = pkg.devDependencies ?? {};
  for (const name of ["tsx", "esbuild"]) if (!dev[name]) throw new Error(`package.json has no devDependency ${name}, which npm run synth needs`);
  return {
    ...pkg,
    dependencies: { ...pkg.dependencies, cdktf: CDKTN, constructs: CONSTRUCTS_FOR_CDKTN },
    devDependencies: { tsx: dev.tsx!, esbuild: dev.esbuild! },
    overrides: { ...pkg.overrides, cdktf: "$cdktf", constructs: "$constructs" },
  };
}

/** A failure to report in one message, without a stack trace. */
class CheckError extends Error {}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Runs a command; resolves with its combined output, rejects with a CheckError naming `what`. */
function run(what: string, command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (error) => reject(new CheckError(`${what}: ${error.message}`)));
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new CheckError(`${what} failed (exit ${code}):\n${output.trim().split("\n").slice(-30).join("\n")}`))));
  });
}

/** Copies the repository's files (tracked and not ignored, as in the working tree) into `scratch`, keeping its node_modules. */
function copyRepository(scratch: string): void {
  let listed: string;
  try {
    listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  } catch {
    throw new CheckError(`Cannot list the repository's files with git in ${ROOT}. Fix: run the check in a git checkout of the repository.`);
  }
  mkdirSync(scratch, { recursive: true });
  for (const entry of readdirSync(scratch)) if (entry !== "node_modules" && entry !== STAMP_FILE) rmSync(path.join(scratch, entry), { recursive: true, force: true });
  for (const file of listed.split("\0").filter(Boolean)) {
    if (existsSync(path.join(ROOT, file))) cpSync(path.join(ROOT, file), path.join(scratch, file));
  }
}

/** Installs the scratch copy's dependencies unless its node_modules came from the same package.json and lockfile. */
async function install(scratch: string): Promise<string> {
  const pkg = cdktnPackage(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackageJson);
  const pkgText = `${JSON.stringify(pkg, null, 2)}\n`;
  writeFileSync(path.join(scratch, "package.json"), pkgText);
  const stamp = createHash("sha256").update(pkgText).update(readFileSync(path.join(ROOT, "package-lock.json"))).update(process.versions.node.split(".")[0]!).digest("hex");
  const stampFile = path.join(scratch, STAMP_FILE);
  if (existsSync(path.join(scratch, "node_modules")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return "reused (same package.json and lockfile)";
  rmSync(stampFile, { force: true });
  const started = process.hrtime.bigint();
  // The lockfile copied from the repository keeps every other package at its locked version;
  // npm resolves only what the alias changed.
  await run("npm install of the cdktn variant", "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], scratch);
  writeFileSync(stampFile, stamp);
  return `installed in ${seconds(started).toFixed(1)} s`;
}

/** Name and version of the package `name` as `from` (a package folder) resolves it. */
function resolvedPackage(from: string, name: string): { name: string; version: string; dir: string } {
  const file = createRequire(path.join(from, "package.json")).resolve(`${name}/package.json`);
  const { name: real, version } = JSON.parse(readFileSync(file, "utf8")) as { name: string; version: string };
  return { name: real, version, dir: path.dirname(file) };
}

/**
 * In the scratch copy, `cdktf` is cdktn and every provider package resolves the very same cdktf
 * and constructs as the app: a second copy of either would break construct checks at synth.
 */
function checkResolution(scratch: string): string {
  const app = { cdktf: resolvedPackage(scratch, "cdktf"), constructs: resolvedPackage(scratch, "constructs") };
  if (app.cdktf.name !== "cdktn") throw new CheckError(`In ${scratch}, cdktf resolves to ${app.cdktf.name}@${app.cdktf.version}, not to cdktn. Fix: the alias in cdktnPackage (scripts/check-cdktn.ts).`);
  const providers = readdirSync(path.join(scratch, "node_modules/@cdktf")).filter((p) => p.startsWith("provider-"));
  for (const provider of providers) {
    const dir = path.join(scratch, "node_modules/@cdktf", provider);
    for (const dep of ["cdktf", "constructs"] as const) {
      const got = resolvedPackage(dir, dep);
      if (got.dir !== app[dep].dir) throw new CheckError(`@cdktf/${provider} resolves ${dep} to ${got.name}@${got.version} in ${got.dir}, not the app's ${app[dep].name}@${app[dep].version}. Fix: the overrides in cdktnPackage (scripts/check-cdktn.ts).`);
    }
  }
  return `cdktf -> ${app.cdktf.name}@${app.cdktf.version}, constructs@${app.constructs.version}, ${providers.length} @cdktf/provider-* packages on the same`;
}

/**
 * Every file of a synthesis output directory, by path relative to it. JSON is read as UTF-8;
 * anything else (an asset's zip) as latin1, one character per byte, so it compares byte for byte.
 */
function readOutput(dir: string): OutputFiles {
  const files = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files.set(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"), readFileSync(path.join(e.parentPath, e.name), e.name.endsWith(".json") ? "utf8" : "latin1"));
  }
  return files;
}

/** Synthesizes `configDir` with the app of `root` (its own node_modules) into `out`; returns seconds. */
async function synth(root: string, configDir: string, out: string, what: string): Promise<number> {
  const started = process.hrtime.bigint();
  await run(`${what}: build`, process.execPath, [path.join(root, "scripts/build-synth.mjs")], root);
  await run(`${what}: synth`, process.execPath, ["--import", "tsx", path.join(root, ".gen/main.cjs"), "--config", configDir, "--out", out], root);
  return seconds(started);
}

interface Organization {
  readonly label: string;
  /** Config folder for each side (the example organization is each copy's own config/). */
  readonly config: { readonly cdktf: string; readonly cdktn: string };
}

function describe(c: OutputComparison, files: OutputFiles): string {
  const stacks = [...files.keys()].filter((f) => /^stacks\/[^/]+\/cdk\.tf\.json$/.test(f)).length;
  return `${stacks} stacks, ${c.compared} files: ${c.identical} identical, version stamp in ${c.versionStamp}, empty-list layout in ${c.emptyLayout}, other differences ${c.differences.length}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { scratch: { type: "string" } } });
  const scratch = path.resolve(values.scratch ?? DEFAULT_SCRATCH);
  const started = process.hrtime.bigint();
  const work = mkdtempSync(path.join(tmpdir(), "cdktn-check-"));
  try {
    // synth.ts loads cdktf and the providers: only when the check runs, not when a test imports this file.
    const { loadModel } = await import("../main.js");
    const { PARALLEL_THRESHOLD } = await import("../synth.js");
    const large = path.join(work, "large-org");
    writeOrg(large, LARGE_ORG.developers, LARGE_ORG.services);
    const largeModel = await loadModel(large, "large-org");
    const size = planStacks(largeModel).reduce((n, spec) => n + estimatedSize(largeModel, spec), 0);
    if (size <= PARALLEL_THRESHOLD) throw new CheckError(`The generated organization (${size} estimated resources) is below the two-process threshold (${PARALLEL_THRESHOLD}). Fix: raise LARGE_ORG in scripts/check-cdktn.ts.`);
    const orgs: Organization[] = [
      { label: "example organization (config/)", config: { cdktf: path.join(ROOT, "config"), cdktn: path.join(scratch, "config") } },
      { label: `generated organization (${LARGE_ORG.developers} developers, ${LARGE_ORG.services} services, ${size} estimated resources: ${availableParallelism() >= 2 ? "two-process synthesis" : "one process, as this machine has one core"})`, config: { cdktf: large, cdktn: large } },
    ];
    const cdktfVersion = resolvedPackage(ROOT, "cdktf");
    if (cdktfVersion.name !== "cdktf") throw new CheckError(`The repository's cdktf is ${cdktfVersion.name}@${cdktfVersion.version}; the check compares cdktn with cdktf. Fix: run npm ci.`);
    process.stdout.write(`cdktn check: ${cdktfVersion.name}@${cdktfVersion.version} (this checkout) against ${CDKTN} (scratch copy ${path.relative(process.cwd(), scratch) || "."})\n`);

    copyRepository(scratch);
    // The install waits on the network and the disk; the cdktf syntheses meanwhile use the CPU.
    const cdktfTimes: number[] = [];
    const [installed] = await Promise.all([
      install(scratch),
      (async () => {
        for (const [i, org] of orgs.entries()) cdktfTimes.push(await synth(ROOT, org.config.cdktf, path.join(work, `cdktf-${i}`), `cdktf synthesis of the ${org.label}`));
      })(),
    ]);
    process.stdout.write(`  install: ${installed}; ${checkResolution(scratch)}\n`);
    let failed = 0;
    for (const [i, org] of orgs.entries()) {
      const cdktnSeconds = await synth(scratch, org.config.cdktn, path.join(work, `cdktn-${i}`), `cdktn synthesis of the ${org.label}`);
      const reference = readOutput(path.join(work, `cdktf-${i}`));
      const result = compareOutputs(reference, readOutput(path.join(work, `cdktn-${i}`)), { reference: "cdktf", candidate: "cdktn" });
      process.stdout.write(`  ${org.label}: synthesized in ${cdktfTimes[i]!.toFixed(1)} s (cdktf) and ${cdktnSeconds.toFixed(1)} s (cdktn); ${describe(result, reference)}\n`);
      const shown = result.differences.slice(0, 40);
      for (const d of shown) process.stdout.write(`    stack ${d.stack} (${d.file}) at ${d.path}: ${d.detail}\n`);
      if (result.differences.length > shown.length) process.stdout.write(`    and ${result.differences.length - shown.length} more\n`);
      failed += result.differences.length;
    }
    process.stdout.write(`${failed === 0 ? "Same output under cdktn but for the version stamp and empty-list layout" : `${failed} difference(s) beyond the version stamp and empty-list layout`} (${seconds(started).toFixed(1)} s).\n`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof CheckError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`The cdktn check failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
