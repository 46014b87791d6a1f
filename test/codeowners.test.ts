import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderCodeowners } from "../lib/codeowners.js";
import { exampleModel } from "./helpers.js";

describe("CODEOWNERS", () => {
  it("gives each service file to its service's team and the developer map to the approvers", () => {
    const text = renderCodeowners(exampleModel());
    expect(text).toContain("/config/services/payments.ts @example/payments-owners\n");
    expect(text).toContain("/config/developers.ts @example/approvers\n");
    expect(text.split("\n")[1]).toBe("* @example/platform");
  });

  it("matches the committed file (run `npm run codeowners` after changing config)", () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, "../CODEOWNERS"), "utf8");
    expect(committed).toBe(renderCodeowners(exampleModel()));
  });
});
