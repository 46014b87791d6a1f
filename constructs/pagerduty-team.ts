import { DataPagerdutyUser } from "@cdktf/provider-pagerduty/lib/data-pagerduty-user";
import { EscalationPolicy } from "@cdktf/provider-pagerduty/lib/escalation-policy";
import { Team } from "@cdktf/provider-pagerduty/lib/team";
import { TeamMembership } from "@cdktf/provider-pagerduty/lib/team-membership";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/** A person of the team or its escalation rules. */
export interface PagerdutyPerson {
  /** Developer key: the stable construct id of the person's lookup and membership. */
  readonly key: string;
  /** Email of the person's PagerDuty user (created by the `pagerduty` stack). */
  readonly email: string;
}

/** One member of the team. */
export interface PagerdutyTeamMember {
  /** Developer key; must be in `people`. */
  readonly key: string;
  /** Team role. @default "responder" */
  readonly role?: "responder" | "observer" | "manager";
}

/** One escalation rule, in the order PagerDuty escalates. */
export interface PagerdutyEscalationRule {
  /** Developer keys paged by this rule; each must be in `people`. */
  readonly targets: readonly string[];
  /** Minutes before the next rule is paged. */
  readonly delayMinutes: number;
}

export interface PagerdutyTeamProps {
  readonly name: string;
  readonly description: string;
  /** Everyone the team needs a user ID for: members and escalation targets. */
  readonly people: readonly PagerdutyPerson[];
  /** The team's members by developer key, with their team role. */
  readonly members: readonly PagerdutyTeamMember[];
  /** The escalation policy's rules; each pages its targets round-robin. */
  readonly escalation: readonly PagerdutyEscalationRule[];
  /** @default - the stack's default pagerduty provider */
  readonly provider?: TerraformProvider;
}

/**
 * A PagerDuty team, its members, and the escalation policy the service's PagerDuty services
 * use. Users belong to the `pagerduty` stack and are found here by email, so removing a
 * developer from a service removes only their membership and escalation targets.
 */
export class PagerdutyTeam extends Construct {
  readonly resource: Team;
  readonly escalationPolicy: EscalationPolicy;

  constructor(scope: Construct, id: string, props: PagerdutyTeamProps) {
    super(scope, id);
    const provider = props.provider;
    const userIds = new Map<string, string>();
    for (const p of [...props.people].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      userIds.set(p.key, new DataPagerdutyUser(this, `user-${p.key}`, { email: p.email, provider }).id);
    }
    const idOf = (key: string): string => {
      const userId = userIds.get(key);
      if (userId === undefined) throw new Error(`PagerdutyTeam ${id}: "${key}" is not in people`);
      return userId;
    };

    this.resource = new Team(this, "Resource", { name: props.name, description: props.description, provider });
    for (const m of [...props.members].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      new TeamMembership(this, `member-${m.key}`, { teamId: this.resource.id, userId: idOf(m.key), role: m.role ?? "responder", provider });
    }
    this.escalationPolicy = new EscalationPolicy(this, "escalation", {
      name: props.name,
      description: props.description,
      teams: [this.resource.id],
      rule: props.escalation.map((r) => ({
        escalationDelayInMinutes: r.delayMinutes,
        // Round-robin shares the pager among the rule's targets without a schedule to maintain.
        escalationRuleAssignmentStrategy: { type: "round_robin" },
        target: r.targets.map((t) => ({ type: "user_reference", id: idOf(t) })),
      })),
      provider,
    });
  }
}
