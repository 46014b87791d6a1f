import type { OrganizationModel, ServiceModel } from "../config/model";
import { ciRoleName, teamRoleName, workloadRoleName } from "../plan/access";
import { terraformCloudSubject } from "../plan/cluster";
import { roleName as tfcRoleName, TFC_AWS_AUDIENCE, workspaceSubject } from "../plan/oidc";
import { originalKey, planStacks } from "../plan/stack-plan";
import { teamAccessLevel, teamBoundaryArn, teamProjectName, teamWorkspaceName, teamWorkspaceRoleName } from "../plan/team-access";
import type { AccessCase } from "./cases";
import { serviceAccountId } from "./render";

/*
 * The service team's powers in its own account, and the fence around them (lib/plan/team-access.ts):
 * what the team role may build at its level, what no principal under the permissions boundary may
 * do (including roles the team creates), and the team-owned workspace's two roles.
 */

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
/** A region outside every allow list. */
const OUTSIDE_REGION = "sa-east-1";
const FENCE = "team escapes its permissions boundary";

/** Every team case of one active service. */
export function teamCases(model: OrganizationModel, s: ServiceModel, add: (c: AccessCase) => void): void {
  const p = model.platform;
  const A = serviceAccountId(originalKey(s));
  const name = s.key;
  const r0 = s.regions[0]!;
  const role = (account: string, n: string) => `arn:aws:iam::${account}:role/${n}`;
  const team = role(A, teamRoleName(s.key));
  const boundary = teamBoundaryArn(A);
  const level = teamAccessLevel(s);
  const specs = planStacks(model);
  const platformWs = specs.find((x) => x.service === s.key && x.primary)!.name;
  const other = model.services.find((o) => o.key !== s.key && !o.retired);

  const build: Array<[string, string, string, string]> = [
    ["create-rds", "create an RDS instance", "rds:CreateDBInstance", `arn:aws:rds:${r0}:${A}:db:${name}-db`],
    ["create-bucket", "create an S3 bucket", "s3:CreateBucket", `arn:aws:s3:::${name}-data-${A}`],
    ["create-queue", "create an SQS queue", "sqs:CreateQueue", `arn:aws:sqs:${r0}:${A}:${name}-jobs`],
  ];
  const newRole = role(A, `${name}-app`);
  const withBoundary = { "iam:PermissionsBoundary": boundary };

  // The team role at its level.
  if (level === "admin") {
    for (const [id, what, action, resource] of build) {
      add({ id: `team/${name}/${id}`, kind: "team role", claim: `${what} in its account (admin level)`, principal: team, action, resource, resourceAccount: A, expect: "allow" });
    }
    add({ id: `team/${name}/create-bounded-role`, kind: "team role", claim: "create a role with the permissions boundary (admin level)", principal: team, action: "iam:CreateRole", resource: newRole, context: withBoundary, expect: "allow" });
    add({ id: `team/${name}/attach-workload-policy`, kind: "team role", claim: "grant its workload role what the workload needs (admin level)", principal: team, action: "iam:PutRolePolicy", resource: role(A, workloadRoleName(s.key)), expect: "allow" });
  } else {
    add({ id: `team/${name}/operator-reboot-db`, kind: "team role", claim: "reboot a database, scale a service, start a session (operator level, prod)", principal: team, action: "rds:RebootDBInstance", resource: `arn:aws:rds:${r0}:${A}:db:${name}-db`, expect: "allow" });
    add({ id: `team/${name}/operator-create-rds`, kind: "team role", claim: "create infrastructure directly (operator level, prod: through its workspace instead)", principal: team, action: "rds:CreateDBInstance", resource: `arn:aws:rds:${r0}:${A}:db:${name}-db`, expect: "deny" });
  }

  // The fence, for the team role and for a role the team created (AdministratorAccess under the boundary).
  const fenced: Array<["team" | "created", Pick<AccessCase, "principal" | "identityPolicyArns" | "permissionsBoundaryArn">]> = [
    ["team", { principal: team }],
    ["created", { principal: newRole, identityPolicyArns: [ADMIN], permissionsBoundaryArn: boundary }],
  ];
  const ec2 = (type: string, region = r0) => `arn:aws:ec2:${region}:${A}:${type}`;
  for (const [who, principal] of fenced) {
    const deny = (id: string, what: string, action: string, resource: string, context?: AccessCase["context"], resourceAccount?: string) => add({
      // One claim for every row of a created role: the table says it once, the proofs check each.
      id: `team/${name}/${who}/${id}`, kind: "team role", claim: who === "team" ? what : "let an administrator role it creates do any of these (it carries the same boundary)", ...principal, action, resource,
      ...(resourceAccount ? { resourceAccount } : {}), ...(context ? { context } : {}), expect: "deny", weakness: FENCE,
    });
    deny("unbounded-role", "create a role without the permissions boundary", "iam:CreateRole", role(A, `${name}-unbounded`));
    deny("other-boundary", "create a role under another boundary", "iam:CreateRole", role(A, `${name}-unbounded`), { "iam:PermissionsBoundary": `arn:aws:iam::${A}:policy/wide-open` });
    deny("remove-boundary", "remove a role's permissions boundary", "iam:DeleteRolePermissionsBoundary", newRole);
    deny("edit-boundary", "rewrite the permissions boundary", "iam:CreatePolicyVersion", boundary);
    deny("internet-gateway", "create an internet gateway", "ec2:CreateInternetGateway", ec2("internet-gateway/*"));
    deny("flow-logs", "delete VPC flow logs", "ec2:DeleteFlowLogs", ec2("vpc-flow-log/fl-1"));
    deny("tgw-attachment", "modify the Transit Gateway attachment", "ec2:ModifyTransitGatewayVpcAttachment", ec2("transit-gateway-attachment/tgw-attach-1"));
    deny("cloudtrail", "stop CloudTrail", "cloudtrail:StopLogging", `arn:aws:cloudtrail:${r0}:${A}:trail/any`);
    deny("guardduty", "delete the GuardDuty detector", "guardduty:DeleteDetector", `arn:aws:guardduty:${r0}:${A}:detector/d1`);
    deny("config", "stop AWS Config", "config:StopConfigurationRecorder", "*", undefined, A);
    deny("platform-role", "rewrite a platform role's trust (tfc-apply)", "iam:UpdateAssumeRolePolicy", role(A, tfcRoleName(platformWs, "apply")));
    deny("pass-platform-role", "pass a platform role to a service (tfc-apply)", "iam:PassRole", role(A, tfcRoleName(platformWs, "apply")));
    deny("own-team-role", "widen the team role itself", "iam:AttachRolePolicy", team);
    deny("ci-role", "change the CI role", "iam:PutRolePolicy", role(A, ciRoleName(s.key)));
    deny("other-region", "build outside the platform's regions", "sqs:CreateQueue", `arn:aws:sqs:${OUTSIDE_REGION}:${A}:${name}-jobs`);
    if (other) {
      const B = serviceAccountId(originalKey(other));
      deny("other-account", "act in another service's account", "sqs:CreateQueue", `arn:aws:sqs:${r0}:${B}:${name}-jobs`, undefined, B);
      deny("other-team-role", "assume another service's team role", "sts:AssumeRole", role(B, teamRoleName(other.key)));
    }
  }

  // The team-owned workspace's roles.
  if (!s.infrastructure) return;
  const ws = teamWorkspaceName(s.key);
  const provider = `arn:aws:iam::${A}:oidc-provider/app.terraform.io`;
  const subject = (workspace: string, phase: "plan" | "apply", project = teamProjectName(p)) => workspaceSubject(p.terraformCloud.organization, project, workspace, phase);
  const plan = role(A, teamWorkspaceRoleName(s.key, "plan"));
  const apply = role(A, teamWorkspaceRoleName(s.key, "apply"));
  const kind = "team workspace role" as const;
  const token = (sub: string) => ({ "app.terraform.io:aud": TFC_AWS_AUDIENCE, "app.terraform.io:sub": sub });
  for (const [phase, target] of [["plan", plan], ["apply", apply]] as const) {
    add({ id: `team-ws/${name}/${phase}/own-token`, kind, claim: "be assumed with its own workspace's token of the same phase", principal: provider, action: "sts:AssumeRoleWithWebIdentity", resource: target, context: token(subject(ws, phase)), expect: "allow" });
    add({ id: `team-ws/${name}/${phase}/other-phase`, kind, claim: "be assumed with its own workspace's token of the other phase", principal: provider, action: "sts:AssumeRoleWithWebIdentity", resource: target, context: token(subject(ws, phase === "plan" ? "apply" : "plan")), expect: "deny" });
    add({ id: `team-ws/${name}/${phase}/platform-token`, kind, claim: "be assumed with the token of the platform's workspace for the same account", principal: provider, action: "sts:AssumeRoleWithWebIdentity", resource: target, context: token(terraformCloudSubject(p, platformWs, phase)), expect: "deny" });
  }
  add({ id: `team-ws/${name}/platform-apply-untouched`, kind, claim: "be the platform's apply role for the account (the platform's workspace keeps its own)", principal: provider, action: "sts:AssumeRoleWithWebIdentity", resource: role(A, tfcRoleName(platformWs, "apply")), context: token(subject(ws, "apply")), expect: "deny" });
  add({ id: `team-ws/${name}/plan/read-metadata`, kind, claim: "plan: read resource metadata", principal: plan, action: "ec2:DescribeVpcs", resource: "*", resourceAccount: A, expect: "allow" });
  add({ id: `team-ws/${name}/plan/create`, kind, claim: "plan: change anything (create an SQS queue)", principal: plan, action: "sqs:CreateQueue", resource: `arn:aws:sqs:${r0}:${A}:${name}-jobs`, expect: "deny" });
  add({ id: `team-ws/${name}/plan/read-data`, kind, claim: "plan: read data (S3 objects)", principal: plan, action: "s3:GetObject", resource: `arn:aws:s3:::${name}-data-${A}/object`, resourceAccount: A, expect: "deny" });
  for (const [id, what, action, resource] of build) {
    add({ id: `team-ws/${name}/apply/${id}`, kind, claim: `apply: ${what}`, principal: apply, action, resource, resourceAccount: A, expect: "allow" });
  }
  add({ id: `team-ws/${name}/apply/create-bounded-role`, kind, claim: "apply: create a role with the permissions boundary", principal: apply, action: "iam:CreateRole", resource: newRole, context: withBoundary, expect: "allow" });
  const fence = (id: string, what: string, action: string, resource: string) => add({ id: `team-ws/${name}/apply/${id}`, kind, claim: `apply: ${what}`, principal: apply, action, resource, resourceAccount: A, expect: "deny", weakness: FENCE });
  fence("unbounded-role", "create a role without the permissions boundary", "iam:CreateRole", role(A, `${name}-unbounded`));
  fence("remove-boundary", "remove its own permissions boundary", "iam:DeleteRolePermissionsBoundary", apply);
  fence("rewrite-own-trust", "rewrite its own trust", "iam:UpdateAssumeRolePolicy", apply);
  fence("internet-gateway", "create an internet gateway", "ec2:CreateInternetGateway", ec2("internet-gateway/*"));
  fence("flow-logs", "delete VPC flow logs", "ec2:DeleteFlowLogs", ec2("vpc-flow-log/fl-1"));
  fence("platform-role", "rewrite a platform role's trust (tfc-apply)", "iam:UpdateAssumeRolePolicy", role(A, tfcRoleName(platformWs, "apply")));
}
