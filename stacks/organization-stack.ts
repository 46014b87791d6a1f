import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The management account's organization-wide objects: organizational units (and, as they
 * land, SCPs, the organization trail and delegated administrators). Service accounts are
 * vended by the `accounts-<n>` stacks so this stack does not grow with the organization.
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
  }
}
