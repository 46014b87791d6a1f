import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * The README's onboarding, done to a copy of this repository as a newcomer does it: add yourself
 * with `npm run add-developer`, add a service you own with `npm run new-service`, then run the
 * checks CI runs on the organization's config. The organization's config/ is copied as it is,
 * so this holds for whatever it holds: no test of the code may depend on it.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "onboarding-"));
const repo = path.join(work, "repo");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command in the copy; returns its exit code and output. */
function inRepo(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: repo, encoding: "utf8", env: { ...process.env, CI: "1", NO_COLOR: "1" } });
}

/** A name of `stem` plus the first suffix that `taken` does not contain. */
function freeName(stem: string, taken: (name: string) => boolean): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? stem : `${stem}${i}`;
    if (!taken(name)) return name;
  }
}

const results: Record<string, ReturnType<typeof inRepo>> = {};
let developer = "";
let service = "";

beforeAll(() => {
  mkdirSync(repo);
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter((f) => f && f !== "node_modules");
  for (const f of files) {
    mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(repo, f));
  }
  symlinkSync(realpathSync(path.join(ROOT, "node_modules")), path.join(repo, "node_modules"), "dir");

  // Names the organization does not use yet, whatever it holds.
  const developersText = readFileSync(path.join(repo, "config/developers.ts"), "utf8").toLowerCase();
  developer = freeName("newcomer", (n) => developersText.includes(n));
  const services = new Set(readdirSync(path.join(repo, "config/services")).map((f) => f.replace(/\.ts$/, "")));
  service = freeName("onboarding", (n) => services.has(n) || developersText.includes(n));
  const slack = `U0${developer.toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(8, "0").slice(0, 8)}`;

  results.addDeveloper = inRepo("npm", ["run", "--silent", "add-developer", "--", "--github", developer, "--name", "New Comer", "--email", `${developer}@example.com`, "--slack", slack]);
  results.newService = inRepo("npm", ["run", "--silent", "new-service", "--", "--name", service, "--owner", developer]);
  // The README's test command is typecheck, lint and the unit tests. The code did not change, so
  // typecheck and lint the config files, and run the checks of the organization's config.
  writeFileSync(path.join(repo, "tsconfig.config.json"), JSON.stringify({ extends: "./tsconfig.json", include: ["config/**/*.ts"] }));
  results.typecheck = inRepo(process.execPath, [path.join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.config.json"]);
  results.lint = inRepo(process.execPath, [path.join(repo, "node_modules/eslint/bin/eslint.js"), "config/"]);
  results.checks = inRepo(process.execPath, [path.join(repo, "node_modules/vitest/vitest.mjs"), "run", "test/organization-config.test.ts"]);
});

describe("the README's onboarding steps on a copy of this repository", () => {
  it("adds the developer with npm run add-developer", () => {
    expect(results.addDeveloper!.status, results.addDeveloper!.stderr).toBe(0);
    expect(readFileSync(path.join(repo, "config/developers.ts"), "utf8")).toContain(`github: "${developer}"`);
  });

  it("adds a service they own with npm run new-service, listed in the index and CODEOWNERS", () => {
    expect(results.newService!.status, results.newService!.stderr).toBe(0);
    expect(readFileSync(path.join(repo, `config/services/${service}.ts`), "utf8")).toContain(`owners: ["${developer}"]`);
    expect(readFileSync(path.join(repo, "config/services.ts"), "utf8")).toContain(`./services/${service}.js`);
    expect(readFileSync(path.join(repo, "CODEOWNERS"), "utf8")).toContain(`/config/services/${service}.ts `);
  });

  it("type-checks and lints the edited config", () => {
    expect(results.typecheck!.status, results.typecheck!.stdout + results.typecheck!.stderr).toBe(0);
    expect(results.lint!.status, results.lint!.stdout + results.lint!.stderr).toBe(0);
  });

  it("passes the checks of the organization's config", () => {
    const r = results.checks!;
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tests\s+\d+ passed/);
    expect(r.stdout).not.toMatch(/skipped|failed/);
  });
});
