import { describe, expect, it } from "vitest";
import { bastionRoleArn } from "../lib/plan/access";
import { validate } from "../lib/config/validate";
import { exampleModel, exampleStacks, exampleRaw, resources, synthStacks, withService } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const bastion = stacks["bastion"];
const roles = Object.values(resources(bastion, "aws_iam_role")) as any[];

describe("the bastion account", () => {
  it("is one stack in the bastion account's primary region, applied before service stacks", () => {
    expect(bastion.provider.aws[0]).toMatchObject({ region: "ap-northeast-1", allowed_account_ids: ["100000000006"] });
  });

  it("has one role per developer, named as lib/plan/access.ts names it", () => {
    expect(roles.map((r) => r.name).sort()).toEqual(model.developers.map((d) => `developer-${d.key}`));
    for (const d of model.developers) expect(bastionRoleArn(model.platform, d.key)).toBe(`arn:aws:iam::100000000006:role/developer-${d.key}`);
  });

  it("lets each role be assumed only through the configured SAML provider, by that developer", () => {
    const alice = roles.find((r) => r.name === "developer-alice");
    expect(JSON.parse(alice.assume_role_policy).Statement).toEqual([{
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::100000000006:saml-provider/corporate-idp" },
      Action: ["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity", "sts:TagSession"],
      Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml", "SAML:sub": "alice@example.com" } },
    }]);
    expect(alice.max_session_duration).toBe(3600);
  });

  it("takes the identity provider from the platform config", () => {
    const raw = exampleRaw();
    raw.platform.access = { samlProvider: "okta", maxSessionSeconds: 7200 };
    const role = (Object.values(resources(synthStacks(validate(raw), new Set(["bastion"]))["bastion"], "aws_iam_role")) as any[])[0];
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.Federated).toBe("arn:aws:iam::100000000006:saml-provider/okta");
    expect(role.max_session_duration).toBe(7200);
  });

  it("lets bastion roles assume team roles of the organization's accounts and nothing else", () => {
    const [policy] = Object.values(resources(bastion, "aws_iam_policy")) as any[];
    expect(JSON.parse(policy.policy).Statement).toEqual([{
      Sid: "AssumeTeamRolesInTheOrganization",
      Effect: "Allow",
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
      Resource: "arn:aws:iam::*:role/team-*",
      Condition: { StringEquals: { "aws:ResourceOrgID": "${data.aws_organizations_organization.organization.id}" } },
    }]);
    const [attachment] = Object.values(resources(bastion, "aws_iam_policy_attachment")) as any[];
    expect(attachment.roles).toHaveLength(model.developers.length);
    expect(attachment.roles).toContain("${aws_iam_role.developer-alice.name}");
  });

  it("does not change when a service is added", () => {
    const raw = withService(exampleRaw(), "billing", { ...structuredClone(exampleRaw().index.ledger), account: { email: "aws+billing@example.com", ou: "workloads-prod" }, network: { cidrs: { "ap-northeast-1": "10.16.32.0/20" } }, slack: { handle: "billing-team" } });
    expect(JSON.stringify(synthStacks(validate(raw), new Set(["bastion"]))["bastion"])).toBe(JSON.stringify(bastion));
  });

  it("stays within 1,500 resources at 1,200 developers", () => {
    const raw = exampleRaw();
    for (let i = 0; i < 1195; i++) {
      raw.developers[`dev${i}`] = { name: `Developer ${i}`, email: `dev${i}@example.com`, github: `dev-${i}`, slack: `U${String(i).padStart(8, "0")}`, datadogRole: "Datadog Standard Role", pagerdutyRole: "user" };
    }
    const big = validate(raw);
    expect(big.developers).toHaveLength(1200);
    const stack = synthStacks(big, new Set(["bastion"]))["bastion"];
    const count = Object.values(stack.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(count).toBeLessThanOrEqual(1500);
    expect(Object.keys(resources(stack, "aws_iam_role"))).toHaveLength(1200);
  });
});
