import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

export interface AccountBaselineProps {
  /** Name of the log archive bucket AWS Config delivers to (the one of this region). */
  readonly configBucketName: string;
  /**
   * Whether this instance also holds the account's global settings: the S3 account public access
   * block, the IAM password policy, AWS Config's service-linked role and the recording of global
   * resource types. Exactly one instance per account sets it (the account's primary region),
   * because these objects exist once per account and two stacks would fight over them.
   */
  readonly accountGlobal: boolean;
  /**
   * Region of the regional settings, for stacks that cover several regions of one account.
   * @default - the provider's region
   */
  readonly region?: string;
  /**
   * ARN of AWS Config's service-linked role when the account's global instance is in the same
   * stack (its `configRoleArn`): a reference, so this region's recorder waits for the role
   * instead of naming it before it exists.
   * @default - the role's fixed ARN, created by the account's primary stack, applied earlier
   */
  readonly configRoleArn?: string;
  /**
   * The log archive bucket's policy when the bucket is created in the same stack (the log
   * archive account's own baseline): AWS Config checks the bucket when the delivery channel is
   * created, so the channel waits for it.
   * @default - the bucket exists already (the log archive stack applies first)
   */
  readonly configBucketPolicy?: ITerraformDependable;
  /** Minimum length of IAM user passwords (the platform has no IAM users; this is a backstop). @default 14 */
  readonly minimumPasswordLength?: number;
}

/** AWS Config's service-linked role; its path and name are fixed by AWS. */
const CONFIG_ROLE_PATH = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

/**
 * The security baseline every account carries, applied in the account's own stacks: EBS
 * encryption by default and an AWS Config recorder delivering to the log archive in every
 * region, and once per account the S3 public access block and the IAM password policy.
 *
 * There is no account-level IAM Access Analyzer: the organization analyzer in the security
 * account covers every member account in every platform region. The workload SCPs keep teams
 * from turning any of this off.
 */
export class AccountBaseline extends Construct {
  /** The AWS Config recorder of this region. */
  readonly resource: ConfigConfigurationRecorder;
  /** ARN of AWS Config's service-linked role as this instance uses it (a reference where it creates it). */
  readonly configRoleArn: string;

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    const region = props.region;

    // Non-primary regions name the service-linked role by its fixed ARN; the primary region
    // creates it. Their recorders start working once the primary region has applied.
    let roleArn: string;
    if (props.accountGlobal) {
      roleArn = new IamServiceLinkedRole(this, "config-service-role", { awsServiceName: "config.amazonaws.com" }).arn;
    } else if (props.configRoleArn !== undefined) {
      roleArn = props.configRoleArn;
    } else {
      const me = new DataAwsCallerIdentity(this, "account", {});
      roleArn = `arn:aws:iam::${me.accountId}:${CONFIG_ROLE_PATH}`;
    }

    this.configRoleArn = roleArn;

    new EbsEncryptionByDefault(this, "ebs-encryption", { region, enabled: true });

    this.resource = new ConfigConfigurationRecorder(this, "Resource", {
      region,
      name: "default",
      roleArn,
      // Global types (IAM) are recorded in one region only, so they are not recorded twice.
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.accountGlobal },
    });
    // No KMS key ARN: the bucket's default encryption (the log archive key) applies, so this
    // stack needs nothing from the log archive but the bucket's deterministic name.
    const delivery = new ConfigDeliveryChannel(this, "delivery", {
      region,
      name: "default",
      s3BucketName: props.configBucketName,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      dependsOn: [this.resource, ...(props.configBucketPolicy ? [props.configBucketPolicy] : [])],
    });
    new ConfigConfigurationRecorderStatus(this, "recording", {
      region,
      name: this.resource.name,
      isEnabled: true,
      dependsOn: [delivery],
    });

    if (props.accountGlobal) {
      new S3AccountPublicAccessBlock(this, "s3-public-access-block", {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      new IamAccountPasswordPolicy(this, "password-policy", {
        minimumPasswordLength: props.minimumPasswordLength ?? 14,
        requireLowercaseCharacters: true,
        requireUppercaseCharacters: true,
        requireNumbers: true,
        requireSymbols: true,
        allowUsersToChangePassword: true,
        passwordReusePrevention: 24,
        maxPasswordAge: 90,
      });
    }
  }
}
