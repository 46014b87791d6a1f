import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName, logArchiveKeyAliasArn, trailBucketName, trailName, trailRegion } from "../lib/plan/log-archive";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * What the management account writes into the log archive: the organization trail and the
 * account's own baseline (AWS Config delivering to the log archive's buckets). It applies after
 * every `log-archive-<region>` stack, which in turn needs the `organization` stack's trust in the
 * log archive account; keeping these in `organization` would make each wait for the other.
 */
export class ManagementStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    this.awsProvider({}, { accountId: p.accounts.management.id });

    new Cloudtrail(this, "organization-trail", {
      name: trailName(p),
      region: trailRegion(p),
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      s3BucketName: trailBucketName(p),
      // The log archive key by its alias ARN, built from config (no cross-stack reference).
      // CloudTrail stores the key's own ARN instead, so the attribute is not compared after creation.
      kmsKeyId: logArchiveKeyAliasArn(p, trailRegion(p)),
      lifecycle: { preventDestroy: true, ignoreChanges: ["kms_key_id"] },
    });

    // The management account carries the baseline too, in every platform region.
    // The primary region's instance creates Config's service-linked role; the others reference it.
    let configRoleArn: string | undefined;
    for (const region of p.regions) {
      const baseline = new AccountBaseline(this, `baseline-${region}`, { region, configBucketName: configBucketName(p, region), accountGlobal: region === p.regions[0], configRoleArn });
      configRoleArn ??= baseline.configRoleArn;
    }
  }
}
