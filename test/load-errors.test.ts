import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../main.js";
import { runCommand, type CommandResult } from "./command.js";
import { runMainBatch, type MainJob } from "./main-cli.js";

/*
 * Config files that cannot be loaded, as a newcomer breaks them: each is reported once, on the
 * file and at the line and column of the cause, with the fix for that cause, and every problem
 * of the other files is reported in the same run.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "load-errors-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The fixture organization in a temp dir, library imports made absolute. */
function copyOrg(name: string): string {
  const dir = path.join(work, name);
  cpSync(path.join(ROOT, "test/fixtures/org"), dir, { recursive: true });
  for (const rel of readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"))) {
    const file = path.join(dir, rel);
    writeFileSync(file, readFileSync(file, "utf8").replace(/from "(\.\.\/)+lib\//g, `from "${ROOT}/lib/`));
  }
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

const queued: Array<{ job: MainJob; result: { -readonly [K in keyof CommandResult]: CommandResult[K] } }> = [];

/**
 * `npm run validate` on a config directory, run from the directory above it so files show as
 * `<name>/...`. Every describe queues its run while it is collected; the runs happen before
 * the first test, all in one process of the command (see runMainBatch), and fill in the result.
 */
function validate(dir: string, ...args: string[]): CommandResult {
  return queue(path.dirname(dir), ["--validate-only", "--config", dir, ...args]);
}

/** Any run of the command, queued as `validate` queues its runs. */
function queue(cwd: string, args: string[]): CommandResult {
  const result = { status: Number.NaN, stdout: "", stderr: "" };
  queued.push({ job: { cwd, args }, result });
  return result;
}

beforeAll(() => {
  runMainBatch(queued.map((q) => q.job)).forEach((result, i) => Object.assign(queued[i]!.result, result));
});

/** The blocks of the report whose header is exactly `header`. */
function blocks(stderr: string, header: string): string[] {
  return stderr.split("\n\n").filter((b) => b.split("\n")[0] === header);
}

describe("a config file with a syntax error", () => {
  const dir = copyOrg("syntax");
  edit(path.join(dir, "services/ledger.ts"), `owners: ["carol", "bob"],`, `owners: ["carol" "bob"],`);
  edit(path.join(dir, "services/payments.ts"), `owners: ["alice", "bob"]`, `owners: ["alice", "zoe"]`);
  const r = validate(dir);

  it("is reported once, at its line and column, with the fix for a syntax error", () => {
    expect(r.status).toBe(1);
    const [block, ...more] = blocks(r.stderr, "syntax/services/ledger.ts");
    expect(more).toEqual([]);
    // Line 5 is the owners line; column 20 is the second string, where the comma is missing.
    expect(block).toContain("  at:      syntax/services/ledger.ts:5:20\n");
    expect(block).toContain(`problem: is not valid TypeScript: Expected "]" but found "\\"bob\\""`);
    expect(block).toMatch(/fix: {5}correct the syntax at line 5, column 20/);
    expect(r.stderr).not.toContain("typecheck");
    // The index imports the broken file; it is not reported a second time.
    expect(r.stderr).not.toMatch(/^syntax\/services\.ts/m);
  });

  it("does not hide the problems of the other files", () => {
    expect(r.stderr).toMatch(/^Config has 2 problems/);
    expect(blocks(r.stderr, "syntax/services/payments.ts > payments > owners.1")[0]).toContain("  at:      syntax/services/payments.ts:5:21\n");
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });
});

describe("a config file that throws when it is loaded", () => {
  const dir = copyOrg("throws");
  edit(path.join(dir, "services/ledger.ts"), `export default defineService({`, `const regions = (process.env.NOPE as unknown as string[]).slice(0);\nexport default defineService({`);
  const r = validate(dir);

  it("points at the line that throws and says config files hold plain data", () => {
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Config has 1 problem;/);
    const [block] = blocks(r.stderr, "throws/services/ledger.ts");
    expect(block).toContain("  at:      throws/services/ledger.ts:3:");
    expect(block).toMatch(/problem: throws while it is loaded: Cannot read properties of undefined \(reading 'slice'\)/);
    expect(block).toMatch(/fix: {5}config files hold plain data: remove or correct the code at line 3/);
    expect(r.stderr).not.toContain("typecheck");
  });
});

describe("the synth command with a config file that does not parse", () => {
  const dir = copyOrg("synth-syntax");
  writeFileSync(path.join(dir, "services/ledger.ts"), "export default {");
  const out = path.join(work, "out-synth-syntax");
  const r = queue(ROOT, ["--config", dir, "--out", out]);

  it("reports it once, by name, line and column, without a stack trace, and writes nothing", () => {
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Config has 1 problem;/);
    expect(r.stderr).toMatch(/services\/ledger\.ts\n {2}at: {6}\S*services\/ledger\.ts:1:17\n {2}problem: is not valid TypeScript: Expected identifier but found end of file/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(existsSync(out)).toBe(false);
  });
});

// The repository is an ES module package; a config directory elsewhere may be loaded by require().
describe.each([["an ES module package", true], ["a CommonJS directory", false]])("a service file renamed without updating the index, in %s", (_, esm) => {
  const name = esm ? "renamed" : "renamed-cjs";
  const dir = copyOrg(name);
  if (esm) writeFileSync(path.join(dir, "package.json"), `{ "type": "module" }\n`);
  renameSync(path.join(dir, "services/ledger.ts"), path.join(dir, "services/general-ledger.ts"));
  edit(path.join(dir, "developers.ts"), `github: "carol-s"`, `github: "carol_s"`);
  const r = validate(dir);

  it("names the index's entry at its line with the rename fix, the unlisted file, and the other problems", () => {
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Config has 3 problems;/);
    const [listed] = blocks(r.stderr, `${name}/services.ts > ledger`);
    const line = readFileSync(path.join(dir, "services.ts"), "utf8").split("\n").findIndex((l) => l.trim() === "ledger,") + 1;
    expect(listed).toContain(`  at:      ${name}/services.ts:${line}:3\n`);
    expect(listed).toMatch(new RegExp(`problem: lists a service with no file ${name}/services/ledger\\.ts`));
    expect(listed).toMatch(/fix: .*if the file was renamed, import it by its new name/);
    expect(blocks(r.stderr, `${name}/services/general-ledger.ts > general-ledger`)[0]).toContain(`problem: is not listed in ${name}/services.ts`);
    expect(blocks(r.stderr, `${name}/developers.ts > carol > github`)[0]).toMatch(new RegExp(`at: {6}${name}/developers\\.ts:\\d+:\\d+`));
    expect(r.stderr).not.toContain("typecheck");
  });
});

describe("a broken developer map", () => {
  const dir = copyOrg("developers");
  edit(path.join(dir, "developers.ts"), `  bob: {`, `  bob: {{`);
  edit(path.join(dir, "services/payments.ts"), `ou: "workloads-prod"`, `ou: "nope"`);
  const r = validate(dir);

  it("is reported at its line and column, and the services' own problems still show, without every owner looking unknown", () => {
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Config has 2 problems;/);
    expect(blocks(r.stderr, "developers/developers.ts")[0]).toMatch(/at: {6}developers\/developers\.ts:\d+:9\n/);
    expect(blocks(r.stderr, "developers/services/payments.ts > payments > account.ou")).toHaveLength(1);
    expect(r.stderr).not.toContain("is not a developer");
  });
});

describe("--format github", () => {
  const dir = copyOrg("github");
  edit(path.join(dir, "services/ledger.ts"), `owners: ["carol", "bob"],`, `owners: ["carol" "bob"],`);
  edit(path.join(dir, "services/payments.ts"), `owners: ["alice", "bob"]`, `owners: ["alice", "zoe"]`);
  const r = validate(dir, "--format", "github");

  it("prints every problem as an annotation on its file, line and column, and the report as well", () => {
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=github\/services\/ledger\.ts,line=5,col=20,title=github\/services\/ledger\.ts::is not valid TypeScript: .*Fix: correct the syntax/);
    expect(lines[1]).toMatch(/^::error file=github\/services\/payments\.ts,line=5,col=21,title=github\/services\/payments\.ts > payments > owners\.1::is not a developer .*\(value: "zoe"\)\. Fix: /);
    expect(r.stderr).toMatch(/^Config has 2 problems/);
  });

  // An argument check: the command's run() in this process.
  it("refuses an unknown format", async () => {
    const bad = await runCommand(() => run(["--validate-only", "--config", dir, "--format", "xml"]));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--format xml is not a format\. Fix: pass --format text/);
  });
});

describe("a CIDR overlap between a new service and a deployed one", () => {
  const repo = path.join(work, "overlap");
  const dir = path.join(repo, "config");
  cpSync(copyOrg("overlap-src"), dir, { recursive: true });
  const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd, encoding: "utf8" });
  git(repo, "init", "--quiet", "--initial-branch=main");
  git(repo, "add", "-A");
  git(repo, "commit", "--quiet", "-m", "base");
  // "audit" sorts before "ledger" and states ledger's CIDR: by key alone, ledger would be told to move.
  writeFileSync(path.join(dir, "services/audit.ts"), readFileSync(path.join(dir, "services/ledger.ts"), "utf8")
    .replace(`aws+ledger@example.com`, `aws+audit@example.com`).replace(`handle: "ledger-team"`, `handle: "audit-team"`)
    .replace(`repositories: ["ledger"]`, `repositories: ["audit"]`).replace(`githubRepositories: ["ledger"]`, `githubRepositories: ["audit"]`));
  edit(path.join(dir, "services.ts"), `import ledger from`, `import audit from "./services/audit.js";\nimport ledger from`);
  edit(path.join(dir, "services.ts"), `export default {\n`, `export default {\n  audit,\n`);
  // A copy of the repository where the new service is committed on top of the base.
  const committed = path.join(work, "overlap-committed");
  cpSync(repo, committed, { recursive: true });
  git(committed, "add", "-A");
  git(committed, "commit", "--quiet", "-m", "add audit");
  const uncommittedRun = validate(dir);
  const sinceBaseRun = validate(path.join(committed, "config"), "--base", "main~1");
  const overlapOf = (stderr: string) => stderr.split("\n\n").filter((b) => b.includes("overlaps")).map((b) => b.split("\n")[0]);

  it("is filed under the file the edit touched", () => {
    const r = uncommittedRun;
    expect(r.status).toBe(1);
    expect(overlapOf(r.stderr)).toEqual(["config/services/audit.ts > audit > network.cidrs.ap-northeast-1"]);
  });

  it("is filed under the service that is new since --base", () => {
    const r = sinceBaseRun;
    expect(r.status).toBe(1);
    expect(overlapOf(r.stderr)).toEqual(["config/services/audit.ts > audit > network.cidrs.ap-northeast-1"]);
    expect(r.stderr).not.toContain("move that one instead");
  });
});
