import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { SlackUsergroup } from "./slack/slack-usergroup.js";

export interface SlackUserGroupProps {
  /** Name of the group, unique in the workspace. */
  readonly name: string;
  /** Mention handle without "@", e.g. "payments-team". */
  readonly handle: string;
  readonly description: string;
  /** Slack member IDs: exactly the group's members. */
  readonly members: readonly string[];
  /** @default - the stack's default slack provider */
  readonly provider?: TerraformProvider;
}

/** A Slack user group (`@handle`) whose members are exactly the given Slack member IDs. */
export class SlackUserGroup extends Construct {
  readonly resource: SlackUsergroup;

  constructor(scope: Construct, id: string, props: SlackUserGroupProps) {
    super(scope, id);
    this.resource = new SlackUsergroup(this, "Resource", {
      name: props.name,
      handle: props.handle,
      description: props.description,
      // Sorted: the provider stores a set, so order carries no meaning and must not cause diffs.
      users: [...props.members].sort(),
      provider: props.provider,
    });
  }
}
