import { bastionRoleName, teamRoleName } from "./access";
import type { Platform } from "../config/schema";

/*
 * The organization's guardrail policies as plain data: the organization stack wraps each in an
 * `aws_organizations_policy` and attaches it to every workload OU. Kept free of cdktf so the
 * statements can be read, reviewed and tested as the JSON AWS will enforce.
 *
 * AWS allows 5 SCPs per target (FullAWSAccess is one), 5,120 characters each; the statements
 * are grouped into three SCPs and one RCP so a slot stays free.
 */

/** An IAM policy document (the subset these policies use). */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*";
  readonly Action?: string | readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface OrganizationPolicy {
  /** Stable key: construct ids and policy names derive from it. */
  readonly key: string;
  readonly type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";
  readonly description: string;
  readonly document: PolicyDocument;
}

/**
 * The break-glass role: the access role AWS Organizations creates in every member account,
 * assumable only from the management account. It is the one principal the log archive's keys
 * and buckets and the platform guardrails exempt; every use is an `AssumeRole` event in the
 * organization trail (README "Break glass").
 */
export const BREAK_GLASS_ROLE = "OrganizationAccountAccessRole";

/** The only workflow file of a service repository whose runs may assume the service's CI role. */
export const RELEASE_WORKFLOW = ".github/workflows/release.yml";

/**
 * Roles only the platform may change, as IAM name patterns: the Terraform Cloud roles of the
 * account bootstrap (`tfc-*`), the management account's access role, the roles of the human
 * access path, and the execution roles of service-managed StackSets.
 */
export const PROTECTED_ROLE_NAMES = [
  "tfc-*",
  "OrganizationAccountAccessRole",
  "stacksets-exec-*",
  teamRoleName("*"),
  bastionRoleName("*"),
] as const;

/**
 * Principals that may change what the guardrails protect: the Terraform Cloud roles (they run
 * reviewed platform code and apply the account baseline), the break-glass access role, and
 * StackSets execution. Every human role is outside this list.
 */
export const PLATFORM_PRINCIPAL_ARNS = [
  "arn:aws:iam::*:role/tfc-*",
  "arn:aws:iam::*:role/OrganizationAccountAccessRole",
  "arn:aws:iam::*:role/stacksets-exec-*",
] as const;

/**
 * Services that are global or homed in us-east-1; denying them outside the allowed regions
 * would break IAM, Organizations, support and billing. The list follows AWS's published
 * region-restriction example.
 */
export const GLOBAL_SERVICE_ACTIONS = [
  "account:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*",
  "budgets:*", "ce:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*",
  "ec2:DescribeRegions", "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*",
  "globalaccelerator:*", "health:*", "iam:*", "kms:*", "networkmanager:*", "organizations:*",
  "pricing:*", "route53:*", "route53domains:*", "route53-recovery-cluster:*",
  "route53-recovery-control-config:*", "route53-recovery-readiness:*", "s3:GetAccountPublic*",
  "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints", "s3:PutAccountPublic*", "shield:*",
  "sts:*", "support:*", "trustedadvisor:*", "waf-regional:*", "waf:*", "wafv2:*", "wellarchitected:*",
] as const;

/** Organization-level security services a member account must not stop, delete or reconfigure. */
export const SECURITY_SERVICE_ACTIONS = [
  "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
  "cloudtrail:StopLogging", "cloudtrail:UpdateTrail",
  "guardduty:CreateFilter", "guardduty:CreateIPSet", "guardduty:DeleteDetector", "guardduty:DeleteMembers",
  "guardduty:DeletePublishingDestination", "guardduty:DisassociateFromAdministratorAccount",
  "guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateMembers", "guardduty:StopMonitoringMembers",
  "guardduty:UpdateDetector", "guardduty:UpdateFilter", "guardduty:UpdateIPSet", "guardduty:UpdatePublishingDestination",
  "securityhub:BatchDisableStandards", "securityhub:DeleteMembers", "securityhub:DisableSecurityHub",
  "securityhub:DisassociateFromAdministratorAccount", "securityhub:DisassociateFromMasterAccount",
  "securityhub:DisassociateMembers", "securityhub:UpdateSecurityHubConfiguration", "securityhub:UpdateStandardsControl",
  "access-analyzer:ApplyArchiveRule", "access-analyzer:CreateArchiveRule", "access-analyzer:DeleteAnalyzer",
  "access-analyzer:UpdateArchiveRule",
] as const;

/**
 * Settings of the account baseline (AWS Config, EBS default encryption, S3 account public access
 * block). The account's own Terraform Cloud role applies them, so platform principals are exempt.
 * `s3:PutAccountPublicAccessBlock` also authorizes deleting the block.
 */
export const ACCOUNT_BASELINE_ACTIONS = [
  "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:DeleteRetentionConfiguration",
  "config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:PutRetentionConfiguration",
  "config:StopConfigurationRecorder",
  "ec2:DisableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId",
  "s3:PutAccountPublicAccessBlock",
] as const;

/** All egress goes through the central egress VPC: no internet gateway, no default VPC. */
export const INTERNET_PATH_ACTIONS = [
  "ec2:AttachInternetGateway", "ec2:CreateDefaultSubnet", "ec2:CreateDefaultVpc",
  "ec2:CreateEgressOnlyInternetGateway", "ec2:CreateInternetGateway",
] as const;

/** Changes to a role: creating one with a protected name counts, so nobody can squat on it. */
export const ROLE_CHANGE_ACTIONS = [
  "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
  "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription",
] as const;

const notPlatform = { ArnNotLike: { "aws:PrincipalArn": PLATFORM_PRINCIPAL_ARNS } };

/** The SCPs and RCPs attached to every workload OU, in a fixed order. */
export function organizationPolicies(platform: Platform): OrganizationPolicy[] {
  const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
  return [
    {
      key: "region-allow-list",
      type: "SERVICE_CONTROL_POLICY",
      description: "Denies every regional action outside the platform's regions",
      document: doc({
        Sid: "DenyRegionsOutsideTheAllowList",
        Effect: "Deny",
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: "*",
        Condition: { StringNotEquals: { "aws:RequestedRegion": platform.regions } },
      }),
    },
    {
      key: "security-baseline",
      type: "SERVICE_CONTROL_POLICY",
      description: "Keeps the organization's security services, the account baseline and the egress path as the platform set them",
      document: doc(
        { Sid: "DenyChangesToSecurityServices", Effect: "Deny", Action: SECURITY_SERVICE_ACTIONS, Resource: "*" },
        { Sid: "DenyChangesToAccountBaseline", Effect: "Deny", Action: ACCOUNT_BASELINE_ACTIONS, Resource: "*", Condition: notPlatform },
        { Sid: "DenyInternetGatewaysAndDefaultVpcs", Effect: "Deny", Action: INTERNET_PATH_ACTIONS, Resource: "*" },
      ),
    },
    {
      key: "account-protection",
      type: "SERVICE_CONTROL_POLICY",
      description: "Keeps accounts in the organization, the root user idle and the platform's roles unchanged",
      document: doc(
        { Sid: "DenyLeavingTheOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
        { Sid: "DenyRootUser", Effect: "Deny", Action: "*", Resource: "*", Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:root" } } },
        {
          Sid: "DenyChangesToPlatformRoles",
          Effect: "Deny",
          Action: ROLE_CHANGE_ACTIONS,
          Resource: PROTECTED_ROLE_NAMES.map((n) => `arn:aws:iam::*:role/${n}`),
          Condition: notPlatform,
        },
      ),
    },
    {
      key: "human-access-from-bastion",
      type: "RESOURCE_CONTROL_POLICY",
      description: "Workload accounts' human-access roles can only be assumed from the bastion account",
      document: doc({
        Sid: "TeamRolesTrustOnlyTheBastion",
        Effect: "Deny",
        Principal: "*",
        // Federation straight into a team role has no principal account, so it is denied too.
        Action: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"],
        Resource: `arn:aws:iam::*:role/${teamRoleName("*")}`,
        Condition: {
          StringNotEqualsIfExists: { "aws:PrincipalAccount": platform.accounts.bastion.id },
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
      }),
    },
  ];
}
