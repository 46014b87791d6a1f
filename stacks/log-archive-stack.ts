import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { LogArchiveBucket } from "../constructs/log-archive-bucket.js";
import { configBucketName, LOG_ARCHIVE_KEY_ALIAS, logArchivePipelinePattern, trailArn, trailBucketName } from "../lib/plan/log-archive";
import { BREAK_GLASS_ROLE, KEY_DESTRUCTION_ACTIONS } from "../lib/plan/organization-policies";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The log archive account in one region. Every region has a KMS key and the bucket its AWS
 * Config recorders deliver to (Config data stays in its region). The primary region also has
 * the organization trail's bucket: one multi-region trail delivers everything to one bucket,
 * so a trail bucket in another region would stay empty.
 *
 * Nothing here depends on services: adding or removing one leaves this stack unchanged.
 */
export class LogArchiveStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const region = this.spec.region!;
    const account = p.accounts.logArchive.id;
    this.awsProvider({}, { accountId: account });

    // The organization's ID scopes AWS Config's writes (aws:SourceOrgID); member accounts can read it.
    const org = new DataAwsOrganizationsOrganization(this, "organization", {});
    // Only this account's log-archive pipeline and break glass manage keys and bucket settings;
    // no other `tfc-*` role (an admin could rewrite its trust) and no other admin.
    const managers = [`arn:aws:iam::${account}:role/${logArchivePipelinePattern()}`, `arn:aws:iam::${account}:role/${BREAK_GLASS_ROLE}`];
    const root = `arn:aws:iam::${account}:root`;

    const keyStatements: object[] = [
      // IAM policies in the account may read and use the key (reading logs needs Decrypt), nothing more.
      { Sid: "AccountReadsAndDecrypts", Effect: "Allow", Principal: { AWS: root }, Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListResourceTags"], Resource: "*" },
      { Sid: "PipelineAndBreakGlassAdministerTheKey", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": managers } } },
      // Logs stay readable: nobody but break glass disables the key, its rotation, or schedules its deletion.
      { Sid: "OnlyBreakGlassDisablesOrDeletes", Effect: "Deny", Principal: { AWS: "*" }, Action: [...KEY_DESTRUCTION_ACTIONS], Resource: "*", Condition: { ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::${account}:role/${BREAK_GLASS_ROLE}` } } },
      {
        Sid: "ConfigEncryptsForTheOrganization",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceOrgID": org.id } },
      },
    ];
    if (this.spec.primary) {
      keyStatements.push(
        {
          Sid: "CloudTrailEncryptsTheOrganizationTrail",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceArn": trailArn(p) },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${p.accounts.management.id}:trail/*` },
          },
        },
        // Lets the management account validate the trail's key by its alias ARN.
        { Sid: "ManagementDescribesTheKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${p.accounts.management.id}:root` }, Action: "kms:DescribeKey", Resource: "*" },
      );
    }
    const key = new KmsKey(this, "log-key", {
      description: `Encrypts the organization's logs in ${region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: keyStatements }),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "log-key-alias", { name: LOG_ARCHIVE_KEY_ALIAS, targetKeyId: key.keyId });

    const configBucket = configBucketName(p, region);
    const sourceOrg = { "aws:SourceOrgID": org.id };
    const configBucketResource = new LogArchiveBucket(this, "config-bucket", {
      bucketName: configBucket,
      kmsKeyArn: key.arn,
      managerArns: managers,
      transitionDays: p.logArchive.transitionDays,
      deliveryStatements: [
        { Sid: "ConfigChecksBucketAcl", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${configBucket}`, Condition: { StringEquals: sourceOrg } },
        { Sid: "ConfigChecksBucketExists", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "s3:ListBucket", Resource: `arn:aws:s3:::${configBucket}`, Condition: { StringEquals: sourceOrg } },
        {
          Sid: "ConfigDelivers",
          Effect: "Allow",
          Principal: { Service: "config.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${configBucket}/AWSLogs/*/Config/*`,
          Condition: { StringEquals: { ...sourceOrg, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
      ],
    });

    if (this.spec.primary) {
      const trailBucket = trailBucketName(p);
      const fromTrail = { "aws:SourceArn": trailArn(p) };
      new LogArchiveBucket(this, "trail-bucket", {
        bucketName: trailBucket,
        kmsKeyArn: key.arn,
        managerArns: managers,
        transitionDays: p.logArchive.transitionDays,
        lockDays: p.logArchive.lockDays,
        deliveryStatements: [
          { Sid: "CloudTrailChecksBucketAcl", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${trailBucket}`, Condition: { StringEquals: fromTrail } },
          {
            Sid: "CloudTrailDelivers",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            // The management account's own events, and every member's under the organization ID.
            Resource: [`arn:aws:s3:::${trailBucket}/AWSLogs/${p.accounts.management.id}/*`, `arn:aws:s3:::${trailBucket}/AWSLogs/${org.id}/*`],
            Condition: { StringEquals: { ...fromTrail, "s3:x-amz-acl": "bucket-owner-full-control" } },
          },
        ],
      });
    }

    new AccountBaseline(this, "baseline", { configBucketName: configBucketResource.resource.bucket, configBucketPolicy: configBucketResource.policy, accountGlobal: this.spec.primary === true });
  }
}
