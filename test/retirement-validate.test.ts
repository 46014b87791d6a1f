import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run as validateCommand } from "../main.js";
import { runCommand } from "./command.js";
import { run as stacksCommand } from "../scripts/stacks.js";
import { ConfigError, type Problem } from "../lib/config/problems";
import { compareWithBase } from "../lib/config/retirement";
import { validate } from "../lib/config/validate";
import { exampleRaw, withService } from "./helpers.js";
import { rename, retire, tombstone } from "./state-helpers.js";

function problemsOf(raw: ReturnType<typeof exampleRaw>): Problem[] {
  try {
    validate(raw);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe("validation of config/retired.ts", () => {
  it("accepts a retired service's entry moved there, and models it as a tombstone", () => {
    const model = validate(tombstone(retire(exampleRaw(), "payments"), "payments"));
    expect(model.services.map((s) => s.key)).toEqual(["ledger", "recommendations"]);
    expect(model.tombstones?.map((t) => [t.key, t.retired, t.removedOn])).toEqual([["payments", true, "2025-06-30"]]);
  });

  it("refuses a key that is both active and tombstoned, naming both files", () => {
    const raw = exampleRaw();
    raw.retired = { payments: { ...raw.index.payments, retired: true, removedOn: "2025-06-30", reason: "Replaced by the new payments platform" } };
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ file: "config/retired.ts", entry: "payments", field: "", value: "payments", message: expect.stringContaining("both an active service (config/services/payments.ts)"), fix: expect.stringContaining("keep one") })]);
  });

  it("refuses a tombstone of a service that was not retired, and a missing date and reason, by field", () => {
    const raw = tombstone(exampleRaw(), "ledger", { retired: false, removedOn: "June 30", reason: undefined });
    const problems = problemsOf(raw);
    expect(problems.map((x) => [x.file, x.entry, x.field])).toEqual([["config/retired.ts", "ledger", "retired"], ["config/retired.ts", "ledger", "removedOn"], ["config/retired.ts", "ledger", "reason"]]);
    expect(problems[0]!.fix).toMatch(/set retired: true .* apply it/);
    expect(problems[1]!.fix).toMatch(/YYYY-MM-DD/);
  });

  it("does not require a removed service's owners to still be developers", () => {
    const raw = tombstone(retire(exampleRaw(), "ledger"), "ledger", { owners: ["someone-who-left"] });
    expect(problemsOf(raw)).toEqual([]);
  });

  it("refuses a new service that reuses a removed service's account email (the account is still in the organization)", () => {
    const raw = tombstone(retire(exampleRaw(), "ledger"), "ledger");
    withService(raw, "books", { ...structuredClone(exampleRaw().index.ledger), slack: { handle: "books-team" }, network: { cidrs: { "ap-northeast-1": "10.16.32.0/20" } } });
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ file: "config/services/books.ts", entry: "books", field: "account.email", message: expect.stringContaining(`removed service "ledger"`) })]);
  });
});

describe("validation of previousName", () => {
  it("accepts a rename and keeps the namespace, shards and CIDR of the previous key", () => {
    const before = validate(exampleRaw()).services.find((s) => s.key === "payments")!;
    const model = validate(rename(exampleRaw(), "payments", "checkout"));
    const after = model.services.find((s) => s.key === "checkout")!;
    expect(after.previousName).toBe("payments");
    expect(after.namespace).toBe(before.namespace);
    expect(after.vpcCidrs).toEqual(before.vpcCidrs);
  });

  it("refuses a previous name that is another active service's key", () => {
    const raw = exampleRaw();
    raw.index.ledger.previousName = "payments";
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ file: "config/services/ledger.ts", entry: "ledger", field: "previousName", value: "payments", message: expect.stringContaining("another active service") })]);
  });

  it("refuses two services continuing the same previous key", () => {
    const raw = rename(exampleRaw(), "ledger", "general-ledger");
    raw.index.recommendations.previousName = "ledger";
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ entry: "recommendations", field: "previousName", message: expect.stringContaining("also the previous name of config/services/general-ledger.ts") })]);
  });

  it("refuses a rename of a removed service", () => {
    const raw = tombstone(retire(exampleRaw(), "ledger"), "ledger");
    raw.index.recommendations.previousName = "ledger";
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ entry: "recommendations", field: "previousName", message: expect.stringContaining("removed service") })]);
  });
});

describe("comparing with the base branch (npm run validate -- --base)", () => {
  const base = exampleRaw();

  it("reports an active service's file deleted outright, with the path to take instead", () => {
    const head = exampleRaw();
    delete head.index.ledger;
    delete head.serviceFiles.ledger;
    expect(compareWithBase(base, head)).toEqual([{
      file: "config/services/ledger.ts", entry: "ledger", field: "", value: "ledger",
      message: expect.stringContaining("deleted outright: Terraform would remove the account from the organization"),
      fix: expect.stringMatching(/restore config\/services\/ledger\.ts and set retired: true; once that is applied, move the entry to config\/retired\.ts/),
    }]);
  });

  it("tells a retired service's deletion to move the entry to config/retired.ts", () => {
    const retiredBase = retire(exampleRaw(), "ledger");
    const head = retire(exampleRaw(), "ledger");
    delete head.index.ledger;
    delete head.serviceFiles.ledger;
    expect(compareWithBase(retiredBase, head)).toEqual([expect.objectContaining({ entry: "ledger", fix: expect.stringContaining("move its entry (with removedOn and reason) to config/retired.ts") })]);
  });

  it("accepts a tombstone of a service retired at the base, and refuses one of a service that was active there", () => {
    expect(compareWithBase(retire(exampleRaw(), "ledger"), tombstone(retire(exampleRaw(), "ledger"), "ledger"))).toEqual([]);
    expect(compareWithBase(base, tombstone(retire(exampleRaw(), "ledger"), "ledger"))).toEqual([expect.objectContaining({ file: "config/retired.ts", entry: "ledger", message: expect.stringContaining("not retired at the base") })]);
  });

  it("detects a likely rename without previousName by the account email, and accepts it with previousName", () => {
    expect(compareWithBase(base, rename(exampleRaw(), "ledger", "general-ledger", false))).toEqual([expect.objectContaining({
      file: "config/services/general-ledger.ts", entry: "general-ledger", field: "previousName", message: expect.stringContaining(`looks like a rename of "ledger"`), fix: `add previousName: "ledger" to config/services/general-ledger.ts`,
    })]);
    expect(compareWithBase(base, rename(exampleRaw(), "ledger", "general-ledger"))).toEqual([]);
  });

  it("refuses a rename onto a key that exists at the base", () => {
    const head = exampleRaw();
    delete head.index.payments;
    delete head.serviceFiles.payments;
    rename(head, "ledger", "payments");
    expect(compareWithBase(base, head)).toEqual([expect.objectContaining({ file: "config/services/payments.ts", entry: "payments", field: "previousName", value: "ledger", message: expect.stringContaining("a key that exists at the base as another service") })]);
  });

  it("refuses dropping previousName, renaming twice and deleting a tombstone", () => {
    const renamed = rename(exampleRaw(), "ledger", "general-ledger");
    const dropped = rename(exampleRaw(), "ledger", "general-ledger");
    delete dropped.index["general-ledger"].previousName;
    expect(compareWithBase(renamed, dropped)).toEqual([expect.objectContaining({ entry: "general-ledger", field: "previousName", message: expect.stringContaining(`was "ledger" and must stay`) })]);
    const twice = rename(rename(exampleRaw(), "ledger", "general-ledger"), "general-ledger", "books");
    expect(compareWithBase(renamed, twice)).toEqual([expect.objectContaining({ entry: "books", field: "previousName", message: expect.stringContaining("renamed once") })]);
    const gone = tombstone(retire(exampleRaw(), "ledger"), "ledger");
    const head = exampleRaw();
    delete head.index.ledger;
    delete head.serviceFiles.ledger;
    expect(compareWithBase(gone, head)).toEqual([expect.objectContaining({ file: "config/retired.ts", entry: "ledger", message: expect.stringContaining("deletes a tombstone") })]);
  });
});

describe("npm run validate -- --base <ref>", () => {
  const ROOT = path.resolve(import.meta.dirname, "..");
  const work = mkdtempSync(path.join(tmpdir(), "validate-base-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: work, encoding: "utf8" });

  it("reports a service file deleted since the base in validation's format, exit 1, and leaves no worktree", async () => {
    // A repository holding a copy of the fixture organization (library imports made absolute).
    const config = path.join(work, "config");
    cpSync(path.join(ROOT, "test/fixtures/org"), config, { recursive: true });
    for (const file of [...readdirSync(config).map((f) => path.join(config, f)), ...readdirSync(path.join(config, "services")).map((f) => path.join(config, "services", f))]) {
      if (file.endsWith(".ts")) writeFileSync(file, readFileSync(file, "utf8").replace(/from "(\.\.\/)+lib\//g, `from "${ROOT}/lib/`));
    }
    git("init", "--quiet", "--initial-branch=main");
    git("add", "-A");
    git("commit", "--quiet", "-m", "base");
    unlinkSync(path.join(config, "services/ledger.ts"));
    const index = path.join(config, "services.ts");
    writeFileSync(index, readFileSync(index, "utf8").replace(/import ledger from .*\n/, "").replace("  ledger,\n", ""));

    // The command's run() in this process: the command's own process runs with --base in
    // load-errors.test.ts (all its runs share one process of the build).
    const run = await runCommand(() => validateCommand(["--validate-only", "--config", config, "--base", "main"]));
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/Config has 1 problem; nothing was synthesized\./);
    expect(run.stderr).toMatch(/config\/services\/ledger\.ts > ledger\n {2}value: {3}"ledger"\n {2}problem: was deleted outright/);
    expect(run.stderr).toMatch(/fix: {5}restore \S*config\/services\/ledger\.ts and set retired: true/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(git("worktree", "list").trim().split("\n")).toHaveLength(1);
  });
});

describe("npm run stacks with a tombstone", () => {
  const ROOT = path.resolve(import.meta.dirname, "..");
  const work = mkdtempSync(path.join(tmpdir(), "stacks-tombstone-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("leaves the removed service's stacks out of the full list the drift workflow plans", async () => {
    mkdirSync(path.join(work, "services"));
    for (const file of ["platform", "developers"]) writeFileSync(path.join(work, `${file}.ts`), `export { default } from "${ROOT}/test/fixtures/org/${file}.ts";\n`);
    for (const key of ["payments", "recommendations"]) writeFileSync(path.join(work, "services", `${key}.ts`), `export { default } from "${ROOT}/test/fixtures/org/services/${key}.ts";\n`);
    writeFileSync(path.join(work, "services.ts"), `import payments from "./services/payments.js";\nimport recommendations from "./services/recommendations.js";\nexport default { payments, recommendations };\n`);
    writeFileSync(path.join(work, "retired.ts"), `import { defineRetired } from "${ROOT}/lib/define.js";\nimport ledger from "${ROOT}/test/fixtures/org/services/ledger.ts";\nexport default defineRetired({ ledger: { ...ledger, retired: true, removedOn: "2025-06-30", reason: "Merged into payments; data kept" } });\n`);
    // The command's run() in this process; its own process is tested in first-apply.test.ts.
    const run = await runCommand(() => stacksCommand(["--config", work]));
    expect(run.status, run.stderr).toBe(0);
    const listed = run.stdout.trim().split("\n");
    expect(listed).toContain("service-payments-ap-northeast-1");
    expect(listed.filter((n) => n.includes("ledger"))).toEqual([]);
  });
});
