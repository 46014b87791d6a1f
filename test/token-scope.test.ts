import { App, Lazy, TerraformOutput, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { markTokens } from "../stacks/token-scope.js";

const tokenMap = () => (globalThis as unknown as { __cdktfTokenMap: { stringTokenMap: Map<string, unknown>; numberTokenMap: Map<number, unknown> } }).__cdktfTokenMap;

/** The value of an output `prefix-<token>` in a synthesized stack of its own. */
function outputOf(token: string): unknown {
  const stack = new TerraformStack(new App(), "s");
  new TerraformOutput(stack, "out", { value: `prefix-${token}` });
  return stack.toTerraform().output.out.value;
}

describe("forgetting a written stack's tokens", () => {
  it("deletes exactly the tokens registered after the mark", () => {
    const kept = Lazy.stringValue({ produce: () => "kept" });
    const before = { strings: tokenMap().stringTokenMap.size, numbers: tokenMap().numberTokenMap.size };
    const forget = markTokens();
    Lazy.stringValue({ produce: () => "dropped" });
    Lazy.numberValue({ produce: () => 1 });
    expect(tokenMap().stringTokenMap.size).toBe(before.strings + 1);
    expect(tokenMap().numberTokenMap.size).toBe(before.numbers + 1);
    forget();
    expect(tokenMap().stringTokenMap.size).toBe(before.strings);
    expect(tokenMap().numberTokenMap.size).toBe(before.numbers);
    expect(outputOf(kept)).toBe("prefix-kept");
  });

  it("makes a forgotten token fail loudly if it is used again, never resolve to a wrong value", () => {
    const forget = markTokens();
    const dropped = Lazy.stringValue({ produce: () => "dropped" });
    forget();
    expect(() => outputOf(dropped)).toThrow(/Unrecognized Token Key/);
  });
});
