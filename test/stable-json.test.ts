import fc from "fast-check";
import original from "json-stable-stringify";
import { describe, expect, it } from "vitest";
import stableStringify from "../lib/stable-json";
import { exampleStacks } from "./helpers.js";

/** Values as a stack's JSON and the project's own records hold them, and the odd ones JSON has rules for. */
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(undefined, null, () => 1, Symbol("s"), [], {}, [[]], { a: {} }, new Date(0), { toJSON: () => ({ z: 1, a: [undefined] }) }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("stableStringify (lib/stable-json.ts), put in place of json-stable-stringify in the synth build", () => {
  it("writes what json-stable-stringify writes, spaced and compact", () => {
    fc.assert(fc.property(values, (value) => {
      expect(stableStringify(value, { space: 2 })).toBe(original(value, { space: 2 }));
      expect(stableStringify(value)).toBe(original(value));
    }), { numRuns: 300 });
  });

  it("writes every stack of the fixture organization as cdktf writes it", () => {
    for (const [name, stack] of Object.entries(exampleStacks())) expect(stableStringify(stack, { space: 2 }), name).toBe(original(stack, { space: 2 }));
  });

  it("throws on a cycle as json-stable-stringify does, and hands other options to it", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => stableStringify(cyclic)).toThrow(TypeError);
    expect(() => original(cyclic)).toThrow(TypeError);
    const byLength = { cmp: (a: { key: string }, b: { key: string }) => a.key.length - b.key.length };
    expect(stableStringify({ bbb: 1, a: 2, cc: 3 }, byLength as never)).toBe('{"a":2,"cc":3,"bbb":1}');
  });
});
