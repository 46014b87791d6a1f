import { describe, expect, it } from "vitest";
import { validate } from "../lib/config/validate";
import { planStacks } from "../lib/plan/stack-plan";
import { compareSynths, stacksToPlan } from "../lib/review/change-summary";
import { planSchedule } from "../lib/review/plan-schedule";
import { readStackResult, renderPlanComment } from "../lib/review/plan-summary";
import { exampleModel, exampleRaw, exampleStacks, synthStacks, withService } from "./helpers.js";

/*
 * A pull request's plans in waves: given the stacks a pull request changes and the workspaces
 * that exist, what is planned, what waits for an upstream, and how the comment reports it.
 */
const base = exampleModel();
const baseStacks = exampleStacks();
const raw = withService(exampleRaw(), "billing", {
  ...structuredClone(exampleRaw().index.recommendations),
  // A team-owned workspace's directory is the service's own; the copy has none.
  infrastructure: undefined,
  owners: ["erin", "carol"],
  account: { email: "aws+billing@example.com", ou: "workloads-nonprod" },
  network: { cidrs: { "ap-northeast-1": "10.32.16.0/20" } },
  kubernetes: { tenancy: "shared" },
  slack: { handle: "billing-team" },
});
const head = validate(raw);
const headSpecs = planStacks(head);
const changed = stacksToPlan(compareSynths(baseStacks, synthStacks(head), { isStateful: () => false }));
// Workspaces that exist before the merge: one per stack of the base.
const exists = (stack: string) => stack in baseStacks;
const steps = planSchedule(headSpecs, changed, exists);
const step = (name: string) => steps.find((s) => s.stack === name)!;
const newService = "service-billing-ap-northeast-1";

/** The files the plan script would leave: every planned stack planned cleanly with one change. */
function filesAfterPlans(failing: ReadonlySet<string> = new Set()): (file: string) => string | undefined {
  const files = new Map<string, string>();
  for (const s of steps) {
    if (s.action === "new") files.set(`${s.stack}.skipped`, "new workspace: created by its factory on merge, planned after\n");
    if (s.action === "pending") files.set(`${s.stack}.pending`, s.after.join("\n"));
    if (s.action !== "plan") continue;
    if (s.after.length > 0) files.set(`${s.stack}.after`, s.after.join("\n"));
    const fails = failing.has(s.stack);
    files.set(`${s.stack}.log`, fails ? "Error: Error retrieving state: no outputs\n" : "Plan: 1 to add, 0 to change, 0 to destroy.\n");
    files.set(`${s.stack}.exit`, fails ? "1\n" : "2\n");
  }
  return (file) => files.get(file);
}

describe("plans of a pull request that adds a service", () => {
  it("changes the new service's stack, its vending shard and its namespace shard", () => {
    const shard = headSpecs.find((s) => s.name === newService)!.workspaceFactory;
    expect(changed).toContain(newService);
    expect(changed).toContain(shard);
    expect(changed.some((n) => n.startsWith("namespaces-ap-northeast-1-"))).toBe(true);
  });

  it("skips the new service's plan (its workspace is created on merge) and plans its vending shard", () => {
    expect(step(newService)).toMatchObject({ action: "new" });
    expect(step(headSpecs.find((s) => s.name === newService)!.workspaceFactory)).toMatchObject({ action: "plan" });
  });

  it("reports the namespace shard that reads the new service's outputs as waiting for it, not planned", () => {
    const shard = steps.find((s) => s.stack.startsWith("namespaces-ap-northeast-1-"))!;
    expect(shard).toMatchObject({ action: "pending", after: [newService] });
  });

  it("shows the downstream stacks as pending in the comment, and no failure", () => {
    const results = steps.map((s) => readStackResult(s.stack, filesAfterPlans()));
    const comment = renderPlanComment(results, { commit: "0123456789abcdef" });
    const shard = steps.find((s) => s.stack.startsWith("namespaces-ap-northeast-1-"))!.stack;
    expect(results.find((r) => r.stack === shard)).toMatchObject({ status: "pending" });
    expect(comment).toContain(`| \`${shard}\` | ⏳ plans after \`${newService}\` applies |`);
    expect(results.filter((r) => r.status === "failed")).toEqual([]);
    expect(comment).not.toMatch(/failed/);
  });

  it("lists the steps in wave order: every upstream before what relies on it", () => {
    const order = steps.map((s) => s.stack);
    for (const s of steps) for (const u of s.after) expect(order.indexOf(u), `${u} before ${s.stack}`).toBeLessThan(order.indexOf(s.stack));
  });
});

describe("plans whose upstream changes in the same pull request", () => {
  const specs = planStacks(base);
  const upstream = "cluster-ap-northeast-1";
  const downstream = specs.find((s) => s.kind === "service" && s.region === "ap-northeast-1")!.name;
  const changes = [upstream, downstream];
  const planned = planSchedule(specs, changes, () => true);

  it("plans both, noting the changed upstream", () => {
    expect(planned).toEqual([{ stack: upstream, action: "plan", after: [] }, { stack: downstream, action: "plan", after: [upstream] }]);
  });

  it("reports a failed downstream plan as waiting for the upstream, and an independent failure as failed", () => {
    const files = new Map([
      [`${downstream}.after`, `${upstream}\n`], [`${downstream}.log`, "Error: reading EKS cluster: not found\n"], [`${downstream}.exit`, "1\n"],
      [`${upstream}.log`, "Error: invalid provider configuration\n"], [`${upstream}.exit`, "1\n"],
    ]);
    const read = (f: string) => files.get(f);
    expect(readStackResult(downstream, read)).toMatchObject({ status: "pending", note: expect.stringMatching(new RegExp(`^plans after \`${upstream}\` applies .*reading EKS cluster`)) });
    expect(readStackResult(upstream, read)).toMatchObject({ status: "failed", note: "invalid provider configuration" });
  });

  it("keeps a downstream's clean plan as it is", () => {
    const files = new Map([[`${downstream}.after`, `${upstream}\n`], [`${downstream}.log`, "Plan: 0 to add, 2 to change, 0 to destroy.\n"], [`${downstream}.exit`, "2\n"]]);
    expect(readStackResult(downstream, (f) => files.get(f))).toMatchObject({ status: "changes", change: 2 });
  });
});
