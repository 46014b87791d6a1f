import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fnv1a } from "../../lib/plan/stack-plan";

const ROOT = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "diff-cli-"));
const repo = path.join(work, "repo");
afterAll(() => rmSync(work, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: repo, encoding: "utf8" });

/**
 * A repository whose one commit is this project as it is now, with the fixture organization as
 * its config/ (so the assertions hold whatever the organization's own config holds); the test
 * adds a service on top.
 */
function makeRepo(): void {
  mkdirSync(repo);
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter((f) => f && f !== "node_modules" && !f.startsWith("config/"));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(repo, f));
  }
  cpSync(path.join(ROOT, "test/fixtures/org"), path.join(repo, "config"), { recursive: true });
  rmSync(path.join(repo, "config/README.md"));
  for (const rel of readdirSync(path.join(repo, "config"), { recursive: true }).map(String).filter((f) => f.endsWith(".ts"))) {
    const file = path.join(repo, "config", rel);
    writeFileSync(file, readFileSync(file, "utf8").replace(/from "(\.\.\/)+lib\//g, `from "${rel.includes("/") ? "../../" : "../"}lib/`));
  }
  symlinkSync(realpathSync(path.join(ROOT, "node_modules")), path.join(repo, "node_modules"), "dir");
  git("init", "--quiet", "--initial-branch=main");
  git("add", "-A");
  git("commit", "--quiet", "-m", "base");
}

/** Adds a one-region service the way a developer does: a new file and an index entry. */
function addService(): void {
  writeFileSync(path.join(repo, "config/services/billing.ts"), `import { defineService } from "../../lib/define.js";

export default defineService({
  description: "Billing",
  owners: ["erin"],
  account: { email: "aws+billing@example.com", ou: "workloads-prod" },
  regions: ["ap-northeast-1"],
  network: { cidrs: { "ap-northeast-1": "10.16.32.0/20" } },
  kubernetes: { tenancy: "shared" },
  registry: { kind: "ecr", repositories: ["api"] },
  githubRepositories: ["billing"],
  slack: { handle: "billing-team" },
});
`);
  const index = path.join(repo, "config/services.ts");
  writeFileSync(index, readFileSync(index, "utf8")
    .replace(`import ledger from`, `import billing from "./services/billing.js";\nimport ledger from`)
    .replace(`export default {\n`, `export default {\n  billing,\n`));
}

describe("npm run diff on a change that adds one service", () => {
  let result: ReturnType<typeof spawnSync>;
  let markdown: string;
  let changed: string[];
  beforeAll(() => {
    makeRepo();
    addService();
    result = spawnSync(process.execPath, ["--import", "tsx", "scripts/diff.ts", "--base", "main", "--out-md", "summary.md"], { cwd: repo, encoding: "utf8" });
    markdown = readFileSync(path.join(repo, "summary.md"), "utf8");
    changed = readFileSync(path.join(repo, "changed-stacks.txt"), "utf8").split("\n").filter(Boolean);
  });

  it("succeeds and prints the summary it writes", () => {
    expect(result.status, String(result.stderr)).toBe(0);
    expect(result.stdout).toBe(markdown);
    expect(result.stderr).toMatch(/Synthesized base in [\d.]+ s \(\d+ rebuilt, \d+ reused\) and working tree in [\d.]+ s \(\d+ rebuilt, 0 reused\); diff took [\d.]+ s in total/);
  });

  it("synthesizes the base incrementally from the working tree's output, reusing the stacks the change does not read", () => {
    const [, rebuilt, reused] = /Synthesized base in [\d.]+ s \((\d+) rebuilt, (\d+) reused\)/.exec(String(result.stderr)) ?? [];
    // Adding a service changes what every stack that lists all services reads (the workspace
    // factory, organization, vending and namespace shards), not the other stacks.
    expect(Number(reused)).toBeGreaterThan(10);
    expect(Number(rebuilt)).toBeGreaterThanOrEqual(changed.length - 1);
  });

  it("writes the new service stack and its vending shard as stacks to plan", () => {
    const shard = `accounts-${fnv1a("billing") % 4}`;
    expect(changed).toEqual(expect.arrayContaining(["service-billing-ap-northeast-1", shard]));
    expect(changed.length).toBeLessThanOrEqual(4);
  });

  it("names every workspace touched in the table, on one screen before the folded details", () => {
    const head = markdown.slice(0, markdown.indexOf("<details>"));
    expect(head.split("\n").length).toBeLessThanOrEqual(40);
    for (const stack of changed) expect(head).toContain(`| \`${stack}\` |`);
    expect(head).toMatch(/\| `service-billing-ap-northeast-1` \| \*\*new\*\* \|/);
    expect(head).not.toMatch(/CAUTION/);
  });

  it("shows the new account by Terraform address in the shard's details", () => {
    expect(markdown).toMatch(/- `\+` `aws_organizations_account\.account-billing_[0-9A-F]+`/);
  });

  it("removes its temporary worktree", () => {
    expect(git("worktree", "list").trim().split("\n")).toHaveLength(1);
  });
});
