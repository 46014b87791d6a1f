import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { GuarddutyOrganizationAdminAccount } from "@cdktf/provider-aws/lib/guardduty-organization-admin-account";
import { OrganizationsDelegatedAdministrator } from "@cdktf/provider-aws/lib/organizations-delegated-administrator";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import { RamSharingWithOrganization } from "@cdktf/provider-aws/lib/ram-sharing-with-organization";
import { SecurityhubOrganizationAdminAccount } from "@cdktf/provider-aws/lib/securityhub-organization-admin-account";
import type { Construct } from "constructs";
import { GuardrailPolicy } from "../constructs/guardrail-policy.js";
import { OidcTrust } from "../constructs/oidc-trust.js";
import { OidcTrustStackSet } from "../constructs/oidc-trust-stack-set.js";
import { PlatformAccount } from "../constructs/platform-account.js";
import { organizationPolicies, platformPolicies, type OrganizationPolicy } from "../lib/plan/organization-policies";
import { readRoleArnPattern } from "../lib/plan/network";
import { planStacks } from "../lib/plan/stack-plan";
import { oidcSlots, platformAccountWorkspaces, STACK_SET_PLATFORM_ACCOUNTS } from "../lib/plan/workspace-plan";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";
import { recordedQuery } from "../lib/incremental/read-recorder";
import type { OrganizationModel } from "../lib/config/model";

/**
 * The OIDC trust's slot count and the platform accounts' workspaces, as one recorded answer (see
 * lib/incremental/read-recorder.ts `recordedQuery`): they come from the whole stack plan, which
 * every added service changes, but adding a service changes neither.
 */
const platformTrustOf = recordedQuery("platformTrust", (model: OrganizationModel) => {
  const specs = planStacks(model);
  return { slots: oidcSlots(model.platform, specs), platformWorkspaces: [...platformAccountWorkspaces(specs)] };
});

/**
 * The management account's organization-wide objects: organizational units, the guardrail
 * policies on the workload OUs, the delegation of the security
 * services to the security account, resource sharing with the organization (RAM), and the OIDC trust StackSet with the platform accounts'
 * instances. Service accounts (and their trust) are vended by the `accounts-<n>` stacks, so
 * nothing here grows with, or changes for, a service. The organization trail and the
 * management account's baseline write into the log archive, which exists only once the accounts
 * this stack trusts have applied, so they live in the later `management` stack.
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

    // Workload guardrails bind the OUs that hold service accounts; the platform OU gets the
    // guardrails that fit accounts running the platform itself (lib/plan/organization-policies.ts).
    const workloadOus = Object.fromEntries([...ous].filter(([name]) => p.organizationalUnits[name]!.workloads).map(([name, ou]) => [name, ou.id]));
    // A policy both kinds of OU share (the region allow list) is one policy with both attachments.
    const platformOu = ous.get(p.platformOu)!;
    const attached = new Map<string, { policy: OrganizationPolicy; targets: Record<string, string> }>();
    for (const [policies, targets] of [[organizationPolicies(p), workloadOus], [platformPolicies(p), { [p.platformOu]: platformOu.id }]] as const) {
      for (const policy of policies) {
        const entry = attached.get(policy.key) ?? { policy, targets: {} };
        Object.assign(entry.targets, targets);
        attached.set(policy.key, entry);
      }
    }
    for (const { policy, targets } of attached.values()) {
      new GuardrailPolicy(this, `policy-${policy.key}`, {
        name: `${p.name}-${policy.key}`,
        description: policy.description,
        type: policy.type,
        document: policy.document,
        targets,
      });
    }
    // The platform accounts exist before this project; they are adopted and moved into the platform OU.
    for (const account of STACK_SET_PLATFORM_ACCOUNTS) {
      new PlatformAccount(this, `account-${account}`, {
        accountId: p.accounts[account].id,
        email: p.accounts[account].email,
        name: `${p.name}-${account}`,
        parentId: platformOu.id,
      });
    }

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


    // Terraform Cloud's OIDC trust for every member account (see README "OIDC trust").
    const { slots, platformWorkspaces } = platformTrustOf(this.model, null);
    const stackSet = new OidcTrustStackSet(this, "oidc-trust", {
      organization: p.terraformCloud.organization,
      project: p.terraformCloud.project,
      slots,
      // Service and cluster stacks plan their Transit Gateway attachment through these.
      planChainRoleArns: [readRoleArnPattern(p)],
    });
    for (const [account, workspaces] of platformWorkspaces) {
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
