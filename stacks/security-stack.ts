import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { ConfigConfigurationAggregator } from "@cdktf/provider-aws/lib/config-configuration-aggregator";
import { DataAwsGuarddutyDetector } from "@cdktf/provider-aws/lib/data-aws-guardduty-detector";
import { GuarddutyOrganizationConfiguration } from "@cdktf/provider-aws/lib/guardduty-organization-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityhubOrganizationConfiguration } from "@cdktf/provider-aws/lib/securityhub-organization-configuration";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/plan/log-archive";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The security account in one region, as delegated administrator of the organization's
 * security services (the organization stack delegates them): GuardDuty and Security Hub on
 * for every member, the organization's Access Analyzer, and, once, the Config aggregator
 * over all accounts and regions.
 */
export class SecurityStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const region = this.spec.region!;
    this.awsProvider({}, { accountId: this.platformAccountId() });

    // Designating the delegated administrator turns GuardDuty on in this account; its
    // detector is found here (one per region) rather than created twice.
    const detector = new DataAwsGuarddutyDetector(this, "guardduty-detector", {});
    new GuarddutyOrganizationConfiguration(this, "guardduty", { detectorId: detector.id, autoEnableOrganizationMembers: "ALL" });

    // "DEFAULT" standards are AWS Foundational Security Best Practices for new members; this
    // account subscribes to the same standard explicitly.
    new SecurityhubOrganizationConfiguration(this, "securityhub", { autoEnable: true, autoEnableStandards: "DEFAULT" });
    new SecurityhubStandardsSubscription(this, "securityhub-foundational", {
      standardsArn: `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
    });

    // Analyzers are regional; the organization analyzer covers every member account here.
    new AccessanalyzerAnalyzer(this, "access-analyzer", { analyzerName: `${p.name}-organization`, type: "ORGANIZATION" });

    if (this.spec.primary) {
      const role = new IamRole(this, "config-aggregator-role", {
        name: `${p.name}-config-aggregator`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          // Only AWS Config acting for this account's aggregator (the confused-deputy guard).
          Statement: [{ Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": p.accounts.security.id } } }],
        }),
      });
      new IamRolePolicyAttachment(this, "config-aggregator-policy", {
        role: role.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations",
      });
      // One aggregator over all regions, so it lives in the primary region only.
      new ConfigConfigurationAggregator(this, "config-aggregator", {
        name: `${p.name}-organization`,
        organizationAggregationSource: { allRegions: true, roleArn: role.arn },
      });
    }

    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(p, region), accountGlobal: this.spec.primary === true });
  }
}
