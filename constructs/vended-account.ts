import { OrganizationsAccount } from "@cdktf/provider-aws/lib/organizations-account";
import { Construct } from "constructs";

export interface VendedAccountProps {
  /** Account name, shown in AWS Organizations; the service key. */
  readonly name: string;
  /** Root email; unique in the organization. */
  readonly email: string;
  /** ID of the organizational unit the account is placed in. */
  readonly parentId: string;
  /** Tags on the account (service, owners). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * One AWS account for one service ("the account is the resource container").
 * Accounts hold data and cannot be recreated, so the account is protected from destroy and
 * is never closed by Terraform; removing it is a deliberate act outside this project.
 */
export class VendedAccount extends Construct {
  readonly resource: OrganizationsAccount;

  constructor(scope: Construct, id: string, props: VendedAccountProps) {
    super(scope, id);
    this.resource = new OrganizationsAccount(this, "Resource", {
      name: props.name,
      email: props.email,
      parentId: props.parentId,
      closeOnDeletion: false,
      // AWS only uses role_name at creation and cannot read it back; without this every plan
      // would propose replacing the account.
      lifecycle: { preventDestroy: true, ignoreChanges: ["role_name"] },
      tags: { ...props.tags },
    });
  }
}
