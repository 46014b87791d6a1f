import { DataDatadogUser } from "@cdktf/provider-datadog/lib/data-datadog-user";
import { Team } from "@cdktf/provider-datadog/lib/team";
import { TeamMembership } from "@cdktf/provider-datadog/lib/team-membership";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/** One member of a Datadog team. */
export interface DatadogTeamMember {
  /** Developer key: the stable construct id of the member's lookup and membership. */
  readonly key: string;
  /** Email of the member's Datadog user (created by the `datadog` stack). */
  readonly email: string;
}

export interface DatadogTeamProps {
  /** Team name, shown in Datadog. */
  readonly name: string;
  /** Handle used to tag monitors and services with the team (`team:<handle>`). */
  readonly handle: string;
  readonly description: string;
  readonly members: readonly DatadogTeamMember[];
  /** @default - the stack's default datadog provider */
  readonly provider?: TerraformProvider;
}

/**
 * A Datadog team and one membership per member. Users belong to the `datadog` stack; they
 * are found here by email (the documented lookup, no cross-stack reference), so this stack
 * never owns a user and removing a member removes only their membership.
 */
export class DatadogTeam extends Construct {
  readonly resource: Team;

  constructor(scope: Construct, id: string, props: DatadogTeamProps) {
    super(scope, id);
    this.resource = new Team(this, "Resource", {
      name: props.name,
      handle: props.handle,
      description: props.description,
      provider: props.provider,
    });
    for (const m of [...props.members].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      const user = new DataDatadogUser(this, `user-${m.key}`, { filter: m.email, exactMatch: true, provider: props.provider });
      new TeamMembership(this, `member-${m.key}`, { teamId: this.resource.id, userId: user.id, provider: props.provider });
    }
  }
}
