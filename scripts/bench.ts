import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import exampleDevelopers from "../config/developers.js";
import exampleServices from "../config/services.js";
import { writeOrg } from "./generate-org.js";

/*
 * `npm run bench`: wall time and peak RSS of a full synth at three sizes, stack and resource
 * counts, the blast radius of adding one service, and a package-root-import baseline.
 * Prints a table and writes bench/results.json. Numbers, not assertions: the machine is shared.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const opts = new Command()
  .option("--runs <n>", "synth runs per size (median reported)", "3")
  .option("--baseline-runs <n>", "runs of the package-root baseline", "3")
  .option("--sizes <list>", "comma-separated sizes to run: example,dmm,10x", "example,dmm,10x")
  .parse()
  .opts<{ runs: string; baselineRuns: string; sizes: string }>();
const RUNS = Number(opts.runs);

const SIZES = [
  { id: "example", developers: 0, services: 0 },
  { id: "dmm", developers: 120, services: 40 },
  { id: "10x", developers: 1200, services: 400 },
].filter((s) => opts.sizes.split(",").includes(s.id));

const work = mkdtempSync(path.join(tmpdir(), "bench-"));
const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);

interface Run {
  readonly seconds: number;
  readonly peakMb: number;
}

/**
 * One synth in a child process, timed by GNU time: wall clock, and the largest RSS of the
 * process and any helper it forks. The project runs its one-file build (`npm run synth`); the
 * baseline app runs its main.ts the usual way.
 */
function synthOnce(appRoot: string, configDir: string, outDir: string): Run {
  const entry = existsSync(path.join(appRoot, ".gen/main.cjs")) ? ".gen/main.cjs" : "main.ts";
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, "--import", "tsx", path.join(appRoot, entry), "--config", configDir, "--out", outDir], { cwd: appRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`synth failed for ${configDir}:\n${r.stderr}`);
  const last = r.stderr.trim().split("\n").pop()!;
  const [seconds, kb] = last.split(" ").map(Number);
  return { seconds: seconds!, peakMb: kb! / 1024 };
}

/**
 * One `npm run rehearse` on a synthesized output, timed like a synth (the whole command: start-up,
 * config, schemas, checks). Exit 1 only means findings; anything else is a failure.
 */
function rehearseOnce(configDir: string, outDir: string): Run {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, "--import", "tsx", path.join(ROOT, "scripts/rehearse.ts"), "--config", configDir, "--out", outDir, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`rehearse failed for ${configDir}:\n${r.stderr}`);
  const last = r.stderr.trim().split("\n").pop()!;
  const [seconds, kb] = last.split(" ").map(Number);
  return { seconds: seconds!, peakMb: kb! / 1024 };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(appRoot: string, configDir: string, outDir: string, runs: number, label: string): { seconds: number; peakMb: number; runs: Run[] } {
  const all: Run[] = [];
  for (let i = 0; i < runs; i++) {
    all.push(synthOnce(appRoot, configDir, outDir));
    progress(`${label}: run ${i + 1}/${runs} ${all[i]!.seconds.toFixed(2)} s, ${all[i]!.peakMb.toFixed(0)} MB`);
  }
  return { seconds: median(all.map((r) => r.seconds)), peakMb: median(all.map((r) => r.peakMb)), runs: all };
}

/** Stack name -> [file text, resource count] of a synthesized output directory. */
function readStacks(outDir: string): Map<string, { text: string; resources: number }> {
  const stacks = new Map<string, { text: string; resources: number }>();
  for (const name of readdirSync(path.join(outDir, "stacks")).sort()) {
    const text = readFileSync(path.join(outDir, "stacks", name, "cdk.tf.json"), "utf8");
    const json = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
    const resources = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    stacks.set(name, { text, resources });
  }
  return stacks;
}

/** A copy of the app whose provider imports all go through the package roots. */
function baselineApp(): string {
  const dir = path.join(work, "baseline-app");
  for (const entry of ["main.ts", "package.json", "tsconfig.json", "lib", "stacks", "constructs", "guardrails", "config", "slack", "slack-command"]) {
    if (existsSync(path.join(ROOT, entry))) cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  let n = 0;
  const rewrite = (file: string) => {
    const text = readFileSync(file, "utf8");
    const out = text.replace(/^import \{([^}]*)\} from "(@cdktf\/provider-[a-z0-9-]+)\/lib\/([a-z0-9-]+)";$/gm, (_m, names: string, pkg: string, mod: string) => {
      // `A as B` in an import is `A: B` in a destructuring.
      const values = names.split(",").map((s) => s.trim()).filter((s) => s && !s.startsWith("type ")).map((s) => s.replace(/\s+as\s+/, ": "));
      if (values.length === 0) return "";
      const ns = mod.replace(/-([a-z0-9])/g, (_x, c: string) => c.toUpperCase());
      n++;
      return `import { ${ns} as __root${n} } from "${pkg}";\nconst { ${values.join(", ")} } = __root${n};`;
    });
    writeFileSync(file, out);
  };
  for (const folder of ["stacks", "constructs", "slack"]) {
    if (!existsSync(path.join(dir, folder))) continue;
    for (const f of readdirSync(path.join(dir, folder), { recursive: true }) as string[]) if (f.endsWith(".ts")) rewrite(path.join(dir, folder, f));
  }
  progress(`baseline app: ${n} provider imports rewritten to package roots`);
  return dir;
}

interface SizeResult {
  size: string;
  developers: number;
  services: number;
  seconds: number;
  peakMb: number;
  rehearseSeconds: number;
  stacks: number;
  resources: number;
  largestStack: string;
  largestStackResources: number;
  blastRadiusStacks: number;
  blastRadiusStackNames: string[];
  blastRadiusResourceShare: number;
}

// The same build `npm run synth` makes before it runs.
const built = spawnSync(process.execPath, [path.join(ROOT, "scripts/build-synth.mjs")], { encoding: "utf8" });
if (built.status !== 0) throw new Error(`build-synth failed:\n${built.stderr}`);

const results: SizeResult[] = [];
let baseline: { size: string; seconds: number; peakMb: number; fastSeconds: number; ratio: number } | undefined;
try {
  for (const size of SIZES) {
    const configDir = size.id === "example" ? path.join(ROOT, "config") : path.join(work, `config-${size.id}`);
    if (size.id !== "example") {
      progress(`${size.id}: generating ${size.developers} developers, ${size.services} services`);
      writeOrg(configDir, size.developers, size.services);
    }
    const out = path.join(work, `out-${size.id}`);
    const m = measure(ROOT, configDir, out, RUNS, size.id);
    const rehearsals: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      rehearsals.push(rehearseOnce(configDir, out).seconds);
      progress(`${size.id}: rehearse run ${i + 1}/${RUNS} ${rehearsals[i]!.toFixed(2)} s`);
    }
    const stacks = readStacks(out);
    const counts = [...stacks].map(([name, s]) => [name, s.resources] as const).sort((a, b) => b[1] - a[1]);
    const total = counts.reduce((n, [, c]) => n + c, 0);

    // Blast radius: the same organization with one more service (the generator is a superset);
    // for the example org, measured on a generated DMM-size org since the example is hand-written.
    const devs = size.id === "example" ? 120 : size.developers;
    const svcs = size.id === "example" ? 40 : size.services;
    const beforeDir = size.id === "example" ? path.join(work, "config-blast-before") : configDir;
    if (size.id === "example") writeOrg(beforeDir, devs, svcs);
    const afterDir = path.join(work, `config-${size.id}-plus-one`);
    // Same shard count as the organization it is compared with: it is fixed platform config.
    writeOrg(afterDir, devs, svcs + 1, { vendingShards: Math.max(4, Math.ceil(svcs / 50)) });
    const beforeOut = size.id === "example" ? path.join(work, "out-blast-before") : out;
    if (size.id === "example") synthOnce(ROOT, beforeDir, beforeOut);
    const afterOut = path.join(work, `out-${size.id}-plus-one`);
    synthOnce(ROOT, afterDir, afterOut);
    const before = readStacks(beforeOut);
    const after = readStacks(afterOut);
    const changed = [...after].filter(([name, s]) => before.get(name)?.text !== s.text).map(([name]) => name);
    const removed = [...before.keys()].filter((name) => !after.has(name));
    const afterTotal = [...after.values()].reduce((n, s) => n + s.resources, 0);
    const changedResources = changed.reduce((n, name) => n + after.get(name)!.resources, 0);
    progress(`${size.id}: adding one service changed ${changed.length + removed.length} stacks: ${[...changed, ...removed].join(", ")}`);

    results.push({
      size: size.id,
      developers: size.id === "example" ? Object.keys(exampleDevelopers).length : size.developers,
      services: size.id === "example" ? Object.keys(exampleServices).length : size.services,
      seconds: m.seconds,
      peakMb: m.peakMb,
      rehearseSeconds: median(rehearsals),
      stacks: stacks.size,
      resources: total,
      largestStack: counts[0]![0],
      largestStackResources: counts[0]![1],
      blastRadiusStacks: changed.length + removed.length,
      blastRadiusStackNames: [...changed, ...removed],
      blastRadiusResourceShare: afterTotal === 0 ? 0 : changedResources / afterTotal,
    });
  }

  const dmm = results.find((r) => r.size === "dmm");
  if (dmm && Number(opts.baselineRuns) > 0) {
    const app = baselineApp();
    const m = measure(app, path.join(work, "config-dmm"), path.join(work, "out-baseline"), Number(opts.baselineRuns), "baseline (package-root imports, dmm)");
    baseline = { size: "dmm", seconds: m.seconds, peakMb: m.peakMb, fastSeconds: dmm.seconds, ratio: m.seconds / dmm.seconds };
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const rows = [
  ["size", "developers", "services", "synth s (median)", "peak MB", "rehearse s (median)", "stacks", "resources", "largest stack", "+1 service: stacks", "+1 service: resource share"],
  ...results.map((r) => [r.size, String(r.developers), String(r.services), r.seconds.toFixed(2), r.peakMb.toFixed(0), r.rehearseSeconds.toFixed(2), String(r.stacks), String(r.resources), `${r.largestStack} (${r.largestStackResources})`, String(r.blastRadiusStacks), pct(r.blastRadiusResourceShare)]),
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
process.stdout.write([line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n") + "\n");
for (const r of results) process.stdout.write(`  ${r.size}: adding one service changes ${r.blastRadiusStackNames.join(", ")}\n`);
if (baseline) {
  process.stdout.write(`\nBaseline (package-root provider imports, ${baseline.size}): ${baseline.seconds.toFixed(2)} s, ${baseline.peakMb.toFixed(0)} MB; deep imports: ${baseline.fastSeconds.toFixed(2)} s; ratio ${baseline.ratio.toFixed(1)}x\n`);
}
mkdirSync(path.join(ROOT, "bench"), { recursive: true });
writeFileSync(path.join(ROOT, "bench/results.json"), `${JSON.stringify({ node: process.version, results, baseline }, null, 2)}\n`);
process.stdout.write("Wrote bench/results.json\n");
