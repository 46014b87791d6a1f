import { Lazy } from "cdktf";
import { describe, expect, it } from "vitest";
import { withoutCreationStacks } from "../lib/creation-stacks.js";

describe("synthesis without token creation stacks", () => {
  it("gives a token created inside an empty creation stack, and one created outside a full one", () => {
    const inside = withoutCreationStacks(() => Lazy.anyValue({ produce: () => "x" }));
    const outside = Lazy.anyValue({ produce: () => "x" });
    expect(inside.creationStack).toEqual([]);
    expect(outside.creationStack.length).toBeGreaterThan(0);
  });

  it("keeps the stack of an error thrown inside", () => {
    let caught: unknown;
    try {
      withoutCreationStacks(() => {
        throw new Error("broken construct");
      });
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).stack).toMatch(/^Error: broken construct\n\s+at /);
  });

  it("puts Error.captureStackTrace back, also after a throw", () => {
    const original = Error.captureStackTrace;
    expect(() => withoutCreationStacks(() => {
      throw new Error("x");
    })).toThrow("x");
    expect(Error.captureStackTrace).toBe(original);
    expect(withoutCreationStacks(() => 42)).toBe(42);
    expect(Error.captureStackTrace).toBe(original);
  });
});
