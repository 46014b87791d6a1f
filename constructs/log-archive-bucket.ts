import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";

export interface LogArchiveBucketProps {
  /** Globally unique bucket name, built from config so delivering stacks can name it. */
  readonly bucketName: string;
  /** ARN of the KMS key objects are encrypted with by default. */
  readonly kmsKeyArn: string;
  /**
   * Allow statements for the AWS services that deliver here, each restricted to the
   * organization or the source trail by conditions. No other principal can write.
   */
  readonly deliveryStatements: readonly object[];
  /** ARN patterns of the principals that manage the bucket's settings (Terraform Cloud roles). */
  readonly managerArns: readonly string[];
  /** Days before objects move to Glacier Instant Retrieval. @default 90 */
  readonly transitionDays?: number;
  /**
   * Days of S3 Object Lock in compliance mode. AWS Config cannot deliver to a bucket with
   * Object Lock, so its bucket relies on the deny-delete policy alone.
   * @default - no Object Lock; deletes are denied by the bucket policy only
   */
  readonly lockDays?: number;
}

/** Deleting data, or weakening the bucket so data could be deleted later. */
const DELETE_ACTIONS = ["s3:BypassGovernanceRetention", "s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion"];
const SETTINGS_ACTIONS = [
  "s3:DeleteBucketPolicy", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy",
  "s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration",
];
const WRITE_ACTIONS = ["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:RestoreObject"];

/**
 * A bucket of the log archive: versioned, KMS-encrypted, private, TLS-only, moved to cheaper
 * storage as it ages, and append-only: AWS services deliver, nobody deletes, and no human can
 * write ("humans cannot log in"). Protected from destroy like every stateful resource.
 */
export class LogArchiveBucket extends Construct {
  readonly resource: S3Bucket;
  /** The bucket policy: writers (AWS Config, CloudTrail, log delivery) can deliver only once it exists. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LogArchiveBucketProps) {
    super(scope, id);
    const transitionDays = props.transitionDays ?? 90;
    this.resource = new S3Bucket(this, "Resource", {
      bucket: props.bucketName,
      objectLockEnabled: props.lockDays !== undefined,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.resource.id;
    const arn = `arn:aws:s3:::${props.bucketName}`;

    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // ACLs disabled: the bucket owner owns every delivered object.
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [{
        id: "archive",
        status: "Enabled",
        filter: [{}],
        transition: [{ days: transitionDays, storageClass: "GLACIER_IR" }],
        noncurrentVersionTransition: [{ noncurrentDays: transitionDays, storageClass: "GLACIER_IR" }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      }],
    });
    if (props.lockDays !== undefined) {
      new S3BucketObjectLockConfigurationA(this, "object-lock", {
        bucket,
        rule: { defaultRetention: { mode: "COMPLIANCE", days: props.lockDays } },
      });
    }

    const everything = [arn, `${arn}/*`];
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: everything, Condition: { Bool: { "aws:SecureTransport": "false" } } },
          { Sid: "DenyDeletes", Effect: "Deny", Principal: "*", Action: DELETE_ACTIONS, Resource: everything },
          // Only AWS services deliver; a role or user of any account (this one included) cannot write.
          { Sid: "DenyWritesExceptDeliveringServices", Effect: "Deny", Principal: "*", Action: WRITE_ACTIONS, Resource: everything, Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } } },
          // Retention, encryption and access settings change only through the platform's pipeline.
          { Sid: "DenySettingChangesExceptPlatform", Effect: "Deny", Principal: "*", Action: SETTINGS_ACTIONS, Resource: arn, Condition: { ArnNotLike: { "aws:PrincipalArn": props.managerArns } } },
          ...props.deliveryStatements,
        ],
      }),
    });
  }
}
