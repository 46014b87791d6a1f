import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { evaluateStack, hasErrors, stackView } from "../guardrails/evaluate.js";
import { kmsKeyRotation } from "../guardrails/rules/kms-key-rotation.js";
import { suppress, suppressionsIn } from "../guardrails/suppress.js";

const view = stackView("s", "service", "svc", { resource: { aws_kms_key: {
  a: { "//": { metadata: { path: "s/keys/a/Resource" } } },
  b: { "//": { metadata: { path: "s/keys-b/Resource" } } },
} } });

describe("suppressions", () => {
  it("are stored on the construct and found again by its path", () => {
    const stack = new TerraformStack(new App(), "s");
    suppress(new Construct(new Construct(stack, "keys"), "a"), "security/kms-key-rotation", "imported key, rotated by its HSM");
    expect(suppressionsIn(stack)).toEqual([{ path: "s/keys/a", ruleId: "security/kms-key-rotation", reason: "imported key, rotated by its HSM" }]);
  });

  it("excuse findings of their construct and below it, not of siblings sharing a name prefix", () => {
    const findings = evaluateStack([kmsKeyRotation], view, [{ path: "s/keys", ruleId: "security/kms-key-rotation", reason: "imported keys, rotated by their HSM" }]);
    expect(findings.map((f) => [f.path, f.suppressed?.reason])).toEqual([
      ["s/keys/a/Resource", "imported keys, rotated by their HSM"],
      ["s/keys-b/Resource", undefined],
    ]);
    expect(hasErrors(findings)).toBe(true);
  });

  it("leave no error once every finding is excused", () => {
    const findings = evaluateStack([kmsKeyRotation], view, [
      { path: "s/keys", ruleId: "security/kms-key-rotation", reason: "imported keys, rotated by their HSM" },
      { path: "s/keys-b", ruleId: "security/kms-key-rotation", reason: "imported keys, rotated by their HSM" },
    ]);
    expect(hasErrors(findings)).toBe(false);
  });

  it("only excuse the rule they name", () => {
    const findings = evaluateStack([kmsKeyRotation], view, [{ path: "s", ruleId: "security/stateful-protected", reason: "a different rule entirely" }]);
    // stateful-protected is not among the evaluated rules here, so the id is unknown: an error.
    expect(findings.filter((f) => f.ruleId === "guardrails/suppression").map((f) => f.severity)).toEqual(["error"]);
    expect(findings.filter((f) => f.ruleId === "security/kms-key-rotation" && !f.suppressed)).toHaveLength(2);
  });
});
