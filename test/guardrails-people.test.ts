import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { noProviderCredentials } from "../guardrails/rules/no-provider-credentials.js";
import { teamRoleTrust } from "../guardrails/rules/team-role-trust.js";

const BASTION = "arn:aws:iam::100000000006:role/developer-alice";

/** A service stack holding one team role with the given trust policy. */
function teamRole(policy: unknown, name = "team-payments") {
  const assume = typeof policy === "string" ? policy : JSON.stringify(policy);
  return stackView("service-payments-ap-northeast-1", "service", "payments", {
    resource: { aws_iam_role: { r: { "//": { metadata: { path: "s/team-role/Resource" } }, name, assume_role_policy: assume } } },
  });
}

const trust = (principal: unknown) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });

describe("security/team-role-trusts-bastion", () => {
  it("accepts a team role trusted by exact bastion role ARNs", () => {
    expect(evaluate([teamRoleTrust], teamRole(trust({ AWS: [BASTION, "arn:aws:iam::100000000006:role/developer-bob"] })))).toEqual([]);
  });

  it("flags a team role that trusts the bastion account root", () => {
    expect(evaluate([teamRoleTrust], teamRole(trust({ AWS: "arn:aws:iam::100000000006:root" })))).toEqual([
      expect.objectContaining({ ruleId: "security/team-role-trusts-bastion", severity: "error", path: "s/team-role/Resource", message: expect.stringContaining(":root") }),
    ]);
  });

  it("flags a wildcard principal", () => {
    expect(evaluate([teamRoleTrust], teamRole(trust("*")))).toHaveLength(1);
  });

  it("flags a role ARN with a wildcard", () => {
    expect(evaluate([teamRoleTrust], teamRole(trust({ AWS: ["arn:aws:iam::100000000006:role/developer-*"] })))).toHaveLength(1);
  });

  it("flags a trust policy it cannot read", () => {
    expect(evaluate([teamRoleTrust], teamRole("${data.aws_iam_policy_document.x.json}"))).toHaveLength(1);
  });

  it("ignores other roles of the service", () => {
    expect(evaluate([teamRoleTrust], teamRole(trust({ Service: "ec2.amazonaws.com" }), "payments-node"))).toEqual([]);
  });
});

describe("security/no-provider-credentials", () => {
  const withProvider = (provider: Record<string, unknown[]>) => stackView("github", "people", undefined, { provider });

  it("accepts provider blocks that take credentials from the environment", () => {
    expect(evaluate([noProviderCredentials], withProvider({ github: [{ owner: "example" }], slack: [{}] }))).toEqual([]);
  });

  it("flags a token written into a provider block", () => {
    expect(evaluate([noProviderCredentials], withProvider({ slack: [{ token: "xoxb-not-a-real-token" }] }))).toEqual([
      expect.objectContaining({ ruleId: "security/no-provider-credentials", severity: "error", message: expect.stringContaining('"token"') }),
    ]);
  });

  it("accepts a token that is a reference to a data source read at run time", () => {
    expect(evaluate([noProviderCredentials], withProvider({ kubernetes: [{ token: "${data.aws_eks_cluster_auth.cluster.token}" }] }))).toEqual([]);
  });

  it("flags a token that mixes a literal into a reference", () => {
    expect(evaluate([noProviderCredentials], withProvider({ kubernetes: [{ token: "abc${data.aws_eks_cluster_auth.cluster.token}" }] }))).toHaveLength(1);
  });

  it("flags Datadog keys written into a provider block", () => {
    expect(evaluate([noProviderCredentials], withProvider({ datadog: [{ api_key: "x", app_key: "y" }] }))).toHaveLength(2);
  });
});
