import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../main.js";
import { runCommand } from "./command.js";
import { MAIN_CLI } from "./main-cli.js";
import { scratchDir } from "./scratch.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const FIXTURE_ORG = path.join(ROOT, "test/fixtures/org");
const work = scratchDir("cli-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the synth entry point as `npm run synth` does, in a child process. */
function synth(args: string[]) {
  return spawnSync(process.execPath, [MAIN_CLI, ...args], { cwd: ROOT, encoding: "utf8" });
}

/** The same command's `run` in this process. */
function synthHere(args: string[]) {
  return runCommand(() => run(args));
}

/** Copies the fixture organization so a test can break it; library imports are made absolute. */
function copyConfig(name: string): string {
  const dir = path.join(work, name);
  cpSync(FIXTURE_ORG, dir, { recursive: true });
  for (const file of [...readdirSync(dir).map((f) => path.join(dir, f)), ...readdirSync(path.join(dir, "services")).map((f) => path.join(dir, "services", f))]) {
    if (!file.endsWith(".ts")) continue;
    const text = readFileSync(file, "utf8").replace(/from "(\.\.\/)+lib\//g, `from "${ROOT}/lib/`);
    writeFileSync(file, text);
  }
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

/** Every file below a directory with its bytes, for comparing two synths. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, file)] = readFileSync(file, "utf8");
    }
  }
  return out;
}

describe("the synth command", () => {
  // The command's one synthesis in its own process; the second runs in the test's process, which
  // has built other apps before, so state left behind by an earlier synthesis would show too.
  it("synthesizes byte-identical output twice from the same config", async () => {
    const a = path.join(work, "out-a");
    const b = path.join(work, "out-b");
    const first = synth(["--config", FIXTURE_ORG, "--out", a]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Synthesized \d+ stacks into /);
    expect((await synthHere(["--config", FIXTURE_ORG, "--out", b])).status).toBe(0);
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(Object.keys(snapshot(a)).filter((f) => f.endsWith("cdk.tf.json")).length).toBeGreaterThan(10);
  });

  it("rejects a config with many mistakes: every problem listed, exit 1, no stack trace, nothing written", async () => {
    const dir = copyConfig("broken");
    const out = path.join(work, "out-broken");
    edit(path.join(dir, "services/payments.ts"), `owners: ["alice", "bob"]`, `owners: ["alice", "zoe"]`);
    edit(path.join(dir, "services/ledger.ts"), `aws+ledger@example.com`, `aws+ledger-at-example.com`);
    edit(path.join(dir, "services/recommendations.ts"), `namespace: "recs"`, `namespace: "payments"`);
    edit(path.join(dir, "services/recommendations.ts"), `regions: ["ap-northeast-1"]`, `regions: ["eu-west-1"]`);
    writeFileSync(path.join(dir, "services/billing.ts"), readFileSync(path.join(dir, "services/ledger.ts"), "utf8"));
    edit(path.join(dir, "developers.ts"), `github: "carol-s"`, `github: "carol_s"`);

    const result = await synthHere(["--config", dir, "--out", out]);
    expect(result.status).toBe(1);
    for (const expected of [
      // Each problem also says where it is: the line and column of the field in its file.
      /services\/payments\.ts > payments > owners\.1\n {2}at: {6}\S*services\/payments\.ts:5:21\n\s+value:\s+"zoe"/,
      /services\/ledger\.ts > ledger > account\.email\n {2}at: {6}\S*services\/ledger\.ts:6:14\n\s+value:\s+"aws\+ledger-at-example\.com"/,
      /services\/recommendations\.ts > recommendations > kubernetes\.namespace/,
      /services\/recommendations\.ts > recommendations > regions\.0/,
      /services\/billing\.ts > billing\n[\s\S]*?is not listed in/,
      /developers\.ts > carol > github/,
    ]) expect(result.stderr).toMatch(expected);
    expect(result.stderr).toMatch(/fix: /);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  it("validates without writing anything with --validate-only", async () => {
    const out = path.join(work, "out-validate");
    const result = await synthHere(["--validate-only", "--config", FIXTURE_ORG, "--out", out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Config is valid: 5 developers, 3 services/);
    expect(existsSync(out)).toBe(false);
  });
});
