import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatFirstApply, prerequisitesOf } from "../lib/plan/first-apply";
import { planStacks, type StackSpec } from "../lib/plan/stack-plan";
import { dependenciesOf } from "../lib/plan/waves";
import { exampleModel } from "./helpers.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const model = exampleModel();
const specs = planStacks(model);

/**
 * Reads the printed first apply back and names every stack printed before something it
 * relies on, printed twice or not at all, and any stack printed before the prerequisites.
 */
function orderProblems(text: string, all: readonly StackSpec[]): string[] {
  const lines = text.split("\n");
  const firstWave = lines.findIndex((l) => /^Wave \d+:$/.test(l));
  const prerequisites = lines.findIndex((l) => l.startsWith("Before the first apply"));
  const problems: string[] = [];
  if (prerequisites < 0 || firstWave < prerequisites) problems.push("the prerequisites do not come first");
  const waveOf = new Map<string, number>();
  let wave = 0;
  for (const line of lines.slice(Math.max(firstWave, 0))) {
    const header = line.match(/^Wave (\d+):$/);
    if (header) wave = Number(header[1]);
    else if (/^ {2}[a-z0-9-]+$/.test(line)) {
      const name = line.trim();
      if (waveOf.has(name)) problems.push(`${name} is printed twice`);
      waveOf.set(name, wave);
    }
  }
  for (const spec of all.filter((s) => !s.tombstoned)) {
    const w = waveOf.get(spec.name);
    if (w === undefined) problems.push(`${spec.name} is missing`);
    else for (const dep of dependenciesOf(spec, all)) if (!((waveOf.get(dep) ?? Infinity) < w)) problems.push(`${spec.name} (wave ${w}) comes before ${dep}, which it relies on`);
  }
  return problems;
}

describe("npm run stacks -- --first-apply", () => {
  const text = formatFirstApply(model, specs);

  it("prints the prerequisites first, then every stack once, each in a wave after everything it relies on", () => {
    expect(prerequisitesOf(model.platform).map((p) => p.id)).toEqual(expect.arrayContaining(["aws-organization", "hcp-terraform-teams", "management-oidc-trust", "saml-provider"]));
    for (const p of prerequisitesOf(model.platform)) expect(text).toContain(`  - ${p.id}: `);
    expect(orderProblems(text, specs)).toEqual([]);
  });

  it("names a stack printed before what it relies on, and prerequisites printed after the waves", () => {
    const lines = text.split("\n");
    const ws = lines.indexOf("  workspaces");
    const org = lines.indexOf("  organization");
    [lines[ws], lines[org]] = [lines[org]!, lines[ws]!];
    expect(orderProblems(lines.join("\n"), specs)).toContain("organization (wave 1) comes before workspaces, which it relies on");
    const prereqLast = [...text.split("\n").filter((l) => !l.startsWith("Before") && !l.startsWith("  - ")), "Before the first apply (prerequisites, in order):"].join("\n");
    expect(orderProblems(prereqLast, specs)).toContain("the prerequisites do not come first");
  });

  it("applies each cluster's Kubernetes RBAC after its cluster stack and before its namespace shards", () => {
    const lines = text.split("\n");
    for (const cluster of specs.filter((s) => s.kind === "cluster")) {
      const step = lines.findIndex((l) => l.includes(`kubernetes-rbac-${model.platform.kubernetes.clusterName}-${cluster.region}.json`));
      expect(step, cluster.name).toBeGreaterThan(lines.indexOf(`  ${cluster.name}`));
      for (const shard of specs.filter((s) => s.kind === "namespaces" && s.region === cluster.region)) expect(step).toBeLessThan(lines.indexOf(`  ${shard.name}`));
    }
  });

  it("applies the GKE cluster's Identity Service config and RBAC after the gke stack and before its shards", () => {
    const lines = text.split("\n");
    const step = lines.findIndex((l) => l.includes(`kubernetes-gke-${model.platform.gke!.clusterName}.json`));
    expect(step).toBeGreaterThan(lines.indexOf("  gke"));
    const shards = specs.filter((s) => s.kind === "gke-namespaces");
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) expect(step).toBeLessThan(lines.indexOf(`  ${shard.name}`));
  });

  it("is what the command prints", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "stacks.ts"), "--first-apply", "--config", path.join(ROOT, "test/fixtures/org")], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(formatFirstApply(exampleModel(), planStacks(exampleModel())));
  });
});
