import { Team } from "@cdktf/provider-github/lib/team";
import { TeamMembers } from "@cdktf/provider-github/lib/team-members";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/** One member of a GitHub team. */
export interface GithubTeamMember {
  /** GitHub username. */
  readonly username: string;
  /** Team role. @default "member" */
  readonly role?: "member" | "maintainer";
}

export interface GithubTeamProps {
  /** Team name; GitHub derives the slug that CODEOWNERS names from it, so use the slug. */
  readonly name: string;
  /** Shown on the team page. @default - none */
  readonly description?: string;
  /** Exactly the team's members; anyone added by hand is removed on the next apply. */
  readonly members: readonly GithubTeamMember[];
  /** Provider of the GitHub organization. @default - the stack's default github provider */
  readonly provider?: TerraformProvider;
}

/**
 * A closed GitHub team with an authoritative member list. One `github_team_members` resource
 * instead of one membership per person keeps large teams (approvers) to two resources, and
 * makes the config the only way in: a member added in the GitHub UI is removed again.
 */
export class GithubTeam extends Construct {
  readonly resource: Team;
  /** The team's slug, as CODEOWNERS writes it. */
  readonly slug: string;

  constructor(scope: Construct, id: string, props: GithubTeamProps) {
    super(scope, id);
    this.resource = new Team(this, "Resource", {
      name: props.name,
      description: props.description,
      privacy: "closed",
      // The token's user would otherwise become a maintainer of every team it creates.
      createDefaultMaintainer: false,
      provider: props.provider,
    });
    new TeamMembers(this, "members", {
      teamId: this.resource.id,
      members: [...props.members]
        .sort((a, b) => (a.username.toLowerCase() < b.username.toLowerCase() ? -1 : 1))
        .map((m) => ({ username: m.username, role: m.role ?? "member" })),
      provider: props.provider,
    });
    this.slug = this.resource.slug;
  }
}
