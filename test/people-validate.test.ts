import { describe, expect, it } from "vitest";
import { escalationRules } from "../lib/config/people";
import { validate } from "../lib/config/validate";
import { exampleRaw, onlyProblem, problemsOf } from "./helpers.js";



describe("developer entries", () => {
  it("requires name, email, GitHub username, Slack ID and both roles, and defaults approver to false", () => {
    const raw = exampleRaw();
    raw.developers.erin = {};
    const fields = problemsOf(raw).filter((p) => p.entry === "erin").map((p) => [p.field, p.message]);
    expect(fields.sort()).toEqual([
      ["datadogRole", "is missing"], ["email", "is missing"], ["github", "is missing"],
      ["name", "is missing"], ["pagerdutyRole", "is missing"], ["slack", "is missing"],
    ]);
    expect(validate(exampleRaw()).developers.find((d) => d.key === "carol")!.approver).toBe(false);
  });

  it("reports a PagerDuty role outside the platform's allow-list, listing the allowed ones", () => {
    const raw = exampleRaw();
    raw.developers.dave.pagerdutyRole = "admin";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/developers.ts", entry: "dave", field: "pagerdutyRole", value: "admin", fix: expect.stringContaining("limited_user") });
  });

  it("reports a Slack member ID used by two developers", () => {
    const raw = exampleRaw();
    raw.developers.dave.slack = "U01BOBSAT0";
    expect(onlyProblem(raw)).toMatchObject({ entry: "dave", field: "slack", value: "U01BOBSAT0", message: expect.stringContaining("bob") });
  });

  it("reports every people mistake of one change at once, each with file, entry, field, value and fix", () => {
    const raw = exampleRaw();
    raw.developers.erin.datadogRole = "Datadog Admin Role";
    raw.developers.erin.pagerdutyRole = "owner";
    raw.developers.dave.github = "Carol-S";
    raw.developers.carol.email = "alice@example.com";
    raw.developers.bob.slack = "bob";
    raw.index.recommendations.owners = ["dave", "frank"];
    const problems = problemsOf(raw);
    expect(problems.map((p) => `${p.entry}:${p.field}:${String(p.value)}`).sort()).toEqual([
      "bob:slack:bob", "carol:email:alice@example.com", "dave:github:Carol-S",
      "erin:datadogRole:Datadog Admin Role", "erin:pagerdutyRole:owner", "recommendations:owners.1:frank",
    ]);
    for (const p of problems) expect(p).toMatchObject({ file: expect.stringMatching(/^config\//), fix: expect.stringMatching(/\w{3}/) });
  });
});

describe("offboarding", () => {
  it("reports a removed developer who still owns a service, and says to remove them from owners", () => {
    const raw = exampleRaw();
    delete raw.developers.erin;
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/recommendations.ts", field: "owners.1", value: "erin", fix: expect.stringContaining("offboarding") });
  });

  it("reports removing a service's last owner, and says to hand the service over", () => {
    const raw = exampleRaw();
    raw.index.ledger.owners = [];
    expect(onlyProblem(raw)).toMatchObject({ entry: "ledger", field: "owners", message: expect.stringContaining("no owner"), fix: expect.stringContaining("offboarding") });
  });

  it("reports a removed developer still named in an escalation rule", () => {
    const raw = exampleRaw();
    delete raw.developers.carol;
    raw.index.ledger.owners = ["bob"];
    expect(onlyProblem(raw)).toMatchObject({ entry: "payments", field: "pagerduty.escalation.1.targets.0", value: "carol", fix: expect.stringContaining("offboarding") });
  });

  it("reports a removed developer still in the platform team", () => {
    const raw = exampleRaw();
    raw.platform.github.platformTeamMembers = ["alice", "zoe"];
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "github.platformTeamMembers.1", value: "zoe" });
  });
});

describe("approvers and on-call", () => {
  it("reports an empty platform team", () => {
    const raw = exampleRaw();
    raw.platform.github.platformTeamMembers = [];
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "github.platformTeamMembers", message: expect.stringContaining("nobody") });
  });

  it("reports a developers team that is also another organization-wide team, and one named like a service's team", () => {
    const raw = exampleRaw();
    raw.platform.github.developersTeam = raw.platform.github.approversTeam;
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "github.developersTeam", value: "approvers", message: "is also github.approversTeam" });
    raw.platform.github.developersTeam = "payments-owners";
    expect(onlyProblem(raw)).toMatchObject({ field: "github.developersTeam", value: "payments-owners", fix: expect.stringContaining('"payments-team"') });
  });

  it("reports a developer map without any approver", () => {
    const raw = exampleRaw();
    for (const d of Object.values<any>(raw.developers)) d.approver = false;
    expect(onlyProblem(raw)).toMatchObject({ file: "config/developers.ts", field: "approver", message: expect.stringContaining("approver") });
  });

  it("reports an escalation target whose PagerDuty role cannot be on call", () => {
    const raw = exampleRaw();
    raw.developers.carol.pagerdutyRole = "observer";
    expect(onlyProblem(raw)).toMatchObject({ entry: "payments", field: "pagerduty.escalation.1.targets.0", value: "carol", message: expect.stringContaining("observer") });
  });

  it("reports a service whose default escalation would page nobody", () => {
    const raw = exampleRaw();
    raw.developers.dave.pagerdutyRole = "observer";
    raw.developers.erin.pagerdutyRole = "observer";
    expect(onlyProblem(raw)).toMatchObject({ entry: "recommendations", field: "owners", message: expect.stringContaining("on call") });
  });

  it("leaves owners who cannot be on call out of the default escalation rule", () => {
    const raw = exampleRaw();
    raw.developers.dave.pagerdutyRole = "observer";
    const model = validate(raw);
    const recs = model.services.find((s) => s.key === "recommendations")!;
    expect(escalationRules(recs, new Map(model.developers.map((d) => [d.key, d])))).toEqual([{ targets: ["erin"], delayMinutes: 30 }]);
  });
});
