import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { APPLY_ENVIRONMENT, RUNNER_TEAMS } from "../lib/plan/workspace-plan";
import { REQUIRED_CHECKS } from "../lib/review/required-checks";

/*
 * Who can read which token, read from the parsed workflow files. A pull request runs its own
 * copy of the workflow files, so the promise is about every workflow a pull request (or any
 * branch) can start: none of them may name the apply token. The apply and drift tokens are
 * secrets of the protected environment, named only by jobs bound to it, in workflows that run
 * only on main.
 */
const DIR = path.resolve(import.meta.dirname, "../.github/workflows");
type Workflow = { on: Record<string, any>; env?: Record<string, string>; jobs: Record<string, any> };
const workflows: Record<string, Workflow> = Object.fromEntries(readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort().map((f) => {
  const doc = parse(readFileSync(path.join(DIR, f), "utf8"));
  // YAML 1.1 readers turn `on` into true; the yaml package keeps it a string, but be sure.
  return [f, { ...doc, on: normalizeOn(doc.on ?? doc[true as any]) }];
}));

function normalizeOn(on: unknown): Record<string, any> {
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [e, null]));
  return (on ?? {}) as Record<string, any>;
}

const ENVIRONMENT_SECRETS = RUNNER_TEAMS.filter((t) => t.secretScope === "environment").map((t) => t.secret);
const secretsIn = (value: unknown) => [...JSON.stringify(value ?? null).matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
const environmentOf = (job: any): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);
/** Triggers that run only what is on main: a push to main, a schedule (default branch), or a dispatch the environment's branch policy holds to main. */
const MAIN_ONLY_TRIGGERS = new Set(["push", "schedule", "workflow_dispatch"]);

/** Every place a workflow set names an environment-scoped (apply or drift) token where it must not. */
function tokenLeaks(files: Record<string, Workflow>): string[] {
  const leaks: string[] = [];
  for (const [file, wf] of Object.entries(files)) {
    for (const s of secretsIn(wf.env)) if (ENVIRONMENT_SECRETS.includes(s)) leaks.push(`${file}: ${s} in the workflow-level env (every job sees it)`);
    const triggers = Object.keys(wf.on);
    const mainOnly = triggers.every((t) => MAIN_ONLY_TRIGGERS.has(t)) && (wf.on.push == null || JSON.stringify(wf.on.push.branches) === JSON.stringify(["main"]));
    for (const [id, job] of Object.entries(wf.jobs)) {
      const named = secretsIn(job).filter((s) => ENVIRONMENT_SECRETS.includes(s));
      if (named.length === 0) continue;
      if (environmentOf(job) !== APPLY_ENVIRONMENT) leaks.push(`${file}#${id}: ${named.join(", ")} outside the ${APPLY_ENVIRONMENT} environment`);
      if (!mainOnly) leaks.push(`${file}#${id}: ${named.join(", ")} in a workflow triggered by ${triggers.join(", ")}`);
    }
  }
  return leaks;
}

describe("the tokens of the workflows", () => {
  it("never name the apply or drift token outside the protected environment or in a workflow a branch can trigger", () => {
    expect(ENVIRONMENT_SECRETS).toEqual(["TF_APPLY_TOKEN", "TF_DRIFT_TOKEN"]);
    expect(tokenLeaks(workflows)).toEqual([]);
  });

  it("apply only on push to main (or a dispatch held to main by the environment), in the protected environment", () => {
    const apply = workflows["apply.yml"]!;
    expect(Object.keys(apply.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(apply.on.push).toEqual({ branches: ["main"] });
    const holders = Object.entries(apply.jobs).filter(([, job]) => secretsIn(job).includes("TF_APPLY_TOKEN"));
    expect(holders.map(([id, job]) => [id, environmentOf(job)])).toEqual([["apply", APPLY_ENVIRONMENT]]);
  });

  it("give every pull-request workflow no environment and no token but the plan token", () => {
    const pr = Object.entries(workflows).filter(([, wf]) => "pull_request" in wf.on || "pull_request_target" in wf.on);
    expect(pr.map(([f]) => f).sort()).toEqual(["ci.yml", "plan.yml"]);
    for (const [file, wf] of pr) {
      expect("pull_request_target" in wf.on, `${file} must not run a pull request's code with the base's secrets`).toBe(false);
      for (const [id, job] of Object.entries(wf.jobs)) {
        expect(environmentOf(job), `${file}#${id}`).toBeUndefined();
        expect(secretsIn(job).filter((s) => s.startsWith("TF_")), `${file}#${id}`).toEqual(file === "plan.yml" ? ["TF_PLAN_TOKEN"] : []);
      }
    }
  });

  it("use exactly the runner teams' secrets, and the old shared token nowhere", () => {
    const used = new Set(Object.values(workflows).flatMap((wf) => secretsIn(wf)).filter((s) => s.startsWith("TF_")));
    expect([...used].sort()).toEqual(RUNNER_TEAMS.map((t) => t.secret).sort());
  });

  it("find a leak in a pull-request workflow that names the apply token, even inside the environment", () => {
    const bad: Workflow = { on: { pull_request: null }, jobs: { sneak: { "runs-on": "ubuntu-24.04", environment: "production", steps: [{ run: "x", env: { T: "${{ secrets.TF_APPLY_TOKEN }}" } }] } } };
    const outside: Workflow = { on: { push: { branches: ["main"] } }, jobs: { a: { steps: [{ env: { T: "${{ secrets.TF_DRIFT_TOKEN }}" } }] } } };
    const anyBranch: Workflow = { on: { push: { branches: ["**"] } }, jobs: { a: { environment: { name: "production" }, steps: [{ env: { T: "${{ secrets.TF_APPLY_TOKEN }}" } }] } } };
    expect(tokenLeaks({ "bad.yml": bad, "outside.yml": outside, "any.yml": anyBranch })).toEqual([
      "bad.yml#sneak: TF_APPLY_TOKEN in a workflow triggered by pull_request",
      "outside.yml#a: TF_DRIFT_TOKEN outside the production environment",
      "any.yml#a: TF_APPLY_TOKEN in a workflow triggered by push",
    ]);
  });
});

describe("the checks the ruleset requires", () => {
  it("are jobs of workflows that run on every pull request, so none can stay pending forever", () => {
    for (const check of REQUIRED_CHECKS) {
      const wf = workflows[check.workflow];
      expect(wf, check.workflow).toBeDefined();
      expect(Object.keys(wf!.on), check.workflow).toContain("pull_request");
      expect(wf!.on.pull_request?.paths ?? wf!.on.pull_request?.["paths-ignore"], `${check.workflow} filters paths`).toBeUndefined();
      const job = wf!.jobs[check.job];
      expect(job, `${check.workflow}#${check.job}`).toBeDefined();
      // A job's `name:` would replace its id as the check's name.
      expect(job.name, `${check.workflow}#${check.job}`).toBeUndefined();
    }
  });
});
