import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { DataAwsOrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit";
import type { Construct } from "constructs";
import { VendedAccount } from "../constructs/vended-account.js";
import { vendingStackOf } from "../lib/stack-plan.js";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * Vends the accounts of the services hashed to this shard. Sharding keeps each stack small
 * at any organization size, and adding a service changes only its own shard.
 */
export class AccountsStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    this.awsProvider({}, { accountId: p.accounts.management.id });
    const mine = this.model.services.filter((s) => vendingStackOf(p, s.key) === this.spec.name);
    if (mine.length === 0) return;

    const org = new DataAwsOrganizationsOrganization(this, "organization", {});
    // OUs belong to the organization stack; they are found here by their fixed names
    // (the one documented lookup instead of a cross-stack reference).
    const ous = new Map<string, DataAwsOrganizationsOrganizationalUnit>();
    for (const ou of [...new Set(mine.map((s) => s.account.ou))].sort()) {
      ous.set(ou, new DataAwsOrganizationsOrganizationalUnit(this, `ou-${ou}`, { name: ou, parentId: org.roots.get(0).id }));
    }
    for (const s of mine) {
      new VendedAccount(this, `account-${s.key}`, {
        name: s.key,
        email: s.account.email,
        parentId: ous.get(s.account.ou)!.id,
        tags: { service: s.key, owners: s.owners.join(" ") },
      });
    }
  }
}
