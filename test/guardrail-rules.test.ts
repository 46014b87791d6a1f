import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { PACKS, RULES } from "../guardrails/packs.js";
import { kmsKeyRotation } from "../guardrails/rules/kms-key-rotation.js";
import { noAdminPolicy } from "../guardrails/rules/no-admin-policy.js";
import { s3PublicAccessBlocked } from "../guardrails/rules/s3-public-access-blocked.js";
import { s3TlsOnly } from "../guardrails/rules/s3-tls-only.js";
import { serviceOwnerTags } from "../guardrails/rules/service-owner-tags.js";

/** Synthesized-JSON form of resources: { type: { name: config } }, each given a construct path. */
function stack(resource: Record<string, Record<string, Record<string, unknown>>>, extra: Record<string, any> = {}, kind = "service") {
  const withPaths = (block: typeof resource) => Object.fromEntries(Object.entries(block).map(([type, byName]) => [type,
    Object.fromEntries(Object.entries(byName).map(([name, config]) => [name, { "//": { metadata: { path: `s/${name}/Resource` } }, ...config }]))]));
  return stackView("s", kind, kind === "service" ? "svc" : undefined, { ...extra, resource: withPaths(resource), data: withPaths(extra.data ?? {}) });
}

const TAGGED = { provider: { aws: [{ region: "ap-northeast-1", default_tags: [{ tags: { service: "svc", owners: "alice bob" } }] }] } };
const BLOCK = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
const TLS_DENY = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["${aws_s3_bucket.logs.arn}", "${aws_s3_bucket.logs.arn}/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } };

describe("rule packs", () => {
  it("give every rule a unique id of the form <pack>/<name> in its pack", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) expect(r.id.startsWith(`${r.pack}/`)).toBe(true);
    expect(Object.values(PACKS).flat().length).toBe(RULES.length);
  });
});

describe("security/s3-public-access-blocked", () => {
  it("accepts a bucket with a public access block of all four settings", () => {
    const s = stack({ aws_s3_bucket: { logs: {} }, aws_s3_bucket_public_access_block: { logs_pab: { bucket: "${aws_s3_bucket.logs.id}", ...BLOCK } } });
    expect(evaluate([s3PublicAccessBlocked], s)).toEqual([]);
  });

  it("flags a bucket without a public access block, naming its construct path and the fix", () => {
    const s = stack({ aws_s3_bucket: { logs: {} } });
    expect(evaluate([s3PublicAccessBlocked], s)).toEqual([expect.objectContaining({
      ruleId: "security/s3-public-access-blocked", severity: "error", path: "s/logs/Resource", fix: expect.stringMatching(/S3BucketPublicAccessBlock/),
    })]);
  });

  it("flags a public access block that leaves one setting off", () => {
    const s = stack({ aws_s3_bucket: { logs: {} }, aws_s3_bucket_public_access_block: { logs_pab: { bucket: "${aws_s3_bucket.logs.id}", ...BLOCK, restrict_public_buckets: false } } });
    expect(evaluate([s3PublicAccessBlocked], s)).toEqual([expect.objectContaining({ message: expect.stringMatching(/without restrict_public_buckets/) })]);
  });

  it("does not count another bucket's public access block", () => {
    const s = stack({ aws_s3_bucket: { logs: {}, other: {} }, aws_s3_bucket_public_access_block: { p: { bucket: "${aws_s3_bucket.other.id}", ...BLOCK } } });
    expect(evaluate([s3PublicAccessBlocked], s).map((f) => f.path)).toEqual(["s/logs/Resource"]);
  });

  it("accepts buckets covered by an account-wide public access block", () => {
    const s = stack({ aws_s3_bucket: { logs: {} }, aws_s3_account_public_access_block: { account: { ...BLOCK } } });
    expect(evaluate([s3PublicAccessBlocked], s)).toEqual([]);
  });
});

describe("security/s3-tls-only", () => {
  it("accepts a bucket whose JSON policy denies requests without TLS", () => {
    const s = stack({ aws_s3_bucket: { logs: {} }, aws_s3_bucket_policy: { p: { bucket: "${aws_s3_bucket.logs.id}", policy: JSON.stringify({ Version: "2012-10-17", Statement: [TLS_DENY] }) } } });
    expect(evaluate([s3TlsOnly], s)).toEqual([]);
  });

  it("accepts a bucket whose policy document data source denies requests without TLS", () => {
    const s = stack(
      { aws_s3_bucket: { logs: {} }, aws_s3_bucket_policy: { p: { bucket: "${aws_s3_bucket.logs.bucket}", policy: "${data.aws_iam_policy_document.tls.json}" } } },
      { data: { aws_iam_policy_document: { tls: { statement: [{ effect: "Deny", actions: ["s3:*"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }] } } } },
    );
    expect(evaluate([s3TlsOnly], s)).toEqual([]);
  });

  it("flags a bucket without a bucket policy", () => {
    const s = stack({ aws_s3_bucket: { logs: {} } });
    expect(evaluate([s3TlsOnly], s)).toEqual([expect.objectContaining({ ruleId: "security/s3-tls-only", path: "s/logs/Resource", message: expect.stringMatching(/no bucket policy/) })]);
  });

  it("flags a bucket policy whose TLS statement allows instead of denies", () => {
    const policy = JSON.stringify({ Statement: [{ ...TLS_DENY, Effect: "Allow" }] });
    const s = stack({ aws_s3_bucket: { logs: {} }, aws_s3_bucket_policy: { p: { bucket: "${aws_s3_bucket.logs.id}", policy } } });
    expect(evaluate([s3TlsOnly], s)).toEqual([expect.objectContaining({ message: expect.stringMatching(/does not deny requests without TLS/) })]);
  });
});

describe("security/kms-key-rotation", () => {
  it("accepts a key with rotation enabled", () => {
    expect(evaluate([kmsKeyRotation], stack({ aws_kms_key: { k: { enable_key_rotation: true } } }))).toEqual([]);
  });

  it("flags a symmetric key without rotation", () => {
    expect(evaluate([kmsKeyRotation], stack({ aws_kms_key: { k: {} } }))).toEqual([expect.objectContaining({ ruleId: "security/kms-key-rotation", path: "s/k/Resource", fix: "set enableKeyRotation: true on the KmsKey" })]);
  });

  it("exempts asymmetric keys, which AWS cannot rotate", () => {
    expect(evaluate([kmsKeyRotation], stack({ aws_kms_key: { k: { customer_master_key_spec: "RSA_2048" } } }))).toEqual([]);
  });
});

describe("security/no-admin-policy", () => {
  const admin = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
  const scoped = JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }] });

  it("accepts a policy scoped to named actions", () => {
    expect(evaluate([noAdminPolicy], stack({ aws_iam_policy: { p: { policy: scoped } } }))).toEqual([]);
  });

  it("flags an aws_iam_policy allowing * on *", () => {
    expect(evaluate([noAdminPolicy], stack({ aws_iam_policy: { p: { policy: admin } } }))).toEqual([expect.objectContaining({ ruleId: "security/no-admin-policy", path: "s/p/Resource" })]);
  });

  it("flags an aws_iam_role_policy, a role's inline policy and a policy document allowing * on *", () => {
    const s = stack(
      { aws_iam_role_policy: { rp: { policy: "${data.aws_iam_policy_document.all.json}" } }, aws_iam_role: { role: { assume_role_policy: "{}", inline_policy: [{ name: "x", policy: admin }] } } },
      { data: { aws_iam_policy_document: { all: { statement: [{ actions: ["*"], resources: ["*"] }] } } } },
    );
    expect(evaluate([noAdminPolicy], s).map((f) => f.path).sort()).toEqual(["s/role/Resource", "s/rp/Resource"]);
  });

  it("flags attaching AdministratorAccess", () => {
    const s = stack({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } });
    expect(evaluate([noAdminPolicy], s)).toEqual([expect.objectContaining({ message: expect.stringMatching(/AdministratorAccess/) })]);
  });

  it("leaves platform stacks to their own review", () => {
    expect(evaluate([noAdminPolicy], stack({ aws_iam_policy: { p: { policy: admin } } }, {}, "organization"))).toEqual([]);
  });

  it("accepts AdministratorAccess on a role under a permissions boundary, and the boundary policy itself", () => {
    const s = stack({
      aws_iam_policy: { fence: { name: "team-boundary", policy: admin } },
      aws_iam_role: { team: { name: "team-x", assume_role_policy: "{}", permissions_boundary: "${aws_iam_policy.fence.arn}" } },
      aws_iam_role_policy_attachment: { a: { role: "${aws_iam_role.team.name}", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
    });
    expect(evaluate([noAdminPolicy], s)).toEqual([]);
  });

  it("flags AdministratorAccess on a role without a boundary next to a bounded one", () => {
    const s = stack({
      aws_iam_policy: { fence: { name: "team-boundary", policy: admin } },
      aws_iam_role: { team: { name: "team-x", assume_role_policy: "{}", permissions_boundary: "${aws_iam_policy.fence.arn}" }, loose: { name: "loose", assume_role_policy: "{}" } },
      aws_iam_role_policy_attachment: { a: { role: "${aws_iam_role.loose.name}", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
    });
    expect(evaluate([noAdminPolicy], s).map((f) => f.path)).toEqual(["s/a/Resource"]);
  });
});

describe("tagging/service-owner-tags", () => {
  it("accepts resources tagged through the provider's default tags", () => {
    expect(evaluate([serviceOwnerTags], stack({ aws_sqs_queue: { q: {} } }, TAGGED))).toEqual([]);
  });

  it("flags a provider without the ownership tags", () => {
    const s = stack({ aws_sqs_queue: { q: {} } }, { provider: { aws: [{ region: "ap-northeast-1", default_tags: [{ tags: { service: "svc" } }] }] } });
    expect(evaluate([serviceOwnerTags], s)).toEqual([expect.objectContaining({ ruleId: "tagging/service-owner-tags", path: "s/aws", message: expect.stringMatching(/owners/) })]);
  });

  it("flags a resource whose own tags blank the owners or name another service", () => {
    const s = stack({ aws_sqs_queue: { q: { tags: { owners: "" } }, r: { tags: { service: "other" } } } }, TAGGED);
    expect(evaluate([serviceOwnerTags], s).map((f) => f.path)).toEqual(["s/q/Resource", "s/r/Resource"]);
  });

  it("checks resources against the aliased provider they use", () => {
    const s = stack({ aws_sqs_queue: { q: { provider: "aws.east" } } }, { provider: { aws: [...TAGGED.provider.aws, { alias: "east", region: "us-east-1" }] } });
    expect(evaluate([serviceOwnerTags], s).map((f) => f.path)).toEqual(["s/aws-east"]);
  });
});
