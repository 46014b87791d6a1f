import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decideApply } from "../lib/review/apply-range";
import { run as applyRangeCommand } from "../scripts/apply-range.js";
import { run as applyWavesCommand } from "../scripts/apply-waves.js";
import { runCommand } from "./command.js";

/*
 * An apply run applies every commit since the last applied one, in waves, and a failure is
 * retried by the next run. The scripts run here on a scratch git repository and a stand-in
 * terraform that records what it is asked to do.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(path.join(tmpdir(), "apply-range-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (repo: string, ...args: string[]) => {
  const r = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};
const tsx = (script: string, args: string[], cwd = ROOT) => spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], { cwd, encoding: "utf8" });

/** A repository with merges A, B, C on main; `origin/main` points at C. */
function repository(name: string): { repo: string; commits: string[] } {
  const repo = path.join(scratch, name);
  spawnSync("git", ["init", "-q", "-b", "main", repo]);
  const commits = ["A", "B", "C"].map((c) => {
    writeFileSync(path.join(repo, "merge.txt"), c);
    git(repo, "add", "merge.txt");
    git(repo, "commit", "-qm", `merge ${c}`);
    return git(repo, "rev-parse", "HEAD");
  });
  git(repo, "update-ref", "refs/remotes/origin/main", commits[2]!);
  return { repo, commits };
}

/**
 * `npm run apply-range` on a repository: in a child process when `where` is "child" (one test
 * checks the command as the workflow runs it), else its run() in this process.
 */
async function applyRange(repo: string, where: "child" | "here" = "here"): Promise<{ status: number | null; stdout: string; output: Record<string, string> }> {
  const out = path.join(repo, "..", `${path.basename(repo)}.out`);
  writeFileSync(out, "");
  const args = ["--repo", repo, "--github-output", out];
  const r = where === "child" ? tsx("scripts/apply-range.ts", args) : await runCommand(async () => applyRangeCommand(args));
  const output = Object.fromEntries(readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  return { status: r.status, stdout: r.stdout + r.stderr, output };
}

describe("the range an apply run applies", () => {
  it("starts at the last applied commit, so a merge whose run was cancelled while pending is applied too", async () => {
    const { repo, commits: [a, b, c] } = repository("three-merges");
    git(repo, "tag", "applied", a!);
    const r = await applyRange(repo, "child");
    expect(r.status).toBe(0);
    expect(r.output).toEqual({ action: "apply", base: a });
    expect(r.stdout).toContain(`Applying 2 commit(s)`);
    expect(r.stdout.indexOf(b!)).toBeGreaterThan(-1);
    expect(r.stdout.indexOf(b!)).toBeLessThan(r.stdout.indexOf(c!));
  });

  it("retries a failed run: the tag stays, and the next run starts from the same commit", async () => {
    const { repo, commits: [a] } = repository("failed-before");
    git(repo, "tag", "applied", a!);
    // The run for B failed and did not move the tag; the run for C starts from A.
    expect((await applyRange(repo)).output.base).toBe(a);
  });

  it("applies every stack when nothing was applied yet", async () => {
    const { repo } = repository("first");
    expect((await applyRange(repo)).output).toEqual({ action: "apply", base: "" });
  });

  it("does nothing in a re-run of an older run (it would apply an older configuration)", async () => {
    const { repo, commits: [a, b] } = repository("rerun");
    git(repo, "tag", "applied", a!);
    git(repo, "checkout", "-q", b!);
    const r = await applyRange(repo);
    expect(r.status).toBe(0);
    expect(r.output.action).toBe("skip");
    expect(r.stdout).toMatch(/not the tip of main/);
  });

  it("refuses when the tag is not on main's history, and says how to fix it", async () => {
    const { repo } = repository("rewritten");
    git(repo, "checkout", "-q", "--orphan", "elsewhere");
    git(repo, "commit", "-qm", "unrelated", "--allow-empty");
    git(repo, "tag", "applied", "HEAD");
    git(repo, "checkout", "-q", "main");
    const r = await applyRange(repo);
    expect(r.status).toBe(1);
    expect(r.output.action).toBe("refuse");
    expect(r.stdout).toMatch(/not an ancestor.*Fix: move it/);
  });

  it("decides from the facts alone: applied at the tip means nothing to do", () => {
    expect(decideApply({ head: "c", mainTip: "c", applied: "c", appliedIsAncestor: true, commits: [] })).toMatchObject({ action: "skip" });
    expect(decideApply({ head: "c", mainTip: "c", applied: "a", appliedIsAncestor: true, commits: ["b", "c"] })).toEqual({ action: "apply", base: "a", commits: ["b", "c"] });
  });
});

describe("applying in waves", () => {
  /** A stand-in terraform: records `<stack> <command>` and fails the apply of stacks named in FAKE_TERRAFORM_FAIL. */
  function fakeTerraform(dir: string): { bin: string; calls: () => string[] } {
    const bin = path.join(dir, "terraform");
    const calls = path.join(dir, "calls.txt");
    writeFileSync(bin, `#!/bin/sh\nstack=$(basename "\${1#-chdir=}")\necho "$stack $2" >> "${calls}"\nif [ "$2" = apply ] && echo " $FAKE_TERRAFORM_FAIL " | grep -q " $stack "; then echo "Error: boom" ; exit 1; fi\necho ok\n`);
    chmodSync(bin, 0o755);
    writeFileSync(calls, "");
    return { bin, calls: () => readFileSync(calls, "utf8").split("\n").filter(Boolean) };
  }
  const argsFor = (dir: string, bin: string, waves: string) => {
    writeFileSync(path.join(dir, "waves.txt"), waves);
    return ["--waves", path.join(dir, "waves.txt"), "--logs", path.join(dir, "logs"), "--terraform", bin, "--parallel", "1"];
  };
  // `npm run apply-waves` in a child process, as the apply workflow runs it (one test does), the
  // stand-in terraform failing the stacks named in `fail`.
  const run = (dir: string, bin: string, waves: string, fail = "") =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/apply-waves.ts"), ...argsFor(dir, bin, waves)], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FAKE_TERRAFORM_FAIL: fail } });

  it("applies wave by wave, every stack after init", async () => {
    const dir = mkdtempSync(path.join(scratch, "waves-"));
    const tf = fakeTerraform(dir);
    // The command's run() in this process (the stand-in fails nothing: FAKE_TERRAFORM_FAIL is not set here).
    const r = await runCommand(() => applyWavesCommand(argsFor(dir, tf.bin, "workspaces\norganization github\nservice-a-r1\n")));
    expect(r.status).toBe(0);
    expect(tf.calls()).toEqual(["workspaces init", "workspaces apply", "organization init", "organization apply", "github init", "github apply", "service-a-r1 init", "service-a-r1 apply"]);
  });

  it("finishes the failing wave, starts no later wave and fails the run", () => {
    const dir = mkdtempSync(path.join(scratch, "waves-"));
    const tf = fakeTerraform(dir);
    const r = run(dir, tf.bin, "workspaces\norganization github\nservice-a-r1\n", "organization");
    expect(r.status).toBe(1);
    expect(tf.calls()).toEqual(["workspaces init", "workspaces apply", "organization init", "organization apply", "github init", "github apply"]);
    expect(r.stdout).toMatch(/apply failed in organization; not started: service-a-r1/);
    expect(readFileSync(path.join(dir, "logs", "organization.log"), "utf8")).toContain("Error: boom");
  });
});
