import { bastionRoleName, teamRoleName } from "./access";
import type { Platform } from "../config/schema";

/*
 * The organization's guardrail policies as plain data: the organization stack wraps each in an
 * `aws_organizations_policy` and attaches it to every workload OU (organizationPolicies) or to
 * the platform OU (platformPolicies). Kept free of cdktf so the
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

/** Role name patterns of the pipeline: only StackSets execution and break glass may change them. */
export const PIPELINE_ROLE_NAMES = ["tfc-*", "stacksets-exec-*", BREAK_GLASS_ROLE] as const;

/** Role name patterns of the human access path: the pipeline creates them, nobody else changes them. */
export const PEOPLE_ROLE_NAMES = [teamRoleName("*"), bastionRoleName("*")] as const;

/** Roles only the platform may change (both groups above). */
export const PROTECTED_ROLE_NAMES = [...PIPELINE_ROLE_NAMES, ...PEOPLE_ROLE_NAMES] as const;

/** The break-glass role in any member account. */
export const BREAK_GLASS_ARN = `arn:aws:iam::*:role/${BREAK_GLASS_ROLE}`;

/**
 * Principals that may change what the guardrails protect: the Terraform Cloud roles (they run
 * reviewed platform code and apply the account baseline), the break-glass role, and
 * StackSets execution. Every human role is outside this list.
 */
export const PLATFORM_PRINCIPAL_ARNS = [
  "arn:aws:iam::*:role/tfc-*",
  BREAK_GLASS_ARN,
  "arn:aws:iam::*:role/stacksets-exec-*",
] as const;

/**
 * Who may change the pipeline's own roles (`tfc-*`, StackSets execution, break glass): the
 * StackSet that creates the Terraform Cloud roles, and break glass. A `tfc-*` exemption here
 * would let any apply role rewrite another role's trust and assume it.
 */
export const PIPELINE_ROLE_MANAGERS = ["arn:aws:iam::*:role/stacksets-exec-*", BREAK_GLASS_ARN] as const;

/**
 * Services that are global or homed in us-east-1; denying them outside the allowed regions
 * would break IAM, Organizations, support and billing. The list follows AWS's published
 * region-restriction example, without KMS: keys live in the platform's regions only.
 */
export const GLOBAL_SERVICE_ACTIONS = [
  "account:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*",
  "budgets:*", "ce:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*",
  "ec2:DescribeRegions", "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*",
  "globalaccelerator:*", "health:*", "iam:*", "networkmanager:*", "organizations:*",
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
  "securityhub:BatchDisableStandards", "securityhub:BatchUpdateStandardsControlAssociations", "securityhub:DeleteMembers",
  "securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount", "securityhub:DisassociateFromMasterAccount",
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

/**
 * What a service's stack builds and retires and nobody else may touch: the flow logs, the
 * Transit Gateway attachment, and the registries' push restriction (a repository policy).
 */
export const PIPELINE_ONLY_ACTIONS = [
  "ec2:DeleteFlowLogs", "ec2:DeleteTransitGatewayVpcAttachment", "ec2:ModifyTransitGatewayVpcAttachment",
  "ecr:DeleteRepositoryPolicy", "ecr:SetRepositoryPolicy",
] as const;

/**
 * All egress goes through the central egress VPC: no internet gateway, no default VPC, and
 * none of the other ways out (peering, VPN, Lightsail, which has networking of its own).
 */
export const INTERNET_PATH_ACTIONS = [
  "ec2:AcceptVpcPeeringConnection", "ec2:AttachInternetGateway", "ec2:AttachVpnGateway", "ec2:CreateCustomerGateway",
  "ec2:CreateDefaultSubnet", "ec2:CreateDefaultVpc", "ec2:CreateEgressOnlyInternetGateway", "ec2:CreateInternetGateway",
  "ec2:CreateVpcPeeringConnection", "ec2:CreateVpnConnection", "ec2:CreateVpnGateway", "lightsail:*",
] as const;

/** No long-lived credentials: people come through the bastion, machines through OIDC and roles. */
export const IAM_USER_ACTIONS = ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateUser"] as const;

/** Changes to a role: creating one with a protected name counts, so nobody can squat on it. */
export const ROLE_CHANGE_ACTIONS = [
  "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
  "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription",
] as const;

/** Disabling or deleting a key; only break glass may, and only on the log archive's keys is it enforced by SCP. */
export const KEY_DESTRUCTION_ACTIONS = ["kms:DisableKey", "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion"] as const;

const notPlatform = { ArnNotLike: { "aws:PrincipalArn": PLATFORM_PRINCIPAL_ARNS } };
const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const roleArns = (names: readonly string[]) => names.map((n) => `arn:aws:iam::*:role/${n}`);

function regionAllowList(platform: Platform): OrganizationPolicy {
  return {
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
  };
}

/** Statements every account of the organization gets: stay, no root, no IAM users, pipeline and people roles unchanged. */
function accountProtection(): PolicyStatement[] {
  return [
    { Sid: "DenyLeavingTheOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
    { Sid: "DenyRootUser", Effect: "Deny", Action: "*", Resource: "*", Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:root" } } },
    { Sid: "DenyIamUsersAndKeys", Effect: "Deny", Action: IAM_USER_ACTIONS, Resource: "*" },
    {
      Sid: "DenyChangesToPipelineRoles",
      Effect: "Deny",
      Action: ROLE_CHANGE_ACTIONS,
      Resource: roleArns(PIPELINE_ROLE_NAMES),
      Condition: { ArnNotLike: { "aws:PrincipalArn": PIPELINE_ROLE_MANAGERS } },
    },
    {
      Sid: "DenyChangesToPeopleRoles",
      Effect: "Deny",
      Action: ROLE_CHANGE_ACTIONS,
      Resource: roleArns(PEOPLE_ROLE_NAMES),
      Condition: notPlatform,
    },
  ];
}

/** The SCPs and RCPs attached to every workload OU, in a fixed order. */
export function organizationPolicies(platform: Platform): OrganizationPolicy[] {
  return [
    regionAllowList(platform),
    {
      key: "security-baseline",
      type: "SERVICE_CONTROL_POLICY",
      description: "Keeps the organization's security services, the account baseline and the egress path as the platform set them",
      document: doc(
        { Sid: "DenyChangesToSecurityServices", Effect: "Deny", Action: SECURITY_SERVICE_ACTIONS, Resource: "*" },
        { Sid: "DenyChangesToAccountBaseline", Effect: "Deny", Action: ACCOUNT_BASELINE_ACTIONS, Resource: "*", Condition: notPlatform },
        { Sid: "DenyChangesOnlyThePipelineMakes", Effect: "Deny", Action: PIPELINE_ONLY_ACTIONS, Resource: "*", Condition: notPlatform },
        { Sid: "DenyWaysAroundTheEgressPath", Effect: "Deny", Action: INTERNET_PATH_ACTIONS, Resource: "*" },
        {
          Sid: "DenyEndpointsToOutsideServices",
          Effect: "Deny",
          Action: "ec2:CreateVpcEndpoint",
          Resource: "arn:aws:ec2:*:*:vpc-endpoint/*",
          // Interface endpoints reach AWS's own services only; a PrivateLink service of another account needs a reviewed exception.
          Condition: { StringNotEquals: { "ec2:VpceServiceOwner": ["amazon"] } },
        },
      ),
    },
    {
      key: "account-protection",
      type: "SERVICE_CONTROL_POLICY",
      description: "Keeps accounts in the organization, the root user idle, no IAM users, and the platform's roles unchanged",
      document: doc(...accountProtection()),
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

/**
 * The SCPs of the platform OU (log archive, security, network, cluster and bastion accounts):
 * the region allow list, and the protections that fit accounts which run the platform itself.
 * The security services may be changed only by the security account's own pipeline
 * (`tfc-apply-security-*`), the log archive's keys disabled or deleted only by break glass; the
 * network account keeps its internet gateway (the egress VPC), so the egress rules of the
 * workload OUs are not attached here.
 */
export function platformPolicies(platform: Platform): OrganizationPolicy[] {
  const securityPipeline = `arn:aws:iam::${platform.accounts.security.id}:role/tfc-apply-security-*`;
  return [
    regionAllowList(platform),
    {
      key: "platform-protection",
      type: "SERVICE_CONTROL_POLICY",
      description: "Keeps the platform accounts in the organization, their security services, baseline, roles and log keys as the platform set them",
      document: doc(
        ...accountProtection(),
        {
          Sid: "DenySecurityServiceChangesOutsideTheSecurityPipeline",
          Effect: "Deny",
          Action: SECURITY_SERVICE_ACTIONS,
          Resource: "*",
          Condition: { ArnNotLike: { "aws:PrincipalArn": [securityPipeline, BREAK_GLASS_ARN] } },
        },
        { Sid: "DenyChangesToAccountBaseline", Effect: "Deny", Action: ACCOUNT_BASELINE_ACTIONS, Resource: "*", Condition: notPlatform },
        {
          Sid: "DenyLogKeyDestructionExceptBreakGlass",
          Effect: "Deny",
          Action: KEY_DESTRUCTION_ACTIONS,
          Resource: `arn:aws:kms:*:${platform.accounts.logArchive.id}:key/*`,
          Condition: { ArnNotLike: { "aws:PrincipalArn": BREAK_GLASS_ARN } },
        },
      ),
    },
  ];
}
