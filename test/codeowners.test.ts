import { describe, expect, it } from "vitest";
import { codeownersDiff, renderCodeowners } from "../lib/review/codeowners";
import { exampleModel } from "./helpers.js";

describe("CODEOWNERS", () => {
  it("gives each service file to its service's team and the developer map to the approvers", () => {
    const text = renderCodeowners(exampleModel());
    expect(text).toContain("/config/services/payments.ts @example/payments-owners\n");
    expect(text).toContain("/config/developers.ts @example/approvers\n");
    expect(text.split("\n")[1]).toBe("* @example/platform");
  });

  it("shows a hand edit as removed and added lines", () => {
    const generated = renderCodeowners(exampleModel());
    const edited = generated.replace("@example/payments-owners", "@example/someone-else");
    expect(codeownersDiff(edited, generated)).toBe("- /config/services/payments.ts @example/someone-else\n+ /config/services/payments.ts @example/payments-owners");
  });
});
