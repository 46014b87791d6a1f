import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { oidcExactSubject } from "../guardrails/rules/oidc-exact-subject.js";
import { bootstrapTemplate, oidcProviderArn, roleArn, roleName, slotValues, templateTrustProblems, trustPolicy, trustProblems, workspaceSubject } from "../lib/plan/oidc";

const provider = oidcProviderArn("123456789012");

describe("OIDC subjects and role names", () => {
  it("builds the exact subject of one workspace and phase", () => {
    expect(workspaceSubject("example", "super-terraform", "network-ap-northeast-1", "apply"))
      .toBe("organization:example:project:super-terraform:workspace:network-ap-northeast-1:run_phase:apply");
  });

  it("refuses a wildcard or separator in any part of the subject", () => {
    expect(() => workspaceSubject("example", "*", "network", "plan")).toThrow(/project/);
    expect(() => workspaceSubject("example", "p", "net*", "plan")).toThrow(/workspace/);
    expect(() => workspaceSubject("ex:ample", "p", "net", "plan")).toThrow(/organization/);
  });

  it("names roles tfc-<phase>-<workspace> when that fits IAM's 64 characters", () => {
    expect(roleName("service-payments-ap-northeast-1", "plan")).toBe("tfc-plan-service-payments-ap-northeast-1");
    expect(roleArn("111122223333", "network-ap-northeast-1", "apply")).toBe("arn:aws:iam::111122223333:role/tfc-apply-network-ap-northeast-1");
  });

  it("shortens long names deterministically to at most 64 characters, distinct per workspace", () => {
    const a = `service-${"a".repeat(40)}-ap-southeast-1`;
    const b = `service-${"a".repeat(40)}-ap-southeast-2`;
    for (const phase of ["plan", "apply"] as const) {
      expect(roleName(a, phase).length).toBeLessThanOrEqual(64);
      expect(roleName(a, phase)).toBe(roleName(a, phase));
      expect(roleName(a, phase)).not.toBe(roleName(b, phase));
    }
    expect(roleName(a, "plan").slice("tfc-plan-".length)).toBe(roleName(a, "apply").slice("tfc-apply-".length));
  });

  it("fills one template slot per workspace and refuses more workspaces than slots", () => {
    expect(slotValues(["b", "a"], 3)).toEqual({ Workspace1: "a", RoleSuffix1: "a", Workspace2: "b", RoleSuffix2: "b" });
    expect(() => slotValues(["a", "b"], 1)).toThrow(/slots/);
  });
});

describe("trust policy checks", () => {
  it("accepts the policy the builder makes", () => {
    expect(trustProblems(trustPolicy(provider, workspaceSubject("example", "p", "w", "plan")))).toEqual([]);
  });

  it("rejects a wildcard workspace, a missing audience and StringLike", () => {
    const wildcard = trustPolicy(provider, "organization:example:project:p:workspace:*:run_phase:plan");
    expect(trustProblems(wildcard)).toEqual([expect.stringMatching(/not organization:<org>/)]);
    const noAud = { Statement: [{ Principal: { Federated: provider }, Condition: { StringEquals: { "app.terraform.io:sub": "organization:e:project:p:workspace:w:run_phase:plan" } } }] };
    expect(trustProblems(noAud)).toEqual([expect.stringMatching(/aud/)]);
    const like = { Statement: [{ Principal: { Federated: provider }, Condition: { StringEquals: { "app.terraform.io:aud": "aws.workload.identity" }, StringLike: { "app.terraform.io:sub": "organization:e:project:p:workspace:*" } } }] };
    expect(trustProblems(like)).toEqual(expect.arrayContaining([expect.stringMatching(/StringLike/), expect.stringMatching(/exact app.terraform.io:sub/)]));
  });

  it("finds no problem in the generated bootstrap template", () => {
    expect(templateTrustProblems(bootstrapTemplate({ organization: "example", project: "super-terraform", slots: 3 }))).toEqual([]);
  });

  it("flags a template whose subject parameter could carry a wildcard", () => {
    const t = bootstrapTemplate({ organization: "example", project: "p", slots: 1 }) as any;
    delete t.Parameters.Workspace1.AllowedPattern;
    expect(templateTrustProblems(t)).toEqual(expect.arrayContaining([expect.objectContaining({ resource: "PlanRole1", problem: expect.stringMatching(/Workspace1/) })]));
  });
});

/** A one-resource stack in synthesized form. */
function stackWith(type: string, config: Record<string, unknown>, data: Record<string, unknown> = {}) {
  return stackView("s", "organization", undefined, { data, resource: { [type]: { r: { "//": { metadata: { path: "s/r/Resource" } }, ...config } } } });
}

describe("security/oidc-exact-subject", () => {
  it("accepts an IAM role that trusts one workspace's plan phase", () => {
    const policy = JSON.stringify(trustPolicy(provider, workspaceSubject("example", "p", "network-ap-northeast-1", "plan")));
    expect(evaluate([oidcExactSubject], stackWith("aws_iam_role", { assume_role_policy: policy }))).toEqual([]);
  });

  it("accepts a role shared by a list of named workspaces, and flags the list when one entry has a wildcard", () => {
    const subs = ["w1", "w2"].map((w) => workspaceSubject("example", "p", w, "plan"));
    expect(evaluate([oidcExactSubject], stackWith("aws_iam_role", { assume_role_policy: JSON.stringify(trustPolicy(provider, subs)) }))).toEqual([]);
    const wild = [...subs, "organization:example:project:p:workspace:w*:run_phase:plan"];
    expect(evaluate([oidcExactSubject], stackWith("aws_iam_role", { assume_role_policy: JSON.stringify(trustPolicy(provider, wild)) }))).toHaveLength(1);
  });

  it("flags an IAM role that trusts every workspace of the project", () => {
    const policy = JSON.stringify(trustPolicy(provider, "organization:example:project:p:workspace:*:run_phase:apply"));
    expect(evaluate([oidcExactSubject], stackWith("aws_iam_role", { assume_role_policy: policy }))).toEqual([
      expect.objectContaining({ ruleId: "security/oidc-exact-subject", severity: "error", path: "s/r/Resource" }),
    ]);
  });

  it("flags a policy document data source that trusts with StringLike", () => {
    const data = { aws_iam_policy_document: { trust: { statement: [{
      principals: [{ type: "Federated", identifiers: [provider] }],
      condition: [
        { test: "StringEquals", variable: "app.terraform.io:aud", values: ["aws.workload.identity"] },
        { test: "StringLike", variable: "app.terraform.io:sub", values: ["organization:example:project:p:workspace:w:run_phase:*"] },
      ],
    }] } } };
    const findings = evaluate([oidcExactSubject], stackWith("aws_iam_role", { assume_role_policy: "${data.aws_iam_policy_document.trust.json}" }, data));
    expect(findings.length).toBeGreaterThan(0);
  });

  it("accepts the generated StackSet and flags one whose template trusts a wildcard", () => {
    const good = bootstrapTemplate({ organization: "example", project: "p", slots: 1 });
    expect(evaluate([oidcExactSubject], stackWith("aws_cloudformation_stack_set", { template_body: JSON.stringify(good) }))).toEqual([]);
    const bad = JSON.stringify(good).replace(/workspace:\$\{Workspace1\}:run_phase:plan/, "workspace:*:run_phase:plan");
    expect(evaluate([oidcExactSubject], stackWith("aws_cloudformation_stack_set", { template_body: bad }))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/PlanRole1/) }),
    ]);
  });
});

describe("plan roles chaining into read-only twins", () => {
  const policiesOf = (t: any, logicalId: string) => t.Resources[logicalId].Properties.Policies ?? [];
  it("lets every plan role, and no apply role, assume exactly the listed roles", () => {
    const t = bootstrapTemplate({ organization: "example", project: "p", slots: 1, planChainRoleArns: ["arn:aws:iam::100000000004:role/tgw-read-*"] }) as any;
    const chain = policiesOf(t, "PlanRole1").find((x: any) => x.PolicyName === "assume-read-only-twins");
    expect(chain.PolicyDocument.Statement).toEqual([{ Sid: "ChainToReadOnlyTwins", Effect: "Allow", Action: "sts:AssumeRole", Resource: ["arn:aws:iam::100000000004:role/tgw-read-*"] }]);
    expect(policiesOf(t, "ApplyRole1")).toEqual([]);
  });

  it("adds no such permission when no role is listed", () => {
    const t = bootstrapTemplate({ organization: "example", project: "p", slots: 1 }) as any;
    expect(policiesOf(t, "PlanRole1").map((x: any) => x.PolicyName)).toEqual(["deny-data-reads"]);
  });
});

