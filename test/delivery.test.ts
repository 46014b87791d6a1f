import { describe, expect, it } from "vitest";
import { orderChangedStacks } from "../lib/review/changed-stacks";
import { templateTrustProblems } from "../lib/plan/oidc";
import { PLAN_COMMENT_MARKER, readPlan, renderPlanComment } from "../lib/review/plan-summary";
import { planStacks } from "../lib/plan/stack-plan";
import { managementBootstrap } from "../lib/plan/workspace-plan";
import { exampleModel } from "./helpers.js";

const model = exampleModel();
const order = planStacks(model).map((s) => s.name);

describe("changed-stacks.txt", () => {
  it("is run in dependency order whatever order the diff wrote it in", () => {
    const list = "service-ledger-ap-northeast-1\n\n# comment\nnetwork-ap-northeast-1\norganization\nworkspaces\nnetwork-ap-northeast-1\n";
    expect(orderChangedStacks(order, list)).toEqual({ ordered: ["workspaces", "organization", "network-ap-northeast-1", "service-ledger-ap-northeast-1"], unknown: [] });
  });

  it("names stacks that are no longer planned instead of running them", () => {
    expect(orderChangedStacks(order, "service-gone-ap-northeast-1\r\norganization\r\n")).toEqual({ ordered: ["organization"], unknown: ["service-gone-ap-northeast-1"] });
  });
});

describe("plan summaries", () => {
  it("reads the counts of a plan with changes", () => {
    expect(readPlan("s", "...\nPlan: 1 to import, 2 to add, 1 to change, 0 to destroy.\n", 0)).toMatchObject({ status: "changes", import: 1, add: 2, change: 1, destroy: 0 });
  });

  it("tells no changes, drift and failure apart", () => {
    expect(readPlan("s", "No changes. Your infrastructure matches the configuration.", 0).status).toBe("no-changes");
    expect(readPlan("s", "Note: Objects have changed outside of Terraform\n\nTerraform detected the following changes made outside of Terraform since the last \"terraform apply\"", 0).status).toBe("drift");
    expect(readPlan("s", "Error: No valid credential sources found\n", 1)).toMatchObject({ status: "failed", note: "No valid credential sources found" });
  });

  it("renders one comment, marked so the workflow updates it instead of adding another", () => {
    const text = renderPlanComment([
      readPlan("accounts-2", "Plan: 5 to add, 0 to change, 0 to destroy.", 0),
      readPlan("network-ap-northeast-1", "Plan: 0 to add, 0 to change, 2 to destroy.", 0),
      { stack: "service-billing-ap-northeast-1", status: "skipped", add: 0, change: 0, destroy: 0, import: 0, note: "workspace is created on merge" },
    ], { commit: "0123456789abcdef" });
    expect(text.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
    expect(text).toContain("| `accounts-2` | 📝 changes | 5 | 0 | 0 |");
    expect(text).toContain("**Destroys** in `network-ap-northeast-1`");
    expect(text).toContain("⏭️ workspace is created on merge");
  });
});

describe("the management account's manual bootstrap", () => {
  it("trusts exactly the management workspaces, with exact subjects", () => {
    const { template, parameters } = managementBootstrap(model.platform, planStacks(model));
    expect(Object.entries(parameters).filter(([k]) => k.startsWith("Workspace")).map(([, v]) => v)).toEqual(["accounts-0", "accounts-1", "accounts-2", "accounts-3", "management", "organization"]);
    expect(templateTrustProblems(template)).toEqual([]);
  });
});
