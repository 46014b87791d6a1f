import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import type { Construct } from "constructs";
import { OidcTrust } from "../constructs/oidc-trust.js";
import { OidcTrustStackSet } from "../constructs/oidc-trust-stack-set.js";
import { planStacks } from "../lib/stack-plan.js";
import { oidcSlots, platformAccountWorkspaces } from "../lib/workspace-plan.js";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The management account's organization-wide objects: organizational units, the OIDC trust
 * StackSet with the platform accounts' instances (and, as they land, SCPs, the organization
 * trail and delegated administrators). Service accounts and their trust are the
 * `accounts-<n>` stacks' so this stack does not grow with the organization.
 */
export class OrganizationStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    this.awsProvider({}, { accountId: p.accounts.management.id });
    const org = new DataAwsOrganizationsOrganization(this, "organization", {});
    for (const [name] of Object.entries(p.organizationalUnits).sort(([a], [b]) => (a < b ? -1 : 1))) {
      new OrganizationsOrganizationalUnit(this, `ou-${name}`, {
        name,
        parentId: org.roots.get(0).id,
        lifecycle: { preventDestroy: true },
      });
    }

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
