import type { Platform } from "../config/schema";
import { ciRoleName } from "./access";
import {
  ACCOUNT_BASELINE_ACTIONS, GLOBAL_SERVICE_ACTIONS, IAM_USER_ACTIONS, INTERNET_PATH_ACTIONS, PIPELINE_ONLY_ACTIONS,
  PROTECTED_ROLE_NAMES, ROLE_CHANGE_ACTIONS, SECURITY_SERVICE_ACTIONS, type PolicyDocument,
} from "./organization-policies";
import { OIDC_STACK_SET_NAME, TFC_OIDC_HOST } from "./oidc";

/*
 * What a service team may do in its own account, as plain data: the permissions boundary that
 * fences the team role and every role the team creates, the team role's level per environment,
 * and the names of the team-owned Terraform workspace and its roles. The service stack, the
 * accounts shard and the access proofs all read these, so the names are the contract.
 *
 * The fence is self-propagating: a principal under the boundary can create or re-bound a role
 * only with this same boundary (`iam:PermissionsBoundary`), cannot remove it, and cannot edit
 * the boundary policy, so nothing the team builds can hold more power than the team.
 */

/** Name of the permissions boundary policy in every service account. */
export const TEAM_BOUNDARY_NAME = "team-boundary";

/** ARN of the boundary in an account (the account may be a Terraform expression). */
export function teamBoundaryArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/${TEAM_BOUNDARY_NAME}`;
}

/**
 * How much the team role may do:
 * - `admin`: build and run the service's infrastructure (AdministratorAccess), inside the boundary;
 * - `operator`: read everything (ReadOnlyAccess) and run what exists (restart, scale, fail over,
 *   snapshot, invoke, open a session), but create, change or delete no infrastructure: that goes
 *   through the team-owned workspace, in reviewed pull requests.
 */
export type TeamAccessLevel = "admin" | "operator";

/** The level of a service's team role: `admin` outside the prod segment, `access.prod` (default `operator`) in it. */
export function teamAccessLevel(service: { readonly segment: string; readonly access?: { readonly prod?: TeamAccessLevel } }): TeamAccessLevel {
  return service.segment === "prod" ? service.access?.prod ?? "operator" : "admin";
}

/** AWS managed policy of each level. */
export const TEAM_LEVEL_POLICY: Readonly<Record<TeamAccessLevel, string>> = {
  admin: "arn:aws:iam::aws:policy/AdministratorAccess",
  operator: "arn:aws:iam::aws:policy/ReadOnlyAccess",
};

/** What an operator does on top of reading: run, restart, scale and recover what exists. */
export const OPERATOR_ACTIONS = [
  "autoscaling:SetDesiredCapacity", "cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions", "cloudwatch:SetAlarmState",
  "ec2:RebootInstances", "ec2:StartInstances", "ec2:StopInstances", "ecs:StopTask", "ecs:UpdateService",
  "eks:UpdateNodegroupConfig", "elasticache:RebootCacheCluster", "elasticache:TestFailover", "lambda:InvokeFunction",
  "logs:GetQueryResults", "logs:StartQuery", "logs:StopQuery", "rds:CreateDBClusterSnapshot", "rds:CreateDBSnapshot",
  "rds:FailoverDBCluster", "rds:RebootDBCluster", "rds:RebootDBInstance", "rds:StartDBCluster", "rds:StartDBInstance",
  "rds:StopDBCluster", "rds:StopDBInstance", "sqs:StartMessageMoveTask", "ssm:ResumeSession", "ssm:StartSession",
  "ssm:TerminateSession",
] as const;

/** The operator's inline policy (next to ReadOnlyAccess). */
export function operatorPolicy(): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Sid: "OperateWhatExists", Effect: "Allow", Action: [...OPERATOR_ACTIONS], Resource: "*" }] };
}

/** Name of a service's team-owned HCP Terraform workspace (VCS-driven, in the teams project). */
export function teamWorkspaceName(serviceKey: string): string {
  return `${serviceKey}-infrastructure`;
}

/**
 * The HCP Terraform project of the team-owned workspaces. Not the platform's project: the
 * organization-wide SaaS tokens are variable sets of that project, and a team's own Terraform
 * must never see them.
 */
export function teamProjectName(platform: Platform): string {
  return `${platform.terraformCloud.project}-teams`;
}

/**
 * Names of the team workspace's roles in the service account. Not `tfc-*` (the guardrails
 * exempt those as platform principals) and not `team-*` (the bastion-only RCP): `infra-*`,
 * protected like the platform's roles.
 */
export function teamWorkspaceRoleName(serviceKey: string, phase: "plan" | "apply"): string {
  return `infra-${phase}-${serviceKey}`;
}

/** Every team workspace role, for the guardrails that protect them. */
export const TEAM_WORKSPACE_ROLE_NAMES = "infra-*";

/** Role name patterns the team cannot change, pass or squat on, in addition to the platform's. */
export const TEAM_PROTECTED_ROLE_NAMES = [...PROTECTED_ROLE_NAMES, ciRoleName("*"), TEAM_WORKSPACE_ROLE_NAMES] as const;

/** OIDC providers the platform's trust depends on (HCP Terraform, GitHub Actions for CI). */
const PLATFORM_OIDC_PROVIDERS = [TFC_OIDC_HOST, "token.actions.githubusercontent.com"];

const OIDC_PROVIDER_CHANGES = [
  "iam:AddClientIDToOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint",
];
const POLICY_CHANGES = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"];

/**
 * The permissions boundary of the team role, the team workspace's roles, the workload role and
 * every role the team creates. It allows what the identity allows, except: regions outside the
 * platform's list; a role without this boundary, or removing it; editing the boundary; the
 * platform's roles (`tfc-*`, StackSets execution, break glass, `team-*`, `developer-*`, `ci-*`,
 * `infra-*`) and OIDC providers; the account baseline, the security services, flow logs, the
 * Transit Gateway attachment, ways around the egress path, IAM users and the trust StackSet's
 * stack. Most of these are also SCPs; the boundary repeats them so the fence holds on its own.
 */
export function teamBoundary(platform: Platform, accountId: string): PolicyDocument {
  const boundary = teamBoundaryArn(accountId);
  const roles = TEAM_PROTECTED_ROLE_NAMES.map((n) => `arn:aws:iam::${accountId}:role/${n}`);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AllowWhatTheIdentityAllows", Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "DenyRegionsOutsideTheAllowList", Effect: "Deny", NotAction: GLOBAL_SERVICE_ACTIONS, Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": platform.regions } } },
      // Missing key counts as not equal: a role created without any boundary is refused too.
      { Sid: "DenyRolesWithoutThisBoundary", Effect: "Deny", Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"], Resource: "*", Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundary } } },
      { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], Resource: "*" },
      { Sid: "DenyEditingThisBoundary", Effect: "Deny", Action: POLICY_CHANGES, Resource: boundary },
      { Sid: "DenyPlatformRoles", Effect: "Deny", Action: [...ROLE_CHANGE_ACTIONS, "iam:PassRole"], Resource: roles },
      { Sid: "DenyPlatformOidcProviders", Effect: "Deny", Action: OIDC_PROVIDER_CHANGES, Resource: PLATFORM_OIDC_PROVIDERS.map((h) => `arn:aws:iam::${accountId}:oidc-provider/${h}`) },
      { Sid: "DenyBaselineAndSecurityServices", Effect: "Deny", Action: [...ACCOUNT_BASELINE_ACTIONS, ...SECURITY_SERVICE_ACTIONS], Resource: "*" },
      {
        Sid: "DenyNetworkAttachmentAndFlowLogs",
        Effect: "Deny",
        Action: [...PIPELINE_ONLY_ACTIONS, "ec2:AcceptTransitGatewayVpcAttachment", "ec2:CreateTransitGatewayVpcAttachment"],
        Resource: "*",
      },
      { Sid: "DenyWaysAroundTheEgressPath", Effect: "Deny", Action: [...INTERNET_PATH_ACTIONS, ...IAM_USER_ACTIONS], Resource: "*" },
      { Sid: "DenyTheTrustStack", Effect: "Deny", Action: "cloudformation:*", Resource: `arn:aws:cloudformation:*:${accountId}:stack/StackSet-${OIDC_STACK_SET_NAME}-*` },
    ],
  };
}
