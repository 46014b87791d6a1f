import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { estimatedSize, planStacks } from "../lib/plan/stack-plan";
import { helperExecArgv, synthesize, synthesizeInParallel, workOrder } from "../synth.js";
import { exampleModel } from "./helpers.js";
import { MAIN_CLI } from "./main-cli.js";
import { scratchDir } from "./scratch.js";

const work = scratchDir("parallel-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = readFileSync(path.join(e.parentPath, e.name), "utf8");
  }
  return out;
}

describe("synthesis split between two processes", () => {
  it("queues every stack once, largest estimated size first", () => {
    const model = exampleModel();
    const specs = planStacks(model);
    const order = workOrder(model, specs);
    expect([...order].sort()).toEqual(specs.map((s) => s.name).sort());
    const sizes = order.map((name) => estimatedSize(model, specs.find((s) => s.name === name)!));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(new Set(sizes).size).toBeGreaterThan(1);
  });

  it("writes byte-identical output to a single-process synth, manifest included", async () => {
    const model = exampleModel();
    synthesize(model, path.join(work, "single"));
    // The helper runs the synth command's one-file build (built by test/global-setup.ts), as
    // under `npm run synth`.
    await synthesizeInParallel(model, path.join(work, "parallel"), true, MAIN_CLI);
    expect(files(path.join(work, "parallel"))).toEqual(files(path.join(work, "single")));
    expect(readdirSync(work).filter((f) => f.includes(".partial-") || f.includes(".helper-"))).toEqual([]);
  });

  it("writes, one stack at a time in one process, what cdktf's synthesis of the whole app writes", async () => {
    const model = exampleModel();
    synthesize(model, path.join(work, "whole"));
    await synthesizeInParallel(model, path.join(work, "streamed"));
    expect(files(path.join(work, "streamed"))).toEqual(files(path.join(work, "whole")));
  });

  it("starts the helper of the one-file build without the TypeScript loader, keeping other node options", () => {
    expect(helperExecArgv("/repo/.gen/main.cjs", ["--import", "tsx"])).toEqual([]);
    expect(helperExecArgv("/repo/.gen/main.cjs", ["--cpu-prof", "--import=tsx", "--max-old-space-size=2048"])).toEqual(["--cpu-prof", "--max-old-space-size=2048"]);
  });

  it("starts the helper of the TypeScript source with a TypeScript loader", () => {
    expect(helperExecArgv("/repo/main.ts", [])).toEqual(["--import", "tsx"]);
    expect(helperExecArgv("/repo/main.ts", ["--import", "tsx"])).toEqual(["--import", "tsx"]);
  });
});
