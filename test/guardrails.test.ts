import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { statefulProtected } from "../guardrails/rules/stateful-protected.js";

/** A one-resource stack in synthesized form. */
function stackWith(type: string, config: Record<string, unknown>) {
  return stackView("s", "service", "svc", { resource: { [type]: { r: { "//": { metadata: { path: "s/r/Resource" } }, ...config } } } });
}

describe("security/stateful-protected", () => {
  it("accepts a KMS key with prevent_destroy", () => {
    expect(evaluate([statefulProtected], stackWith("aws_kms_key", { lifecycle: { prevent_destroy: true } }))).toEqual([]);
  });

  it("flags a KMS key without prevent_destroy, naming its construct path", () => {
    expect(evaluate([statefulProtected], stackWith("aws_kms_key", {}))).toEqual([
      expect.objectContaining({ ruleId: "security/stateful-protected", severity: "error", path: "s/r/Resource" }),
    ]);
  });

  it("ignores stateless resources", () => {
    expect(evaluate([statefulProtected], stackWith("aws_iam_role", {}))).toEqual([]);
  });
});
