import { describe, expect, it } from "vitest";
import { validate } from "../lib/config/validate";
import { exampleRaw, synthStacks } from "./helpers.js";

/** The example organization with `count` developers in total, one in ten an approver. */
function withDevelopers(count: number): ReturnType<typeof exampleRaw> {
  const raw = exampleRaw();
  for (let i = Object.keys(raw.developers).length; i < count; i++) {
    const n = String(i).padStart(4, "0");
    raw.developers[`dev-${n}`] = {
      name: `Developer ${n}`,
      email: `dev-${n}@example.com`,
      github: `dev-${n}`,
      slack: `U0DEV${n}`,
      datadogRole: i % 3 === 0 ? "Datadog Read Only Role" : "Datadog Standard Role",
      pagerdutyRole: "user",
      approver: i % 10 === 0,
    };
  }
  return raw;
}

function countResources(stack: any): number {
  return Object.values<Record<string, unknown>>(stack.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

describe("people stacks at 10x scale", () => {
  it("stay within 1,500 resources each with 1,200 developers", () => {
    const stacks = synthStacks(validate(withDevelopers(1200)));
    const counts = Object.fromEntries(["github", "datadog", "pagerduty"].map((s) => [s, countResources(stacks[s])]));
    // About one resource per developer plus a fixed few: the approvers, platform and developers
    // teams (team and member list each) with their write access, the ruleset, the apply
    // environment and its branch policy, and the workflow token's permissions.
    expect(counts).toEqual({ github: 1200 + 6 + 3 + 1 + 2 + 1, datadog: 1200, pagerduty: 1200 });
    for (const n of Object.values(counts)) expect(n).toBeLessThanOrEqual(1500);
  });
});
