import { Team } from "@cdktf/provider-tfe/lib/team";
import { TeamProjectAccess } from "@cdktf/provider-tfe/lib/team-project-access";
import { Construct } from "constructs";

export interface RunnerTeamProps {
  /** Team name in Terraform Cloud; its team token is what a workflow holds. */
  readonly name: string;
  /** Terraform Cloud organization. */
  readonly organization: string;
  /** Project whose workspaces the team may run. */
  readonly projectId: string;
  /**
   * Run permission on every workspace of the project: `plan` queues speculative plans only,
   * `apply` also applies; `none` grants no project access.
   */
  readonly runs: "plan" | "apply" | "none";
  /** Organization-wide "read all workspaces" (the explorer API needs it). @default false */
  readonly readAllWorkspaces?: boolean;
}

/**
 * A Terraform Cloud team that exists only for its team token, held by one GitHub workflow.
 * Its access is custom and minimal: no variables, no state beyond outputs, no settings, no
 * locking, so a leaked plan token can queue plans and nothing more. Membership stays empty;
 * the token is created by hand (README "Credentials") and never enters state.
 */
export class RunnerTeam extends Construct {
  readonly resource: Team;

  constructor(scope: Construct, id: string, props: RunnerTeamProps) {
    super(scope, id);
    const readAll = props.readAllWorkspaces ?? false;
    this.resource = new Team(this, "Resource", {
      name: props.name,
      organization: props.organization,
      visibility: "organization",
      // Team tokens are managed by the platform team, not by members.
      allowMemberTokenManagement: false,
      organizationAccess: readAll ? { readWorkspaces: true, readProjects: true } : undefined,
    });
    if (props.runs === "none") return;
    new TeamProjectAccess(this, "access", {
      projectId: props.projectId,
      teamId: this.resource.id,
      access: "custom",
      projectAccess: [{ settings: "read", teams: "none", variableSets: "none" }],
      workspaceAccess: [{
        runs: props.runs,
        variables: "none",
        stateVersions: "read-outputs",
        sentinelMocks: "none",
        create: false,
        delete: false,
        move: false,
        locking: false,
        runTasks: false,
      }],
    });
  }
}
