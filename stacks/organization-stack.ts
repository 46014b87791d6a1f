import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { GuarddutyOrganizationAdminAccount } from "@cdktf/provider-aws/lib/guardduty-organization-admin-account";
import { OrganizationsDelegatedAdministrator } from "@cdktf/provider-aws/lib/organizations-delegated-administrator";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import { RamSharingWithOrganization } from "@cdktf/provider-aws/lib/ram-sharing-with-organization";
import { SecurityhubOrganizationAdminAccount } from "@cdktf/provider-aws/lib/securityhub-organization-admin-account";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { GuardrailPolicy } from "../constructs/guardrail-policy.js";
import { OidcTrust } from "../constructs/oidc-trust.js";
import { OidcTrustStackSet } from "../constructs/oidc-trust-stack-set.js";
import { configBucketName, logArchiveKeyAliasArn, trailBucketName, trailName, trailRegion } from "../lib/plan/log-archive";
import { organizationPolicies } from "../lib/plan/organization-policies";
import { planStacks } from "../lib/plan/stack-plan";
import { oidcSlots, platformAccountWorkspaces } from "../lib/plan/workspace-plan";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The management account's organization-wide objects: organizational units, the guardrail
 * policies on the workload OUs, the organization trail, and the delegation of the security
 * services to the security account, resource sharing with the organization (RAM), and the OIDC trust StackSet with the platform accounts'
 * instances. Service accounts (and their trust) are vended by the `accounts-<n>` stacks, so
 * nothing here grows with, or changes for, a service.
 */
export class OrganizationStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    this.awsProvider({}, { accountId: p.accounts.management.id });
    const org = new DataAwsOrganizationsOrganization(this, "organization", {});
    const ous = new Map<string, OrganizationsOrganizationalUnit>();
    for (const [name] of Object.entries(p.organizationalUnits).sort(([a], [b]) => (a < b ? -1 : 1))) {
      ous.set(name, new OrganizationsOrganizationalUnit(this, `ou-${name}`, {
        name,
        parentId: org.roots.get(0).id,
        lifecycle: { preventDestroy: true },
      }));
    }

    // Guardrails bind the OUs that hold service accounts; platform accounts are governed by
    // the platform team's own pipeline and are not limited by them.
    const workloadOus = Object.fromEntries([...ous].filter(([name]) => p.organizationalUnits[name]!.workloads).map(([name, ou]) => [name, ou.id]));
    for (const policy of organizationPolicies(p)) {
      new GuardrailPolicy(this, `policy-${policy.key}`, {
        name: `${p.name}-${policy.key}`,
        description: policy.description,
        type: policy.type,
        document: policy.document,
        targets: workloadOus,
      });
    }

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

    // GuardDuty and Security Hub delegate per region through their own APIs (which also
    // register the delegated administrator in Organizations); the others delegate once.
    const security = p.accounts.security.id;
    for (const region of p.regions) {
      new GuarddutyOrganizationAdminAccount(this, `guardduty-admin-${region}`, { region, adminAccountId: security });
      new SecurityhubOrganizationAdminAccount(this, `securityhub-admin-${region}`, { region, adminAccountId: security });
    }
    for (const principal of ["access-analyzer.amazonaws.com", "config.amazonaws.com"]) {
      new OrganizationsDelegatedAdministrator(this, `delegated-admin-${principal.split(".")[0]}`, { accountId: security, servicePrincipal: principal });
    }

    // The network stacks share each Transit Gateway with the whole organization through RAM,
    // which AWS accepts only once sharing with AWS Organizations is on (it also enables RAM's
    // trusted access). Only the management account can switch it on; the network stacks apply
    // after this stack.
    new RamSharingWithOrganization(this, "ram-sharing");

    // The management account carries the baseline too, in every platform region.
    for (const region of p.regions) {
      new AccountBaseline(this, `baseline-${region}`, { region, configBucketName: configBucketName(p, region), accountGlobal: region === p.regions[0] });
    }

    // Terraform Cloud's OIDC trust for every member account (see README "OIDC trust").
    const specs = planStacks(this.model);
    const slots = oidcSlots(p, specs);
    const stackSet = new OidcTrustStackSet(this, "oidc-trust", {
      organization: p.terraformCloud.organization,
      project: p.terraformCloud.project,
      slots,
    });
    for (const [account, workspaces] of platformAccountWorkspaces(specs)) {
      const trust = new OidcTrust(this, `trust-${account}`, {
        accountId: p.accounts[account].id,
        rootId: org.roots.get(0).id,
        workspaces,
        slots,
        region: p.regions[0]!,
      });
      trust.resource.node.addDependency(stackSet.resource);
    }
  }
}
