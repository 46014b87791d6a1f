import { describe, expect, it } from "vitest";
import { fuzzConfig } from "./fuzz-cases.js";

/*
 * Half of the 1,000 fuzzed organizations of every `npm test` (the other half is in
 * fuzz-2.test.ts, with another seed): whatever a developer types, the answer is a synth
 * or a clear error naming file, entry and field; never a crash, a stack trace or partial output.
 */
describe("fuzzed config, part 1 of 2", () => {
  it("answers 500 mutated organizations with a synth or a clear error", () => {
    const run = fuzzConfig(20261122, 500);
    // Not asserted as exact numbers (they change as rules are added); printed for the record.
    console.log(`fuzz part 1: ${run.synthesized} synthesized, ${run.rejected} rejected, ${run.kinds.size} distinct error kinds`);
    expect(run.synthesized + run.rejected).toBe(500);
    expect(run.rejected).toBeGreaterThan(125);
    expect(run.kinds.size).toBeGreaterThan(20);
    expect(run.partial).toEqual([]);
  });
});
