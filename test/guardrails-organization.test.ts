import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { RULES } from "../guardrails/packs.js";
import { accountBaseline } from "../guardrails/rules/account-baseline.js";
import { logArchiveBucket } from "../guardrails/rules/log-archive-bucket.js";
import { teamRoleTrust } from "../guardrails/rules/team-role-trust.js";
import { planStacks } from "../lib/plan/stack-plan";
import { exampleModel, exampleStacks } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();

/** The rules' view of a synthesized stack, optionally after mutating a copy of its JSON. */
function view(name: string, mutate: (json: any) => void = () => {}) {
  const spec = planStacks(model).find((s) => s.name === name)!;
  const json = structuredClone(stacks[name]);
  mutate(json);
  return stackView(spec.name, spec.kind, spec.service, json, { region: spec.region, primary: spec.primary });
}
/** Deletes every resource of a type whose Terraform name matches. */
function drop(json: any, type: string, match: RegExp = /./) {
  for (const name of Object.keys(json.resource[type] ?? {})) if (match.test(name)) delete json.resource[type][name];
}

describe("the rules are registered", () => {
  it("runs the organization rules on every synth", () => {
    expect(RULES.map((r) => r.id)).toEqual(expect.arrayContaining(["security/account-baseline", "security/log-archive-bucket", "security/team-role-trusts-bastion"]));
  });
});

describe("security/account-baseline", () => {
  it("accepts every synthesized stack of the example organization", () => {
    for (const spec of planStacks(model)) expect(evaluate([accountBaseline], view(spec.name)), spec.name).toEqual([]);
  });

  it("flags a service stack without EBS encryption by default, naming the stack and the construct to use", () => {
    const findings = evaluate([accountBaseline], view("service-ledger-ap-northeast-1", (j) => drop(j, "aws_ebs_encryption_by_default")));
    expect(findings).toEqual([expect.objectContaining({ ruleId: "security/account-baseline", severity: "error", path: "service-ledger-ap-northeast-1", message: expect.stringContaining("EBS encryption"), fix: expect.stringContaining("AccountBaseline") })]);
  });

  it("flags a Config recorder that is switched off", () => {
    const findings = evaluate([accountBaseline], view("service-payments-ap-northeast-3", (j) => {
      for (const r of Object.values<any>(j.resource.aws_config_configuration_recorder_status)) r.is_enabled = false;
    }));
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining("recording switched on")]);
  });

  it("flags a primary stack without the S3 account public access block, but not a secondary one", () => {
    expect(evaluate([accountBaseline], view("service-payments-ap-northeast-1", (j) => drop(j, "aws_s3_account_public_access_block"))).map((f) => f.message)).toEqual([expect.stringContaining("S3 account public access block")]);
    expect(evaluate([accountBaseline], view("service-payments-ap-northeast-3"))).toEqual([]);
  });

  it("flags a multi-region stack missing one region's recorder", () => {
    const findings = evaluate([accountBaseline], view("bastion", (j) => drop(j, "aws_config_configuration_recorder", /ap-northeast-3/)));
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/AWS Config recorder.*ap-northeast-3/)]);
  });
});

describe("security/log-archive-bucket", () => {
  const primary = `log-archive-${model.platform.regions[0]}`;

  it("accepts the synthesized log archive stacks", () => {
    for (const r of model.platform.regions) expect(evaluate([logArchiveBucket], view(`log-archive-${r}`))).toEqual([]);
  });

  it("flags a bucket whose public access block lets public policies through, at the bucket's construct path", () => {
    const findings = evaluate([logArchiveBucket], view(primary, (j) => {
      for (const r of Object.values<any>(j.resource.aws_s3_bucket_public_access_block)) if (r.bucket.includes("trail-bucket")) r.block_public_policy = false;
    }));
    expect(findings).toEqual([expect.objectContaining({ path: `${primary}/trail-bucket/Resource`, message: expect.stringContaining("does not block public access") })]);
  });

  it("flags a bucket whose policy does not deny non-TLS requests", () => {
    const findings = evaluate([logArchiveBucket], view(primary, (j) => {
      for (const r of Object.values<any>(j.resource.aws_s3_bucket_policy)) {
        const doc = JSON.parse(r.policy);
        doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport");
        r.policy = JSON.stringify(doc);
      }
    }));
    // Every log archive bucket of the region: Config's, the flow logs' and (primary region) the trail's.
    expect(findings.map((f) => f.message).sort()).toEqual([
      expect.stringMatching(/network-logs-\d+-ap-northeast-1" does not deny requests without TLS/),
      expect.stringMatching(/config-ap-northeast-1" does not deny requests without TLS/),
      expect.stringMatching(/trail-ap-northeast-1" does not deny requests without TLS/),
    ]);
  });

  it("flags an unversioned bucket and one without a deny-delete statement", () => {
    const findings = evaluate([logArchiveBucket], view(`log-archive-${model.platform.regions[1]}`, (j) => {
      drop(j, "aws_s3_bucket_versioning");
      for (const r of Object.values<any>(j.resource.aws_s3_bucket_policy)) r.policy = r.policy.replace('"Sid":"DenyDeletes"', '"Sid":"DenyDeletes","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}');
    }));
    // Both findings for each of the region's buckets (Config's and the flow logs').
    const buckets = ["config-ap-northeast-3", "network-logs-"];
    expect(findings).toHaveLength(2 * buckets.length);
    for (const bucket of buckets) {
      const about = findings.map((f) => f.message).filter((m) => m.includes(bucket));
      expect(about).toEqual([expect.stringContaining("does not deny deleting"), expect.stringContaining("is not versioned")]);
    }
  });

  it("ignores buckets outside the log archive", () => {
    expect(evaluate([logArchiveBucket], stackView("s", "service", "svc", { resource: { aws_s3_bucket: { b: { bucket: "x" } } } }))).toEqual([]);
  });
});

describe("security/team-role-trusts-bastion", () => {
  const withRole = (trust: unknown, name = "team-payments") =>
    stackView("service-payments-ap-northeast-1", "service", "payments", {
      resource: { aws_iam_role: { team: { "//": { metadata: { path: "service-payments-ap-northeast-1/team-role/Resource" } }, name, assume_role_policy: typeof trust === "string" ? trust : JSON.stringify(trust) } } },
    });
  const trusting = (Principal: unknown) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal, Action: "sts:AssumeRole" }] });

  it("accepts a team role trusting its owners' bastion roles", () => {
    expect(evaluate([teamRoleTrust], withRole(trusting({ AWS: ["arn:aws:iam::100000000006:role/developer-alice", "arn:aws:iam::100000000006:role/developer-bob"] })))).toEqual([]);
  });

  it("accepts a trust policy written as an aws_iam_policy_document", () => {
    const v = stackView("s", "service", "payments", {
      data: { aws_iam_policy_document: { trust: { statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::100000000006:role/developer-alice"] }] }] } } },
      resource: { aws_iam_role: { team: { name: "team-payments", assume_role_policy: "${data.aws_iam_policy_document.trust.json}" } } },
    });
    expect(evaluate([teamRoleTrust], v)).toEqual([]);
  });

  it("flags a team role that trusts a whole account", () => {
    expect(evaluate([teamRoleTrust], withRole(trusting({ AWS: "arn:aws:iam::100000000006:root" })))).toEqual([
      expect.objectContaining({ path: "service-payments-ap-northeast-1/team-role/Resource", message: expect.stringContaining("arn:aws:iam::100000000006:root") }),
    ]);
  });

  it("flags a team role federated straight from an identity provider", () => {
    expect(evaluate([teamRoleTrust], withRole(trusting({ Federated: "arn:aws:iam::100000000007:saml-provider/idp" })))).toHaveLength(1);
  });

  it("flags developer roles from two different accounts", () => {
    expect(evaluate([teamRoleTrust], withRole(trusting({ AWS: ["arn:aws:iam::100000000006:role/developer-alice", "arn:aws:iam::999999999999:role/developer-alice"] }))).map((f) => f.message)).toEqual([expect.stringContaining("2 accounts")]);
  });

  it("ignores roles that are not team roles", () => {
    expect(evaluate([teamRoleTrust], withRole(trusting({ Service: "eks.amazonaws.com" }), "payments-node"))).toEqual([]);
  });
});
