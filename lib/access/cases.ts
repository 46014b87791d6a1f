import { onEks } from "../plan/gke";
import type { OrganizationModel, ServiceModel } from "../config/model";
import { bastionRoleName, ciRoleName, podIdentityRoleName, RELEASE_WORKFLOW, teamRoleName, workloadRoleName } from "../plan/access";
import { namespacesRoleName, terraformCloudSubject } from "../plan/cluster";
import { ecrRepositoryName } from "../config/tenancy";
import { associateRoleName } from "../plan/network";
import { roleName as tfcRoleName, TFC_AWS_AUDIENCE } from "../plan/oidc";
import { originalKey, planStacks } from "../plan/stack-plan";
import { BREAK_GLASS_ROLE } from "../plan/organization-policies";
import { secretArn, serviceAccountId } from "./render";
import { teamCases } from "./team-cases";
import type { Decision } from "./simulate";
import type { World } from "./world";

/*
 * The table of access cases: one row per question "may this principal do this action on this
 * resource, in this context?", with the answer the platform promises. Rows are generated for
 * every service, account, region and segment of the organization, so a new service gets its
 * proofs without anyone writing them. `weakness` names the issue-16 finding a row guards.
 */

/** The kinds of principal the README's security table is organized by. */
export const PRINCIPAL_KINDS = [
  "developer", "team role", "team workspace role", "CI role", "workload role", "plan role", "apply role", "namespace provisioner",
  "segment association role", "AWS service", "other admin in a service account", "other admin in a platform account",
  "break-glass role", "outside account",
] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export interface AccessCase {
  /** Stable, unique: `<kind>/<subject>/<what>`. */
  readonly id: string;
  readonly kind: PrincipalKind;
  /** What is asked, without names ("assume its own service's team role"): the README table's words. */
  readonly claim: string;
  /** Role ARN, federated provider ARN, or AWS service principal. */
  readonly principal: string;
  /** @default - the account in the principal's ARN */
  readonly principalAccount?: string;
  /** Managed policies of a principal the organization does not create (an admin someone else made). @default - none */
  readonly identityPolicyArns?: readonly string[];
  /** Permissions boundary of such a principal. @default - the role's own, if any */
  readonly permissionsBoundaryArn?: string;
  readonly action: string;
  readonly resource: string;
  /** @default - the account in the resource ARN */
  readonly resourceAccount?: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly expect: Decision;
  /** The issue-16 finding this row guards, e.g. "platform accounts under no SCP". @default - none */
  readonly weakness?: string;
}

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
/** An account outside the organization. */
export const OUTSIDE_ACCOUNT = "123456789012";
/** A region outside every allow list (the proofs check the platform does not use it). */
const OUTSIDE_REGION = "sa-east-1";

const W = {
  platformOu: "platform accounts under no SCP or RCP",
  logs: "log archive destroyable by its own admin",
  provisioner: "namespace provisioner can mint an admin role",
  segments: "segment roles cover every attachment",
  scp: "SCP gaps inside workload accounts",
  ecr: "ECR repository policy replaceable",
  plan: "plan roles read data",
  github: "GitHub CI trust accepts any workflow",
  config: "Config aggregator trust without source account",
} as const;

/** Every case for the organization. */
export function accessCases(model: OrganizationModel, world: World): AccessCase[] {
  const p = model.platform;
  const out: AccessCase[] = [];
  const add = (c: AccessCase) => out.push(c);
  const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
  const specs = planStacks(model);
  const tfc = (account: string, workspace: string, phase: "plan" | "apply") => role(account, tfcRoleName(workspace, phase));
  const tfcProvider = (account: string) => `arn:aws:iam::${account}:oidc-provider/app.terraform.io`;
  const adminIn = (account: string) => role(account, "account-admin");

  const services = model.services.filter((s) => !s.retired);
  const devKeys = model.developers.map((d) => d.key);
  for (const s of services) {
    const A = serviceAccountId(originalKey(s));
    const name = s.key;
    const sr0 = s.regions[0]!;
    const primaryWs = specs.find((x) => x.service === s.key && x.primary)!.name;
    const team = role(A, teamRoleName(s.key));
    const owner = s.owners[0]!;
    const stranger = devKeys.find((d) => !s.owners.includes(d));

    // People.
    add({ id: `developer/${owner}/assume-team-${name}`, kind: "developer", claim: "assume the team role of a service they own", principal: role(p.accounts.bastion.id, bastionRoleName(owner)), action: "sts:AssumeRole", resource: team, expect: "allow" });
    if (stranger) add({ id: `developer/${stranger}/assume-team-${name}`, kind: "developer", claim: "assume the team role of a service they do not own", principal: role(p.accounts.bastion.id, bastionRoleName(stranger)), action: "sts:AssumeRole", resource: team, expect: "deny" });
    add({ id: `outside/assume-team-${name}`, kind: "outside account", claim: "assume a team role", principal: role(OUTSIDE_ACCOUNT, "admin"), identityPolicyArns: [ADMIN], action: "sts:AssumeRole", resource: team, expect: "deny" });
    add({ id: `team/${name}/describe-vpcs`, kind: "team role", claim: "read resource metadata in its service's account", principal: team, action: "ec2:DescribeVpcs", resource: "*", resourceAccount: A, expect: "allow" });
    add({ id: `team/${name}/create-user`, kind: "team role", claim: "create an IAM user", principal: team, action: "iam:CreateUser", resource: `arn:aws:iam::${A}:user/someone`, expect: "deny" });
    teamCases(model, s, add);

    // Terraform Cloud identities of the service's primary workspace.
    for (const phase of ["plan", "apply"] as const) {
      add({ id: `${phase}/${name}/own-token`, kind: phase === "plan" ? "plan role" : "apply role", claim: "be assumed with its own workspace's token", principal: tfcProvider(A), action: "sts:AssumeRoleWithWebIdentity", resource: tfc(A, primaryWs, phase), context: { "app.terraform.io:aud": TFC_AWS_AUDIENCE, "app.terraform.io:sub": terraformCloudSubject(p, primaryWs, phase) }, expect: "allow" });
      add({ id: `${phase}/${name}/other-token`, kind: phase === "plan" ? "plan role" : "apply role", claim: "be assumed with another workspace's token", principal: tfcProvider(A), action: "sts:AssumeRoleWithWebIdentity", resource: tfc(A, primaryWs, phase), context: { "app.terraform.io:aud": TFC_AWS_AUDIENCE, "app.terraform.io:sub": terraformCloudSubject(p, "workspaces", phase) }, expect: "deny" });
    }
    const plan = tfc(A, primaryWs, "plan");
    add({ id: `plan/${name}/describe-vpcs`, kind: "plan role", claim: "read resource metadata", principal: plan, action: "ec2:DescribeVpcs", resource: "*", resourceAccount: A, expect: "allow" });
    add({ id: `plan/${name}/get-bucket-policy`, kind: "plan role", claim: "read a bucket's policy", principal: plan, action: "s3:GetBucketPolicy", resource: `arn:aws:s3:::${name}-data`, resourceAccount: A, expect: "allow" });
    for (const [action, resource, what] of [
      ["s3:GetObject", `arn:aws:s3:::${name}-data/object`, "S3 objects"],
      ["dynamodb:GetItem", `arn:aws:dynamodb:${sr0}:${A}:table/items`, "DynamoDB items"],
      ["dynamodb:Scan", `arn:aws:dynamodb:${sr0}:${A}:table/items`, "DynamoDB items"],
      ["ssm:GetParameter", `arn:aws:ssm:${sr0}:${A}:parameter/config`, "SSM parameter values"],
      ["secretsmanager:GetSecretValue", secretArn(sr0, A, "app"), "secret values"],
      ["sqs:ReceiveMessage", `arn:aws:sqs:${sr0}:${A}:queue`, "SQS messages"],
    ] as const) {
      add({ id: `plan/${name}/${action.replace(":", "-")}`, kind: "plan role", claim: `read data (${what})`, principal: plan, action, resource, resourceAccount: A, expect: "deny", weakness: W.plan });
    }

    const apply = tfc(A, primaryWs, "apply");
    const admin = adminIn(A);
    const scp = (id: string, claim: string, action: string, resource: string, who: "apply" | "admin", context?: AccessCase["context"]) => add({
      id: `${who === "apply" ? "apply" : "admin"}/${name}/${id}`,
      kind: who === "apply" ? "apply role" : "other admin in a service account",
      claim, principal: who === "apply" ? apply : admin, ...(who === "admin" ? { identityPolicyArns: [ADMIN] } : {}),
      action, resource, resourceAccount: A, ...(context ? { context } : {}), expect: "deny", weakness: W.scp,
    });
    const ec2 = (type: string) => `arn:aws:ec2:${sr0}:${A}:${type}`;
    scp("delete-flow-logs", "delete VPC flow logs", "ec2:DeleteFlowLogs", ec2("vpc-flow-log/fl-1"), "admin");
    scp("delete-tgw-attachment", "delete its Transit Gateway attachment", "ec2:DeleteTransitGatewayVpcAttachment", ec2("transit-gateway-attachment/tgw-attach-1"), "admin");
    scp("modify-tgw-attachment", "modify its Transit Gateway attachment", "ec2:ModifyTransitGatewayVpcAttachment", ec2("transit-gateway-attachment/tgw-attach-1"), "admin");
    scp("securityhub-controls", "disable Security Hub controls (BatchUpdateStandardsControlAssociations)", "securityhub:BatchUpdateStandardsControlAssociations", "*", "apply");
    scp("create-iam-user", "create IAM users", "iam:CreateUser", `arn:aws:iam::${A}:user/someone`, "apply");
    scp("create-access-key", "create access keys", "iam:CreateAccessKey", `arn:aws:iam::${A}:user/someone`, "apply");
    scp("vpc-peering", "create VPC peering (a way around the egress path)", "ec2:CreateVpcPeeringConnection", ec2("vpc-peering-connection/*"), "apply");
    scp("vpn-gateway", "create VPN gateways", "ec2:CreateVpnGateway", ec2("vpn-gateway/*"), "apply");
    scp("outside-endpoint", "create an interface endpoint to a service outside AWS and the organization", "ec2:CreateVpcEndpoint", ec2("vpc-endpoint/*"), "apply", { "ec2:VpceServiceOwner": OUTSIDE_ACCOUNT });
    scp("lightsail", "use Lightsail", "lightsail:CreateInstances", "*", "apply");
    scp("kms-outside-regions", "use KMS outside the platform's regions", "kms:CreateKey", "*", "apply", { "aws:RequestedRegion": OUTSIDE_REGION });
    add({ id: `apply/${name}/aws-endpoint`, kind: "apply role", claim: "create an interface endpoint to an AWS service", principal: apply, action: "ec2:CreateVpcEndpoint", resource: ec2("vpc-endpoint/*"), context: { "ec2:VpceServiceOwner": "amazon" }, expect: "allow" });
    add({ id: `apply/${name}/leave-organization`, kind: "apply role", claim: "leave the organization", principal: apply, action: "organizations:LeaveOrganization", resource: "*", resourceAccount: A, expect: "deny" });
    add({ id: `apply/${name}/create-vpc`, kind: "apply role", claim: "create what its stack declares (a VPC)", principal: apply, action: "ec2:CreateVpc", resource: ec2("vpc/*"), expect: "allow" });

    // Workload identity.
    const workload = role(A, workloadRoleName(s.key));
    // A tenant only on GKE has no AWS workload role (its pods act as its Google service account).
    if (s.kubernetes.tenancy === "dedicated" || onEks(s)) add({ id: `workload/${name}/nothing-granted`, kind: "workload role", claim: "do anything the team did not grant it", principal: workload, action: "s3:ListAllMyBuckets", resource: "*", resourceAccount: A, expect: "deny" });
    if (onEks(s)) {
      add({ id: `workload/${name}/from-own-pods`, kind: "workload role", claim: "be assumed by its own pods' Pod Identity role", principal: role(p.accounts.cluster.id, podIdentityRoleName(s.key, sr0)), action: "sts:AssumeRole", resource: workload, expect: "allow" });
      const other = services.find((o) => o.key !== s.key && onEks(o) && o.regions.includes(sr0));
      if (other) add({ id: `workload/${name}/from-${other.key}-pods`, kind: "workload role", claim: "be assumed by another tenant's pods", principal: role(p.accounts.cluster.id, podIdentityRoleName(other.key, sr0)), action: "sts:AssumeRole", resource: workload, expect: "deny" });
    }

    // Registries and CI.
    if (s.registry?.kind === "ecr" && s.registry.repositories.length > 0) {
      const repo = `arn:aws:ecr:${sr0}:${A}:repository/${ecrRepositoryName(originalKey(s), [...s.registry.repositories].sort()[0]!)}`;
      const ci = role(A, ciRoleName(s.key));
      add({ id: `ci/${name}/push`, kind: "CI role", claim: "push images to its service's repositories", principal: ci, action: "ecr:PutImage", resource: repo, expect: "allow" });
      add({ id: `admin/${name}/push`, kind: "other admin in a service account", claim: "push an image that did not come through CI", principal: admin, identityPolicyArns: [ADMIN], action: "ecr:PutImage", resource: repo, expect: "deny" });
      add({ id: `admin/${name}/set-repository-policy`, kind: "other admin in a service account", claim: "replace a repository's policy", principal: admin, identityPolicyArns: [ADMIN], action: "ecr:SetRepositoryPolicy", resource: repo, expect: "deny", weakness: W.ecr });
      add({ id: `apply/${name}/set-repository-policy`, kind: "apply role", claim: "set a repository's policy (the pipeline)", principal: apply, action: "ecr:SetRepositoryPolicy", resource: repo, expect: "allow" });
      const gh = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;
      const repoName = [...s.githubRepositories].sort()[0];
      if (repoName) {
        const token = (workflow: string) => ({
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": `repo:${p.github.organization}/${repoName}:ref:refs/heads/main`,
          "token.actions.githubusercontent.com:job_workflow_ref": `${p.github.organization}/${repoName}/${workflow}@refs/heads/main`,
        });
        add({ id: `ci/${name}/release-workflow`, kind: "CI role", claim: "be assumed by the release workflow on main", principal: gh, action: "sts:AssumeRoleWithWebIdentity", resource: ci, context: token(RELEASE_WORKFLOW), expect: "allow" });
        add({ id: `ci/${name}/other-workflow`, kind: "CI role", claim: "be assumed by any other workflow on main", principal: gh, action: "sts:AssumeRoleWithWebIdentity", resource: ci, context: token(".github/workflows/anything.yml"), expect: "deny", weakness: W.github });
      }
    }

    // The network: the service's apply roles reach only their own segment's association role.
    for (const r of s.regions) {
      const ws = specs.find((x) => x.service === s.key && x.region === r)!.name;
      const own = role(p.accounts.network.id, associateRoleName(s.segment, r));
      add({ id: `apply/${name}/${r}/assume-segment-role`, kind: "apply role", claim: "assume its own segment's association role", principal: tfc(A, ws, "apply"), action: "sts:AssumeRole", resource: own, expect: world.roles.has(own) ? "allow" : "deny" });
      for (const other of p.network.segments.filter((x) => x !== s.segment)) {
        const theirs = role(p.accounts.network.id, associateRoleName(other, r));
        if (world.roles.has(theirs)) add({ id: `apply/${name}/${r}/assume-${other}-segment-role`, kind: "apply role", claim: "assume another segment's association role", principal: tfc(A, ws, "apply"), action: "sts:AssumeRole", resource: theirs, expect: "deny" });
      }
    }
  }

  segmentCases(model, world, add);
  platformCases(model, world, add);
  provisionerCases(model, world, add);
  return out;
}

/** Each segment's association role touches only attachments tagged with its segment. */
function segmentCases(model: OrganizationModel, world: World, add: (c: AccessCase) => void): void {
  const p = model.platform;
  const net = p.accounts.network.id;
  for (const r of p.regions) {
    for (const seg of p.network.segments) {
      const principal = `arn:aws:iam::${net}:role/${associateRoleName(seg, r)}`;
      if (!world.roles.has(principal)) continue;
      const attachment = `arn:aws:ec2:${r}:${net}:transit-gateway-attachment/tgw-attach-1`;
      const tagged = (segment: string) => ({ "ec2:ResourceTag/segment": segment });
      add({ id: `segment/${seg}/${r}/associate-own`, kind: "segment association role", claim: "associate an attachment of its own segment", principal, action: "ec2:AssociateTransitGatewayRouteTable", resource: attachment, context: tagged(seg), expect: "allow" });
      for (const other of p.network.segments.filter((x) => x !== seg)) {
        add({ id: `segment/${seg}/${r}/associate-${other}`, kind: "segment association role", claim: "associate another segment's attachment", principal, action: "ec2:AssociateTransitGatewayRouteTable", resource: attachment, context: tagged(other), expect: "deny", weakness: W.segments });
        add({ id: `segment/${seg}/${r}/disable-${other}-propagation`, kind: "segment association role", claim: "drop another segment's attachment from a route table", principal, action: "ec2:DisableTransitGatewayRouteTablePropagation", resource: attachment, context: tagged(other), expect: "deny", weakness: W.segments });
      }
    }
  }
}

/** Platform accounts: guardrails that fit each, the log archive sealed, a break-glass path. */
function platformCases(model: OrganizationModel, world: World, add: (c: AccessCase) => void): void {
  const p = model.platform;
  const r0 = p.regions[0]!;
  const specs = planStacks(model);
  const admin = (account: string) => `arn:aws:iam::${account}:role/account-admin`;
  const glass = (account: string) => `arn:aws:iam::${account}:role/${BREAK_GLASS_ROLE}`;
  for (const key of ["logArchive", "security", "network", "cluster", "bastion"] as const) {
    const P = p.accounts[key].id;
    const a = { principal: admin(P), identityPolicyArns: [ADMIN], kind: "other admin in a platform account" as const, weakness: W.platformOu };
    add({ ...a, id: `platform/${key}/leave-organization`, claim: "leave the organization", action: "organizations:LeaveOrganization", resource: "*", resourceAccount: P, expect: "deny" });
    add({ ...a, id: `platform/${key}/delete-guardduty`, claim: "delete the GuardDuty detector", action: "guardduty:DeleteDetector", resource: `arn:aws:guardduty:${r0}:${P}:detector/d1`, expect: "deny" });
    add({ ...a, id: `platform/${key}/delete-analyzer`, claim: "delete the organization analyzer", action: "access-analyzer:DeleteAnalyzer", resource: `arn:aws:access-analyzer:${r0}:${P}:analyzer/${p.name}-organization`, expect: "deny" });
    add({ ...a, id: `platform/${key}/other-region`, claim: "work outside the platform's regions", action: "ec2:RunInstances", resource: `arn:aws:ec2:${OUTSIDE_REGION}:${P}:instance/*`, expect: "deny" });
    const ws = specs.find((s) => s.account === key)!.name;
    add({ ...a, id: `platform/${key}/rewrite-tfc-trust`, claim: "rewrite a Terraform Cloud role's trust", action: "iam:UpdateAssumeRolePolicy", resource: `arn:aws:iam::${P}:role/${tfcRoleName(ws, "apply")}`, expect: "deny" });
    add({ id: `break-glass/${key}/rewrite-tfc-trust`, kind: "break-glass role", claim: "repair a Terraform Cloud role's trust", principal: glass(P), identityPolicyArns: [ADMIN], action: "iam:UpdateAssumeRolePolicy", resource: `arn:aws:iam::${P}:role/${tfcRoleName(ws, "apply")}`, expect: "allow" });
    add({ id: `break-glass/${key}/leave-organization`, kind: "break-glass role", claim: "leave the organization", principal: glass(P), identityPolicyArns: [ADMIN], action: "organizations:LeaveOrganization", resource: "*", resourceAccount: P, expect: "deny", weakness: W.platformOu });
  }
  const bastion = p.accounts.bastion.id;
  const dev = model.developers[0];
  if (dev) {
    add({ id: "platform/bastion/rewrite-developer-trust", kind: "other admin in a platform account", claim: "rewrite a developer role's trust", principal: admin(bastion), identityPolicyArns: [ADMIN], action: "iam:UpdateAssumeRolePolicy", resource: `arn:aws:iam::${bastion}:role/${bastionRoleName(dev.key)}`, expect: "deny", weakness: W.platformOu });
  }
  // The platform's own pipelines keep working under the new guardrails.
  const sec = p.accounts.security.id;
  const secWs = specs.find((s) => s.account === "security" && s.region === r0)!.name;
  add({ id: "apply/security/update-guardduty", kind: "apply role", claim: "configure the security services (security account's pipeline)", principal: `arn:aws:iam::${sec}:role/${tfcRoleName(secWs, "apply")}`, action: "guardduty:UpdateDetector", resource: `arn:aws:guardduty:${r0}:${sec}:detector/d1`, expect: "allow" });
  const netWs = specs.find((s) => s.account === "network" && s.region === r0)!.name;
  add({ id: "apply/network/internet-gateway", kind: "apply role", claim: "create the egress VPC's internet gateway (network account's pipeline)", principal: `arn:aws:iam::${p.accounts.network.id}:role/${tfcRoleName(netWs, "apply")}`, action: "ec2:CreateInternetGateway", resource: `arn:aws:ec2:${r0}:${p.accounts.network.id}:internet-gateway/*`, expect: "allow" });

  // The log archive.
  const L = p.accounts.logArchive.id;
  for (const r of p.regions) {
    const logWs = specs.find((s) => s.account === "logArchive" && s.region === r)!.name;
    const pipeline = `arn:aws:iam::${L}:role/${tfcRoleName(logWs, "apply")}`;
    const key = [...world.resourcePolicies.values()].find((x) => x.kind === "kms" && x.account === L && x.arn.startsWith(`arn:aws:kms:${r}:`));
    const bucket = [...world.resourcePolicies.values()].find((x) => x.kind === "s3" && x.account === L && x.arn.includes(`config-${r}`));
    const l = { weakness: W.logs };
    if (key) {
      for (const [who, principal, kind, ids] of [
        ["admin", admin(L), "other admin in a platform account", [ADMIN]],
        ["pipeline", pipeline, "apply role", undefined],
      ] as const) {
        add({ ...l, id: `logs/${r}/${who}-schedule-key-deletion`, kind, claim: "schedule deletion of a log key", principal, ...(ids ? { identityPolicyArns: ids } : {}), action: "kms:ScheduleKeyDeletion", resource: key.arn, expect: "deny" });
        add({ ...l, id: `logs/${r}/${who}-disable-key`, kind, claim: "disable a log key", principal, ...(ids ? { identityPolicyArns: ids } : {}), action: "kms:DisableKey", resource: key.arn, expect: "deny" });
      }
      add({ ...l, id: `logs/${r}/admin-put-key-policy`, kind: "other admin in a platform account", claim: "rewrite a log key's policy", principal: admin(L), identityPolicyArns: [ADMIN], action: "kms:PutKeyPolicy", resource: key.arn, expect: "deny" });
      add({ id: `logs/${r}/pipeline-put-key-policy`, kind: "apply role", claim: "set a log key's policy (log archive pipeline)", principal: pipeline, action: "kms:PutKeyPolicy", resource: key.arn, expect: "allow" });
      add({ id: `logs/${r}/break-glass-disable-key`, kind: "break-glass role", claim: "disable a log key", principal: glass(L), identityPolicyArns: [ADMIN], action: "kms:DisableKey", resource: key.arn, expect: "allow" });
    }
    if (bucket) {
      add({ ...l, id: `logs/${r}/admin-put-bucket-policy`, kind: "other admin in a platform account", claim: "replace a log bucket's policy", principal: admin(L), identityPolicyArns: [ADMIN], action: "s3:PutBucketPolicy", resource: bucket.arn, resourceAccount: L, expect: "deny" });
      add({ ...l, id: `logs/${r}/admin-rewrite-pipeline-trust`, kind: "other admin in a platform account", claim: "rewrite the log archive pipeline's trust to replace bucket policies", principal: admin(L), identityPolicyArns: [ADMIN], action: "iam:UpdateAssumeRolePolicy", resource: pipeline, expect: "deny" });
      add({ id: `logs/${r}/pipeline-put-bucket-policy`, kind: "apply role", claim: "set a log bucket's policy (log archive pipeline)", principal: pipeline, action: "s3:PutBucketPolicy", resource: bucket.arn, resourceAccount: L, expect: "allow" });
      add({ id: `logs/${r}/break-glass-delete-version`, kind: "break-glass role", claim: "delete a log object version", principal: glass(L), identityPolicyArns: [ADMIN], action: "s3:DeleteObjectVersion", resource: `${bucket.arn}/AWSLogs/x`, resourceAccount: L, expect: "deny" });
      add({ id: `logs/${r}/pipeline-delete-version`, kind: "apply role", claim: "delete a log object version", principal: pipeline, action: "s3:DeleteObjectVersion", resource: `${bucket.arn}/AWSLogs/x`, resourceAccount: L, expect: "deny" });
      add({ id: `logs/${r}/config-delivers`, kind: "AWS service", claim: "deliver AWS Config data from the organization", principal: "config.amazonaws.com", action: "s3:PutObject", resource: `${bucket.arn}/AWSLogs/${serviceAccountId("x")}/Config/x`, resourceAccount: L, context: { "aws:SourceOrgID": world.organizationId, "s3:x-amz-acl": "bucket-owner-full-control" }, expect: "allow" });
      add({ id: `logs/${r}/config-outside-org`, kind: "AWS service", claim: "deliver AWS Config data for an account outside the organization", principal: "config.amazonaws.com", action: "s3:PutObject", resource: `${bucket.arn}/AWSLogs/${OUTSIDE_ACCOUNT}/Config/x`, resourceAccount: L, context: { "aws:SourceOrgID": "o-other", "s3:x-amz-acl": "bucket-owner-full-control" }, expect: "deny" });
    }
  }

  // The Config aggregator's role.
  const aggregator = `arn:aws:iam::${sec}:role/${p.name}-config-aggregator`;
  if (world.roles.has(aggregator)) {
    add({ id: "service/config-aggregator/own-account", kind: "AWS service", claim: "assume the Config aggregator role for the security account", principal: "config.amazonaws.com", action: "sts:AssumeRole", resource: aggregator, context: { "aws:SourceAccount": sec }, expect: "allow" });
    add({ id: "service/config-aggregator/other-account", kind: "AWS service", claim: "assume the Config aggregator role on behalf of another account", principal: "config.amazonaws.com", action: "sts:AssumeRole", resource: aggregator, context: { "aws:SourceAccount": OUTSIDE_ACCOUNT }, expect: "deny", weakness: W.config });
  }
}

/** The namespace shards' role: tenants' Pod Identity roles only, bounded, never another tenant's trust or the Slack command's secrets. */
function provisionerCases(model: OrganizationModel, world: World, add: (c: AccessCase) => void): void {
  const p = model.platform;
  const C = p.accounts.cluster.id;
  const slackSecret = [...world.resourcePolicies.values()].find((x) => x.kind === "secretsmanager" && x.arn.includes("github"))?.arn
    ?? secretArn(p.regions[0]!, C, "super-terraform-slack-command/github-dispatch-token");
  const tenants: ServiceModel[] = model.services.filter((s) => !s.retired && onEks(s));
  for (const r of p.regions) {
    const principal = `arn:aws:iam::${C}:role/${namespacesRoleName(r, "apply")}`;
    const boundary = provisionerBoundary(world, principal);
    const newRole = `arn:aws:iam::${C}:role/${podIdentityRoleName("new-tenant", r)}`;
    const w = { kind: "namespace provisioner" as const, principal, weakness: W.provisioner };
    add({ ...w, id: `provisioner/${r}/create-unbounded-role`, claim: "create a Pod Identity role without the permissions boundary", action: "iam:CreateRole", resource: newRole, expect: "deny" });
    if (boundary) {
      add({ id: `provisioner/${r}/create-bounded-role`, kind: "namespace provisioner", claim: "create a tenant's Pod Identity role with the boundary", principal, action: "iam:CreateRole", resource: newRole, context: { "iam:PermissionsBoundary": boundary }, expect: "allow" });
    }
    add({ ...w, id: `provisioner/${r}/drop-boundary`, claim: "remove a Pod Identity role's boundary", action: "iam:DeleteRolePermissionsBoundary", resource: newRole, expect: "deny" });
    const other = tenants.find((s) => s.regions.includes(r as never));
    if (other) {
      add({ ...w, id: `provisioner/${r}/rewrite-${other.key}-trust`, claim: "rewrite another tenant's Pod Identity trust", action: "iam:UpdateAssumeRolePolicy", resource: `arn:aws:iam::${C}:role/${podIdentityRoleName(other.key, r)}`, expect: "deny" });
    }
    add({ ...w, id: `provisioner/${r}/read-slack-secret`, claim: "read the Slack command's GitHub token", action: "secretsmanager:GetSecretValue", resource: slackSecret, expect: "deny" });
    // A role the provisioner created, whatever inline policy it was given: the boundary caps it.
    add({
      id: `pod-role/${r}/read-slack-secret`, kind: "namespace provisioner", claim: "let a role it creates read the Slack command's GitHub token",
      principal: newRole, identityPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], ...(boundary ? { permissionsBoundaryArn: boundary } : {}),
      action: "secretsmanager:GetSecretValue", resource: slackSecret, expect: "deny", weakness: W.provisioner,
    });
    for (const s of tenants.filter((x) => x.regions.includes(r as never)).slice(0, 1)) {
      const A = serviceAccountId(originalKey(s));
      add({
        id: `pod-role/${r}/assume-${s.key}-team-role`, kind: "namespace provisioner", claim: "let a role it creates become a tenant's team role",
        principal: newRole, identityPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], ...(boundary ? { permissionsBoundaryArn: boundary } : {}),
        action: "sts:AssumeRole", resource: `arn:aws:iam::${A}:role/${teamRoleName(s.key)}`, expect: "deny",
      });
    }
  }
  const lambda = `arn:aws:iam::${C}:role/super-terraform-slack-command`;
  if (world.roles.has(lambda)) {
    add({ id: "slack-command/read-own-secret", kind: "workload role", claim: "read its own secret (the Slack command's function)", principal: lambda, action: "secretsmanager:GetSecretValue", resource: slackSecret, expect: "allow" });
  }
}

/** The boundary a provisioner role must attach to every role it creates (its CreateRole condition), if any. */
export function provisionerBoundary(world: World, roleArn: string): string | undefined {
  const role = world.roles.get(roleArn);
  const text = JSON.stringify(role?.policies.map((x) => x.document) ?? []);
  return /"iam:PermissionsBoundary":"([^"]+)"/.exec(text)?.[1];
}
