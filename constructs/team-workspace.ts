import { Team } from "@cdktf/provider-tfe/lib/team";
import { TeamAccess } from "@cdktf/provider-tfe/lib/team-access";
import { TeamOrganizationMembers } from "@cdktf/provider-tfe/lib/team-organization-members";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { Construct } from "constructs";
import { addAwsDynamicCredentials, addSlackNotification } from "./stack-workspace.js";

export interface TeamWorkspaceProps {
  /** Workspace name (`<service>-infrastructure`); the roles' trust names it. */
  readonly name: string;
  readonly organization: string;
  /** ID of the teams project (not the platform's: its variable sets hold organization-wide tokens). */
  readonly projectId: string;
  readonly description: string;
  /** `<github organization>/<repository>` of the team's Terraform. */
  readonly repository: string;
  /** Directory of the configuration in the repository. */
  readonly directory: string;
  /** OAuth token ID of the organization's VCS connection to GitHub. */
  readonly oauthTokenId: string;
  /** Slack incoming webhook for failed runs and drift (a sensitive variable's reference, never a literal). */
  readonly slackWebhookUrl: string;
  /** Role ARNs of the plan and apply phases (dynamic credentials). */
  readonly awsRoles: { readonly plan: string; readonly apply: string };
  /**
   * The team that runs the workspace (the service's owners) and their organization membership
   * IDs. @default - no team (a retired service keeps its workspace, and its state, without access)
   */
  readonly team?: { readonly name: string; readonly membershipIds: readonly string[] };
}

/**
 * A service team's own HCP Terraform workspace: VCS-driven from a directory of the team's
 * repository (pull requests get speculative plans, merges to the default branch apply), with
 * AWS dynamic credentials of its own plan and apply roles, and the service's owners as its team.
 * It holds the team's state, so it is never destroyed by a config edit.
 */
export class TeamWorkspace extends Construct {
  readonly resource: Workspace;

  constructor(scope: Construct, id: string, props: TeamWorkspaceProps) {
    super(scope, id);
    const directory = props.directory === "." ? undefined : props.directory;
    this.resource = new Workspace(this, "Resource", {
      name: props.name,
      organization: props.organization,
      projectId: props.projectId,
      description: props.description,
      assessmentsEnabled: true,
      // The team reviews its own pull requests; a merge applies what the plan showed.
      autoApply: true,
      speculativeEnabled: true,
      fileTriggersEnabled: true,
      workingDirectory: directory,
      // Only changes under the directory start a run (the repository may hold the service's code too).
      triggerPrefixes: directory ? [directory] : undefined,
      queueAllRuns: false,
      globalRemoteState: false,
      vcsRepo: { identifier: props.repository, oauthTokenId: props.oauthTokenId },
      lifecycle: { preventDestroy: true },
    });
    addAwsDynamicCredentials(this, this.resource.id, props.awsRoles, "Role inside the team's permissions boundary, trusted only by this workspace's apply phase");
    // Like every workspace of the organization: failed runs and drift reach the platform's channel.
    addSlackNotification(this, this.resource.id, props.slackWebhookUrl);

    if (props.team) {
      const team = new Team(this, "team", { name: props.team.name, organization: props.organization, visibility: "organization" });
      new TeamOrganizationMembers(this, "team-members", { teamId: team.id, organizationMembershipIds: [...props.team.membershipIds] });
      // "write": plan, apply, read and write state and variables; not the workspace's settings or deletion.
      new TeamAccess(this, "team-access", { teamId: team.id, workspaceId: this.resource.id, access: "write" });
    }
  }
}
