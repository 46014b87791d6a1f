import { describe, expect, it } from "vitest";
import { terraformLiteral } from "../lib/plan/terraform-literal";
import { exampleStacks, resources } from "./helpers";

describe("text Terraform must read literally", () => {
  it("doubles every interpolation and directive opener, and nothing else", () => {
    expect(terraformLiteral("a ${W} %{ if x } $b {c}")).toBe("a $${W} %%{ if x } $b {c}");
  });

  it("reaches the organization stack's StackSet template escaped, so Terraform finds no reference in it", () => {
    const stackSet = Object.values(resources(exampleStacks().organization, "aws_cloudformation_stack_set"))[0] as { template_body: string };
    expect(stackSet.template_body).toContain("$${Workspace1}");
    expect(stackSet.template_body.replaceAll("$${", "")).not.toContain("${");
  });
});
