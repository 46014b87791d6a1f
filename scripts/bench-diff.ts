import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/*
 * `node --import tsx scripts/bench-diff.ts [base-ref] [runs]`: the change summary must cost no
 * more than twice one synth. Runs one synth and one diff alternately (so both see the same
 * machine load) and prints the medians and their ratio.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const base = process.argv[2] ?? "HEAD";
const runs = Number(process.argv[3] ?? 5);
const temp = mkdtempSync(path.join(tmpdir(), "bench-diff-"));

function time(args: string[]): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ["--import", "tsx", ...args], { cwd: ROOT, stdio: "ignore" });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const synths: number[] = [];
const diffs: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    synths.push(time(["main.ts", "--out", path.join(temp, "out")]));
    diffs.push(time(["scripts/diff.ts", "--base", base, "--changed-stacks", path.join(temp, "changed-stacks.txt")]));
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
const s = median(synths);
const d = median(diffs);
process.stdout.write(`synth: ${synths.map((x) => x.toFixed(2)).join(" ")} s (median ${s.toFixed(2)} s)\n`);
process.stdout.write(`diff:  ${diffs.map((x) => x.toFixed(2)).join(" ")} s (median ${d.toFixed(2)} s)\n`);
process.stdout.write(`diff / synth = ${(d / s).toFixed(2)} (must be <= 2)\n`);
process.exitCode = d / s <= 2 ? 0 : 1;
