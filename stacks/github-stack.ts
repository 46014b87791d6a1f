import { Membership } from "@cdktf/provider-github/lib/membership";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { RepositoryRuleset } from "@cdktf/provider-github/lib/repository-ruleset";
import { TeamRepository } from "@cdktf/provider-github/lib/team-repository";
import { WorkflowRepositoryPermissions } from "@cdktf/provider-github/lib/workflow-repository-permissions";
import type { Construct } from "constructs";
import { GithubTeam } from "../constructs/github-team.js";
import { githubOrganizationRole } from "../lib/config/people";
import { APPLY_ENVIRONMENT } from "../lib/plan/workspace-plan";
import { GITHUB_ACTIONS_APP_ID, REQUIRED_CHECKS } from "../lib/review/required-checks";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The GitHub organization's people: one membership per developer, the organization-wide teams
 * CODEOWNERS names (approvers, platform) and the developers team, each with write access to
 * this repository (GitHub ignores a code owner without it), and the repository's gates: the
 * ruleset that makes CODEOWNERS review and the CI checks binding on main, the protected
 * environment that alone holds the apply token, and the workflow token's permissions. Service
 * teams (and their write access) live in their service stacks, so this stack grows with
 * developers only and never changes when a service is added.
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
    const approvers = new GithubTeam(this, "team-approvers", {
      name: p.github.approversTeam,
      description: "Approve changes to config/developers.ts (developers with approver: true)",
      members: this.model.developers.filter((d) => d.approver).map((d) => ({ username: d.github })),
    });
    const platform = new GithubTeam(this, "team-platform", {
      name: p.github.platformTeam,
      description: "The platform team: owns everything CODEOWNERS does not give to a service",
      members: [...p.github.platformTeamMembers].sort().map((k) => ({ username: byKey.get(k)!.github })),
    });

    // Joining (a merged entry in config/developers.ts) gives write access through this team,
    // as leaving takes it away: pushing a branch and opening a pull request need it, merging
    // still needs the code owners' review.
    const developers = new GithubTeam(this, "team-developers", {
      name: p.github.developersTeam,
      description: "Every developer in config/developers.ts: write access to the platform repository",
      members: this.model.developers.map((d) => ({ username: d.github })),
    });
    const writers: Array<[string, GithubTeam]> = [["approvers", approvers], ["platform", platform], ["developers", developers]];
    for (const [key, team] of writers) {
      new TeamRepository(this, `repository-access-${key}`, { teamId: team.resource.id, repository: p.github.repository, permission: "push" });
    }

    // The apply and drift tokens are secrets of this environment, which only main may deploy
    // to: a workflow file on any other branch that names the environment gets no secrets.
    // No required reviewers: the merge was reviewed by code owners, and a manual gate on every
    // apply would stall the queue of merges behind it.
    const environment = new RepositoryEnvironment(this, "environment-apply", {
      repository: p.github.repository,
      environment: APPLY_ENVIRONMENT,
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    new RepositoryEnvironmentDeploymentPolicy(this, "environment-apply-main", {
      repository: p.github.repository,
      environment: environment.environment,
      branchPattern: "main",
    });

    // The workflow token reads by default; the onboarding and new-service workflows ask for
    // contents and pull-requests write themselves, and this lets that token open their pull
    // requests (Settings > Actions > General > "Allow GitHub Actions to create and approve
    // pull requests"). Its approval never counts: it is no code owner.
    new WorkflowRepositoryPermissions(this, "workflow-permissions", {
      repository: p.github.repository,
      defaultWorkflowPermissions: "read",
      canApprovePullRequestReviews: true,
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
        requiredStatusChecks: {
          // Not strict: requiring every branch to be rebased on main first would serialize merges.
          strictRequiredStatusChecksPolicy: false,
          requiredCheck: REQUIRED_CHECKS.map((c) => ({ context: c.job, integrationId: GITHUB_ACTIONS_APP_ID })),
        },
      },
    });
  }
}
