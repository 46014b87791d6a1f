import { describe, expect, it } from "vitest";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

const model = exampleModel();
const p = model.platform;
const stacks = exampleStacks();
const [primary, secondary] = p.regions as [string, string];

/** Resources of one type in a log archive stack that configure a given bucket resource. */
function forBucket(stack: any, type: string, bucketTfName: string): any[] {
  return (Object.values(resources(stack, type)) as any[]).filter((r) => r.bucket === `\${aws_s3_bucket.${bucketTfName}.id}`);
}
function bucketsOf(stack: any): Array<[string, any]> {
  return Object.entries(resources(stack, "aws_s3_bucket")) as Array<[string, any]>;
}
function policyOf(stack: any, bucketTfName: string): any[] {
  const [policy] = forBucket(stack, "aws_s3_bucket_policy", bucketTfName);
  return JSON.parse(policy.policy).Statement;
}
const everyBucket = p.regions.flatMap((r) => bucketsOf(stacks[`log-archive-${r}`]).map(([n, b]) => [r, n, b] as const));

describe("the log archive", () => {
  it("has the trail bucket in the primary region only, and a Config bucket and a network logs bucket in every region", () => {
    expect(bucketsOf(stacks[`log-archive-${primary}`]).map(([, b]) => b.bucket).sort()).toEqual([
      `example-network-logs-100000000002-${primary}`, `log-archive-100000000002-config-${primary}`, `log-archive-100000000002-trail-${primary}`,
    ]);
    expect(bucketsOf(stacks[`log-archive-${secondary}`]).map(([, b]) => b.bucket).sort()).toEqual([`example-network-logs-100000000002-${secondary}`, `log-archive-100000000002-config-${secondary}`]);
  });

  it("accepts flow logs only from log delivery, for the organization's accounts in the bucket's region, under vpc-flow-logs/AWSLogs/", () => {
    for (const region of p.regions) {
      const s = stacks[`log-archive-${region}`];
      const [tf, b] = bucketsOf(s).find(([, x]) => x.bucket.includes("-network-logs-"))!;
      const allows = policyOf(s, tf).filter((x) => x.Effect === "Allow");
      const scope = { StringEquals: { "aws:SourceOrgID": "${data.aws_organizations_organization.organization.id}" }, ArnLike: { "aws:SourceArn": `arn:aws:logs:${region}:*:*` } };
      expect(allows).toEqual([
        { Sid: "LogDeliveryChecksBucket", Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: `arn:aws:s3:::${b.bucket}`, Condition: scope },
        {
          Sid: "LogDeliveryWritesFlowLogs", Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${b.bucket}/vpc-flow-logs/AWSLogs/*`,
          Condition: { ...scope, StringEquals: { ...scope.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
      ]);
      const key = JSON.parse(resources(s, "aws_kms_key")["log-key"].policy).Statement;
      expect(key.find((x: any) => x.Sid === "LogDeliveryEncryptsNetworkLogs")).toMatchObject({ Principal: { Service: "delivery.logs.amazonaws.com" }, Condition: scope });
    }
  });

  it("creates the log archive's own Config delivery channel only after its bucket's policy, in the same stack", () => {
    for (const region of p.regions) {
      const s = stacks[`log-archive-${region}`];
      const [tf] = bucketsOf(s).find(([, x]) => x.bucket.includes("-config-"))!;
      const [policy] = Object.entries(resources(s, "aws_s3_bucket_policy")).find(([, x]: [string, any]) => x.bucket === `\${aws_s3_bucket.${tf}.id}`)!;
      expect((Object.values(resources(s, "aws_config_delivery_channel"))[0] as any).depends_on).toContain(`aws_s3_bucket_policy.${policy}`);
    }
  });

  it("protects every bucket from destroy and from force-deleting its objects", () => {
    for (const [, , b] of everyBucket) expect(b).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
  });

  it("versions every bucket, blocks all public access and disables ACLs", () => {
    for (const [r, n] of everyBucket) {
      const s = stacks[`log-archive-${r}`];
      expect(forBucket(s, "aws_s3_bucket_versioning", n)).toEqual([expect.objectContaining({ versioning_configuration: { status: "Enabled" } })]);
      expect(forBucket(s, "aws_s3_bucket_public_access_block", n)).toEqual([expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true })]);
      expect(forBucket(s, "aws_s3_bucket_ownership_controls", n)).toEqual([expect.objectContaining({ rule: { object_ownership: "BucketOwnerEnforced" } })]);
    }
  });

  it("encrypts every bucket by default with its region's rotating log archive key", () => {
    for (const [r, n] of everyBucket) {
      const s = stacks[`log-archive-${r}`];
      expect(forBucket(s, "aws_s3_bucket_server_side_encryption_configuration", n)).toEqual([expect.objectContaining({
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.log-key.arn}" }, bucket_key_enabled: true }],
      })]);
      expect(resources(s, "aws_kms_key")["log-key"]).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    }
  });

  it("moves objects to Glacier Instant Retrieval after the configured days", () => {
    for (const [r, n] of everyBucket) {
      const [lc] = forBucket(stacks[`log-archive-${r}`], "aws_s3_bucket_lifecycle_configuration", n);
      expect(lc.rule[0]).toMatchObject({ status: "Enabled", transition: [{ days: p.logArchive.transitionDays, storage_class: "GLACIER_IR" }] });
      expect(lc.rule[0].expiration).toBeUndefined();
    }
  });

  it("locks trail logs in compliance mode; the Config bucket has no Object Lock, which AWS Config cannot deliver to", () => {
    const s = stacks[`log-archive-${primary}`];
    const [trail] = bucketsOf(s).find(([, b]) => b.bucket.includes("-trail-"))!;
    const [config] = bucketsOf(s).find(([, b]) => b.bucket.includes("-config-"))!;
    expect(resources(s, "aws_s3_bucket")[trail].object_lock_enabled).toBe(true);
    expect(forBucket(s, "aws_s3_bucket_object_lock_configuration", trail)).toEqual([expect.objectContaining({ rule: { default_retention: { mode: "COMPLIANCE", days: 365 } } })]);
    expect(forBucket(s, "aws_s3_bucket_object_lock_configuration", config)).toEqual([]);
  });

  it("denies every request without TLS and every delete, to every principal, without exception", () => {
    for (const [r, n, b] of everyBucket) {
      const statements = policyOf(stacks[`log-archive-${r}`], n);
      const arn = `arn:aws:s3:::${b.bucket}`;
      expect(statements).toContainEqual({ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } });
      expect(statements).toContainEqual({ Sid: "DenyDeletes", Effect: "Deny", Principal: "*", Action: ["s3:BypassGovernanceRetention", "s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion"], Resource: [arn, `${arn}/*`] });
    }
  });

  it("lets no human principal write: writes are denied to everything but AWS services, and only services are allowed", () => {
    for (const [r, n] of everyBucket) {
      const statements = policyOf(stacks[`log-archive-${r}`], n);
      expect(statements).toContainEqual(expect.objectContaining({
        Sid: "DenyWritesExceptDeliveringServices", Effect: "Deny", Principal: "*",
        Action: expect.arrayContaining(["s3:PutObject"]), Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
      }));
      for (const allow of statements.filter((s) => s.Effect === "Allow")) {
        expect(Object.keys(allow.Principal), allow.Sid).toEqual(["Service"]);
        expect(["cloudtrail.amazonaws.com", "config.amazonaws.com", "delivery.logs.amazonaws.com"]).toContain(allow.Principal.Service);
      }
    }
  });

  it("lets only the log archive's own pipeline and break glass change a bucket's retention, encryption or policy", () => {
    for (const [r, n] of everyBucket) {
      const s = policyOf(stacks[`log-archive-${r}`], n).find((x) => x.Sid === "DenySettingChangesExceptPlatform");
      expect(s.Action).toEqual(expect.arrayContaining(["s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketObjectLockConfiguration"]));
      // Not every tfc-* role: an admin could rewrite one's trust, assume it and replace the policy.
      expect(s.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::100000000002:role/tfc-apply-log-archive-*", "arn:aws:iam::100000000002:role/OrganizationAccountAccessRole"] } });
    }
  });

  it("accepts AWS Config deliveries only from the organization (aws:SourceOrgID)", () => {
    for (const [r, n, b] of everyBucket.filter(([, , x]) => x.bucket.includes("-config-"))) {
      const allows = policyOf(stacks[`log-archive-${r}`], n).filter((s) => s.Effect === "Allow");
      expect(allows.map((s) => s.Action).sort()).toEqual(["s3:GetBucketAcl", "s3:ListBucket", "s3:PutObject"]);
      for (const s of allows) {
        expect(s.Principal).toEqual({ Service: "config.amazonaws.com" });
        expect(s.Condition.StringEquals["aws:SourceOrgID"]).toBe("${data.aws_organizations_organization.organization.id}");
      }
      expect(allows.find((s) => s.Action === "s3:PutObject")).toMatchObject({ Resource: `arn:aws:s3:::${b.bucket}/AWSLogs/*/Config/*`, Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } } });
    }
  });

  it("accepts CloudTrail deliveries only from the organization trail (aws:SourceArn)", () => {
    const s = stacks[`log-archive-${primary}`];
    const [trail, b] = bucketsOf(s).find(([, x]) => x.bucket.includes("-trail-"))!;
    const allows = policyOf(s, trail).filter((x) => x.Effect === "Allow");
    expect(allows.map((x) => x.Action).sort()).toEqual(["s3:GetBucketAcl", "s3:PutObject"]);
    for (const x of allows) {
      expect(x.Principal).toEqual({ Service: "cloudtrail.amazonaws.com" });
      expect(x.Condition.StringEquals["aws:SourceArn"]).toBe("arn:aws:cloudtrail:ap-northeast-1:100000000001:trail/example-organization");
    }
    expect(allows.find((x) => x.Action === "s3:PutObject").Resource).toEqual([
      `arn:aws:s3:::${b.bucket}/AWSLogs/100000000001/*`,
      `arn:aws:s3:::${b.bucket}/AWSLogs/\${data.aws_organizations_organization.organization.id}/*`,
    ]);
  });

  it("lets only the delivering services, the log archive account and (for the trail key) the management account use the key", () => {
    const key = JSON.parse(resources(stacks[`log-archive-${primary}`], "aws_kms_key")["log-key"].policy).Statement;
    expect(key.map((s: any) => [s.Sid, s.Principal])).toEqual([
      ["AccountReadsAndDecrypts", { AWS: "arn:aws:iam::100000000002:root" }],
      ["PipelineAndBreakGlassAdministerTheKey", { AWS: "arn:aws:iam::100000000002:root" }],
      ["OnlyBreakGlassDisablesOrDeletes", { AWS: "*" }],
      ["ConfigEncryptsForTheOrganization", { Service: "config.amazonaws.com" }],
      ["CloudTrailEncryptsTheOrganizationTrail", { Service: "cloudtrail.amazonaws.com" }],
      ["ManagementDescribesTheKey", { AWS: "arn:aws:iam::100000000001:root" }],
      ["LogDeliveryEncryptsNetworkLogs", { Service: "delivery.logs.amazonaws.com" }],
    ]);
    expect(key[5].Action).toBe("kms:DescribeKey");
    const secondaryKey = JSON.parse(resources(stacks[`log-archive-${secondary}`], "aws_kms_key")["log-key"].policy).Statement;
    expect(secondaryKey.map((s: any) => s.Sid)).toEqual(["AccountReadsAndDecrypts", "PipelineAndBreakGlassAdministerTheKey", "OnlyBreakGlassDisablesOrDeletes", "ConfigEncryptsForTheOrganization", "LogDeliveryEncryptsNetworkLogs"]);
  });

  it("grants the account no kms:* and lets nobody but break glass disable the key or schedule its deletion", () => {
    const key = JSON.parse(resources(stacks[`log-archive-${primary}`], "aws_kms_key")["log-key"].policy).Statement;
    const account = key.find((s: any) => s.Sid === "AccountReadsAndDecrypts");
    expect(account.Action).not.toContain("kms:*");
    expect(account.Action).not.toEqual(expect.arrayContaining(["kms:ScheduleKeyDeletion"]));
    expect(key.find((s: any) => s.Sid === "PipelineAndBreakGlassAdministerTheKey").Condition).toEqual({ ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::100000000002:role/tfc-apply-log-archive-*", "arn:aws:iam::100000000002:role/OrganizationAccountAccessRole"] } });
    expect(key.find((s: any) => s.Sid === "OnlyBreakGlassDisablesOrDeletes")).toMatchObject({
      Effect: "Deny",
      Action: ["kms:DisableKey", "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion"],
      Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::100000000002:role/OrganizationAccountAccessRole" } },
    });
  });
});
