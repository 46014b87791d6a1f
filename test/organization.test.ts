import { describe, expect, it } from "vitest";
import { ACCOUNT_BASELINE_ACTIONS, GLOBAL_SERVICE_ACTIONS, INTERNET_PATH_ACTIONS, PIPELINE_ROLE_MANAGERS, PLATFORM_PRINCIPAL_ARNS } from "../lib/plan/organization-policies";
import { planStacks } from "../lib/plan/stack-plan";
import { applyWaves } from "../lib/plan/waves";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

const model = exampleModel();
const p = model.platform;
const stacks = exampleStacks();
const org = stacks["organization"];

/** The organization policies by name, with their content parsed. */
function policies(): Record<string, { type: string; content: string; doc: any; tfName: string }> {
  return Object.fromEntries(Object.entries(resources(org, "aws_organizations_policy")).map(([tfName, r]: [string, any]) => [r.name, { type: r.type, content: r.content, doc: JSON.parse(r.content), tfName }]));
}
function statement(policy: string, sid: string): any {
  const s = policies()[policy]!.doc.Statement.find((x: any) => x.Sid === sid);
  expect(s, `${policy} has statement ${sid}`).toBeDefined();
  return s;
}

describe("the organization's guardrail policies", () => {
  it("defines three SCPs and one RCP for the workload OUs and one more SCP for the platform OU, named after the organization", () => {
    expect(Object.fromEntries(Object.entries(policies()).map(([n, x]) => [n, x.type]))).toEqual({
      "example-region-allow-list": "SERVICE_CONTROL_POLICY",
      "example-security-baseline": "SERVICE_CONTROL_POLICY",
      "example-account-protection": "SERVICE_CONTROL_POLICY",
      "example-human-access-from-bastion": "RESOURCE_CONTROL_POLICY",
      "example-platform-protection": "SERVICE_CONTROL_POLICY",
    });
  });

  it("denies every regional action outside the platform's regions, exempting global services", () => {
    const s = statement("example-region-allow-list", "DenyRegionsOutsideTheAllowList");
    expect(s).toMatchObject({ Effect: "Deny", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["ap-northeast-1", "ap-northeast-3"] } } });
    expect(s.Action).toBeUndefined();
    expect(s.NotAction).toEqual(expect.arrayContaining(["iam:*", "sts:*", "organizations:*", "support:*", "cloudfront:*", "route53:*", "s3:ListAllMyBuckets"]));
    // Regional services stay locked: no wildcard exemption for compute, storage or networking.
    expect(s.NotAction).not.toEqual(expect.arrayContaining(["ec2:*"]));
    expect(s.NotAction.filter((a: string) => /^(ec2|s3|eks|rds|lambda):\*$/.test(a))).toEqual([]);
  });

  it("denies stopping, deleting or changing CloudTrail, GuardDuty, Security Hub and Access Analyzer to everyone", () => {
    const s = statement("example-security-baseline", "DenyChangesToSecurityServices");
    expect(s).toMatchObject({ Effect: "Deny", Resource: "*" });
    expect(s.Condition).toBeUndefined();
    expect(s.Action).toEqual(expect.arrayContaining([
      "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
      "guardduty:DeleteDetector", "guardduty:UpdateDetector", "guardduty:DisassociateFromAdministratorAccount", "guardduty:CreateFilter",
      "securityhub:DisableSecurityHub", "securityhub:BatchDisableStandards", "securityhub:DisassociateFromAdministratorAccount",
      "access-analyzer:DeleteAnalyzer", "access-analyzer:CreateArchiveRule",
    ]));
  });

  it("denies changing AWS Config, EBS default encryption and the S3 account public access block except by platform principals", () => {
    const s = statement("example-security-baseline", "DenyChangesToAccountBaseline");
    expect(s.Action).toEqual([...ACCOUNT_BASELINE_ACTIONS]);
    expect(s.Action).toEqual(expect.arrayContaining([
      "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:PutConfigurationRecorder",
      "ec2:DisableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId", "s3:PutAccountPublicAccessBlock",
    ]));
    expect(s.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/tfc-*", "arn:aws:iam::*:role/OrganizationAccountAccessRole", "arn:aws:iam::*:role/stacksets-exec-*"] } });
  });

  it("leaves flow logs, the Transit Gateway attachment and repository policies to the pipeline", () => {
    const s = statement("example-security-baseline", "DenyChangesOnlyThePipelineMakes");
    expect([...s.Action].sort()).toEqual(["ec2:DeleteFlowLogs", "ec2:DeleteTransitGatewayVpcAttachment", "ec2:ModifyTransitGatewayVpcAttachment", "ecr:DeleteRepositoryPolicy", "ecr:SetRepositoryPolicy"]);
    expect(s.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": [...PLATFORM_PRINCIPAL_ARNS] } });
  });

  it("denies internet gateways, default VPCs, peering, VPN and Lightsail to everyone, and endpoints to anything but AWS services", () => {
    const s = statement("example-security-baseline", "DenyWaysAroundTheEgressPath");
    expect(s.Action).toEqual(expect.arrayContaining([
      "ec2:AttachInternetGateway", "ec2:CreateDefaultSubnet", "ec2:CreateDefaultVpc", "ec2:CreateEgressOnlyInternetGateway", "ec2:CreateInternetGateway",
      "ec2:CreateVpcPeeringConnection", "ec2:AcceptVpcPeeringConnection", "ec2:CreateVpnGateway", "ec2:CreateVpnConnection", "lightsail:*",
    ]));
    expect(s).toMatchObject({ Effect: "Deny", Resource: "*" });
    expect(s.Condition).toBeUndefined();
    expect(statement("example-security-baseline", "DenyEndpointsToOutsideServices")).toMatchObject({ Effect: "Deny", Action: "ec2:CreateVpcEndpoint", Condition: { StringNotEquals: { "ec2:VpceServiceOwner": ["amazon"] } } });
  });

  it("denies leaving the organization and every action of the root user", () => {
    expect(statement("example-account-protection", "DenyLeavingTheOrganization")).toEqual({ Sid: "DenyLeavingTheOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" });
    expect(statement("example-account-protection", "DenyRootUser")).toEqual({ Sid: "DenyRootUser", Effect: "Deny", Action: "*", Resource: "*", Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:root" } } });
  });

  it("denies changing the pipeline's roles (OIDC roles, StackSets execution, break glass) to everyone but StackSets execution and break glass", () => {
    const s = statement("example-account-protection", "DenyChangesToPipelineRoles");
    expect(s.Resource).toEqual(["arn:aws:iam::*:role/tfc-*", "arn:aws:iam::*:role/stacksets-exec-*", "arn:aws:iam::*:role/OrganizationAccountAccessRole"]);
    expect(s.Action).toEqual(expect.arrayContaining(["iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreateRole"]));
    // No tfc-* exemption: an apply role must not rewrite another role's trust and assume it.
    expect(s.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": [...PIPELINE_ROLE_MANAGERS] } });
    expect(PIPELINE_ROLE_MANAGERS.some((a) => a.includes("tfc-"))).toBe(false);
  });

  it("denies changing the people's roles (team and bastion roles) to everyone but platform principals", () => {
    const s = statement("example-account-protection", "DenyChangesToPeopleRoles");
    expect(s.Resource).toEqual(["arn:aws:iam::*:role/team-*", "arn:aws:iam::*:role/developer-*"]);
    expect(s.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": [...PLATFORM_PRINCIPAL_ARNS] } });
    // Human roles are never platform principals.
    expect(PLATFORM_PRINCIPAL_ARNS.some((a) => /team-|developer-/.test(a))).toBe(false);
  });

  it("denies IAM users, login profiles and access keys to everyone", () => {
    expect(statement("example-account-protection", "DenyIamUsersAndKeys")).toEqual({ Sid: "DenyIamUsersAndKeys", Effect: "Deny", Action: ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateUser"], Resource: "*" });
  });

  it("lets only the bastion account assume team roles (RCP), with AWS services exempt", () => {
    expect(statement("example-human-access-from-bastion", "TeamRolesTrustOnlyTheBastion")).toEqual({
      Sid: "TeamRolesTrustOnlyTheBastion",
      Effect: "Deny",
      Principal: "*",
      Action: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"],
      Resource: "arn:aws:iam::*:role/team-*",
      Condition: { StringNotEqualsIfExists: { "aws:PrincipalAccount": p.accounts.bastion.id }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
    });
  });

  it("keeps every SCP under AWS's 5,120-character limit", () => {
    for (const [name, x] of Object.entries(policies())) expect(x.content.length, name).toBeLessThanOrEqual(5120);
  });

  it("attaches the workload policies to each workload OU, the region allow list and platform protection to the platform OU", () => {
    const ouRef = (ou: string) => `\${aws_organizations_organizational_unit.ou-${ou}.id}`;
    const attachments = Object.values(resources(org, "aws_organizations_policy_attachment")) as any[];
    const targetsOf = (name: string) => attachments.filter((a) => a.policy_id === `\${aws_organizations_policy.${policies()[name]!.tfName}.id}`).map((a) => a.target_id).sort();
    const workloads = ["sandbox", "workloads-nonprod", "workloads-prod"].map(ouRef);
    expect(targetsOf("example-region-allow-list")).toEqual([ouRef("platform"), ...workloads].sort());
    for (const name of ["example-security-baseline", "example-account-protection", "example-human-access-from-bastion"]) expect(targetsOf(name), name).toEqual(workloads);
    expect(targetsOf("example-platform-protection")).toEqual([ouRef("platform")]);
  });

  it("moves every platform account but the management account into the platform OU, adopting it with an import block", () => {
    const accounts = Object.entries(resources(org, "aws_organizations_account")) as Array<[string, any]>;
    const ids = ["logArchive", "security", "network", "cluster", "bastion"].map((k) => p.accounts[k as keyof typeof p.accounts].id).sort();
    expect(accounts.map(([, a]) => a.parent_id)).toEqual(ids.map(() => "${aws_organizations_organizational_unit.ou-platform.id}"));
    for (const [, a] of accounts) expect(a).toMatchObject({ close_on_deletion: false, lifecycle: { prevent_destroy: true } });
    expect((org.import as any[]).map((i) => i.id).sort()).toEqual(ids);
    expect((org.import as any[]).map((i) => i.id)).not.toContain(p.accounts.management.id);
  });

  it("exempts global services with AWS's action names only (service:action or service:*)", () => {
    for (const a of GLOBAL_SERVICE_ACTIONS) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z*]+$/);
    for (const a of INTERNET_PATH_ACTIONS) expect(a).toMatch(/^(ec2:[A-Z][A-Za-z]+|lightsail:\*)$/);
    // KMS is regional: keys outside the platform's regions are denied like any regional service.
    expect(GLOBAL_SERVICE_ACTIONS).not.toContain("kms:*");
  });
});

describe("the organization trail", () => {
  const trail = Object.values(resources(stacks.management, "aws_cloudtrail"))[0] as any;

  it("lives in the management stack, which applies after every log archive stack, not in the organization stack they rely on", () => {
    expect(resources(org, "aws_cloudtrail")).toEqual({});
    const specs = planStacks(model);
    const waves = applyWaves(specs);
    const waveOf = (name: string) => waves.findIndex((w) => w.some((s) => s.name === name));
    for (const region of p.regions) expect(waveOf(`log-archive-${region}`)).toBeLessThan(waveOf("management"));
    expect(waveOf("organization")).toBeLessThan(waveOf(`log-archive-${p.regions[0]}`));
  });

  const archive = stacks[`log-archive-${p.regions[0]}`];

  it("is a multi-region organization trail with log file validation", () => {
    expect(trail).toMatchObject({ name: "example-organization", region: "ap-northeast-1", is_organization_trail: true, is_multi_region_trail: true, include_global_service_events: true, enable_log_file_validation: true, lifecycle: { prevent_destroy: true } });
  });

  it("delivers to the log archive's trail bucket, named from config", () => {
    const buckets = (Object.values(resources(archive, "aws_s3_bucket")) as any[]).map((b) => b.bucket);
    expect(trail.s3_bucket_name).toBe("log-archive-100000000002-trail-ap-northeast-1");
    expect(buckets).toContain(trail.s3_bucket_name);
  });

  it("encrypts with the log archive's key by its alias ARN, with no cross-stack reference", () => {
    expect(trail.kms_key_id).toBe("arn:aws:kms:ap-northeast-1:100000000002:alias/log-archive");
    expect((Object.values(resources(archive, "aws_kms_alias")) as any[]).map((a) => a.name)).toEqual(["alias/log-archive"]);
    // CloudTrail reports the key's own ARN; comparing it would show a change on every plan.
    expect(trail.lifecycle.ignore_changes).toEqual(["kms_key_id"]);
    expect(JSON.stringify(org)).not.toMatch(/terraform_remote_state/);
  });
});

describe("delegated administration", () => {
  it("delegates GuardDuty and Security Hub in every region to the security account", () => {
    for (const type of ["aws_guardduty_organization_admin_account", "aws_securityhub_organization_admin_account"]) {
      const admins = Object.values(resources(org, type)) as any[];
      expect(admins.map((a) => a.region).sort(), type).toEqual([...p.regions]);
      for (const a of admins) expect(a.admin_account_id).toBe(p.accounts.security.id);
    }
  });

  it("delegates Access Analyzer and AWS Config to the security account", () => {
    const delegated = Object.values(resources(org, "aws_organizations_delegated_administrator")) as any[];
    expect(delegated.map((d) => [d.service_principal, d.account_id]).sort()).toEqual([
      ["access-analyzer.amazonaws.com", p.accounts.security.id],
      ["config.amazonaws.com", p.accounts.security.id],
    ]);
  });
});

describe("the security account", () => {
  it("auto-enables GuardDuty for all members in every region, on the detector designation created", () => {
    for (const region of p.regions) {
      const s = stacks[`security-${region}`];
      expect(Object.values(resources(s, "aws_guardduty_organization_configuration"))).toEqual([
        expect.objectContaining({ auto_enable_organization_members: "ALL", detector_id: "${data.aws_guardduty_detector.guardduty-detector.id}" }),
      ]);
    }
  });

  it("auto-enables Security Hub with the AWS Foundational Security Best Practices standard in every region", () => {
    for (const region of p.regions) {
      const s = stacks[`security-${region}`];
      expect(Object.values(resources(s, "aws_securityhub_organization_configuration"))).toEqual([expect.objectContaining({ auto_enable: true, auto_enable_standards: "DEFAULT" })]);
      expect((Object.values(resources(s, "aws_securityhub_standards_subscription")) as any[]).map((x) => x.standards_arn)).toEqual([
        `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
      ]);
    }
  });

  it("runs an organization Access Analyzer in every region", () => {
    for (const region of p.regions) {
      expect(Object.values(resources(stacks[`security-${region}`], "aws_accessanalyzer_analyzer"))).toEqual([expect.objectContaining({ type: "ORGANIZATION" })]);
    }
  });

  it("aggregates AWS Config over the organization once, from the primary region", () => {
    const [primary, other] = p.regions;
    expect(Object.values(resources(stacks[`security-${primary}`], "aws_config_configuration_aggregator"))).toEqual([
      expect.objectContaining({ organization_aggregation_source: expect.objectContaining({ all_regions: true }) }),
    ]);
    expect(resources(stacks[`security-${other}`], "aws_config_configuration_aggregator")).toEqual({});
    expect(Object.values(resources(stacks[`security-${primary}`], "aws_iam_role_policy_attachment"))).toEqual([
      expect.objectContaining({ policy_arn: "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations" }),
    ]);
  });
});
