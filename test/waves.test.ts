import { describe, expect, it } from "vitest";
import { planStacks } from "../lib/plan/stack-plan";
import { applyWaves, dependenciesOf } from "../lib/plan/waves";
import { exampleModel } from "./helpers";

describe("first-apply waves", () => {
  const specs = planStacks(exampleModel());
  const waves = applyWaves(specs);
  const waveOf = new Map(waves.flatMap((w, i) => w.map((s) => [s.name, i] as const)));

  it("places every stack exactly once", () => {
    expect([...waveOf.keys()].sort()).toEqual(specs.map((s) => s.name).sort());
  });

  it("applies every stack after everything it relies on", () => {
    for (const spec of specs) {
      for (const dep of dependenciesOf(spec, specs)) expect(waveOf.get(dep), `${spec.name} relies on ${dep}`).toBeLessThan(waveOf.get(spec.name)!);
    }
  });

  it("starts with the workspace factory and ends with the namespace shards", () => {
    expect(waves[0]!.map((s) => s.name)).toEqual(["workspaces"]);
    expect(waves.at(-1)!.every((s) => s.kind === "namespaces")).toBe(true);
  });

  it("applies a service after its vending shard, its region's cluster, the bastion and the people stacks", () => {
    const service = specs.find((s) => s.kind === "service")!;
    for (const dep of [service.workspaceFactory, `cluster-${service.region}`, "bastion", "github"]) expect(waveOf.get(dep)!).toBeLessThan(waveOf.get(service.name)!);
  });

  it("applies a second region's stack after its account's primary stack, whose once-per-account objects it uses", () => {
    for (const spec of specs.filter((s) => s.primary === false)) {
      const primary = specs.find((s) => s.primary && s.kind === spec.kind && s.account === spec.account && s.service === spec.service)!;
      expect(waveOf.get(primary.name)!, `${spec.name} after ${primary.name}`).toBeLessThan(waveOf.get(spec.name)!);
    }
  });

  it("applies the stacks that record every region after every log archive stack", () => {
    for (const name of ["management", "bastion"]) {
      for (const archive of specs.filter((s) => s.kind === "log-archive")) expect(waveOf.get(archive.name)!).toBeLessThan(waveOf.get(name)!);
    }
  });
});
