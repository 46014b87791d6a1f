import { Membership } from "@cdktf/provider-github/lib/membership";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { RepositoryRuleset } from "@cdktf/provider-github/lib/repository-ruleset";
import type { Construct } from "constructs";
import { GithubTeam } from "../constructs/github-team.js";
import { githubOrganizationRole } from "../lib/config/people";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The GitHub organization's people: one membership per developer, the organization-wide teams
 * CODEOWNERS names (approvers, platform), and the ruleset that makes CODEOWNERS binding on
 * this repository. Service teams live in their service stacks, so this stack grows with
 * developers only (about one resource each) and never changes when a service is added.
 */
export class GithubStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    // The token comes from the workspace's sensitive GITHUB_TOKEN variable.
    new GithubProvider(this, "github", { owner: p.github.organization });

    for (const d of this.model.developers) {
      new Membership(this, `member-${d.key}`, { username: d.github, role: githubOrganizationRole(p, d.key) });
    }

    const byKey = new Map(this.model.developers.map((d) => [d.key, d]));
    new GithubTeam(this, "team-approvers", {
      name: p.github.approversTeam,
      description: "Approve changes to config/developers.ts (developers with approver: true)",
      members: this.model.developers.filter((d) => d.approver).map((d) => ({ username: d.github })),
    });
    new GithubTeam(this, "team-platform", {
      name: p.github.platformTeam,
      description: "The platform team: owns everything CODEOWNERS does not give to a service",
      members: [...p.github.platformTeamMembers].sort().map((k) => ({ username: byKey.get(k)!.github })),
    });

    new RepositoryRuleset(this, "ruleset-main", {
      name: "main-requires-code-owner-review",
      repository: p.github.repository,
      target: "branch",
      enforcement: "active",
      conditions: { refName: { include: ["refs/heads/main"], exclude: [] } },
      rules: {
        deletion: true,
        nonFastForward: true,
        pullRequest: {
          requireCodeOwnerReview: true,
          requiredApprovingReviewCount: 1,
          dismissStaleReviewsOnPush: true,
          requireLastPushApproval: true,
        },
      },
    });
  }
}
