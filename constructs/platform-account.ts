import { OrganizationsAccount } from "@cdktf/provider-aws/lib/organizations-account";
import { Construct } from "constructs";

export interface PlatformAccountProps {
  /** The existing account's 12-digit ID (config data): it is imported, never created. */
  readonly accountId: string;
  /** Its root email, as in config; AWS Organizations requires it on the resource. */
  readonly email: string;
  /** Name shown in AWS Organizations; kept as it is in AWS (ignored after import). */
  readonly name: string;
  /** ID of the OU the account is moved to (the platform OU). */
  readonly parentId: string;
}

/**
 * One of the platform's fixed accounts (log archive, security, network, cluster, bastion),
 * adopted with a Terraform `import` block so its place in the organization is code: it sits
 * in the platform OU, under the platform guardrails. Like every account it is never closed or
 * destroyed by Terraform; its name and creation-only settings stay as AWS has them.
 */
export class PlatformAccount extends Construct {
  readonly resource: OrganizationsAccount;

  constructor(scope: Construct, id: string, props: PlatformAccountProps) {
    super(scope, id);
    this.resource = new OrganizationsAccount(this, "Resource", {
      name: props.name,
      email: props.email,
      parentId: props.parentId,
      closeOnDeletion: false,
      lifecycle: { preventDestroy: true, ignoreChanges: ["name", "role_name", "iam_user_access_to_billing"] },
    });
    this.resource.importFrom(props.accountId);
  }
}
