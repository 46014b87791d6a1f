import { AgentPool } from "@cdktf/provider-tfe/lib/agent-pool";
import { AgentPoolAllowedProjects } from "@cdktf/provider-tfe/lib/agent-pool-allowed-projects";
import { DataTfeTeam } from "@cdktf/provider-tfe/lib/data-tfe-team";
import { OrganizationMembership } from "@cdktf/provider-tfe/lib/organization-membership";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { TeamProjectAccess } from "@cdktf/provider-tfe/lib/team-project-access";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { RunnerTeam } from "../constructs/runner-team.js";
import { SecretVariableSet } from "../constructs/secret-variable-set.js";
import { StackWorkspace } from "../constructs/stack-workspace.js";
import { agentPoolKeys, agentPoolName, agentPoolRegionOf, kubernetesAudienceOf } from "../lib/plan/kubernetes-access";
import { gcpCredentialsOf } from "../lib/plan/google";
import { planStacks } from "../lib/plan/stack-plan";
import { recordedQuery } from "../lib/incremental/read-recorder";
import type { OrganizationModel } from "../lib/config/model";
import { teamProjectName } from "../lib/plan/team-access";
import { awsAccountOf, awsRoleArns, isFactory, needsTfeToken, RUNNER_TEAMS, runnerTeamName, runTriggerSources, SECRET_VARIABLE_SETS, SLACK_WEBHOOK_VARIABLE } from "../lib/plan/workspace-plan";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * What the workspace factory needs of the whole organization, as one recorded answer (see
 * lib/incremental/read-recorder.ts `recordedQuery`): the developers who need a seat (owners of
 * a service with its own Terraform, removed ones included) and the stacks whose workspaces it
 * makes, with their run-trigger sources. Adding a service without `infrastructure` changes
 * neither, so incremental synthesis reuses this stack.
 */
const factoryPlanOf = recordedQuery("workspaceFactory", (model: OrganizationModel, factory: string) => {
  const specs = planStacks(model);
  const everService = [...model.services, ...(model.tombstones ?? [])];
  return {
    seated: [...new Set(everService.filter((s) => s.infrastructure !== undefined).flatMap((s) => s.owners))].sort(),
    stacks: specs.filter((s) => s.workspaceFactory === factory).map((spec) => ({
      spec,
      triggers: runTriggerSources(spec, specs),
      factory: isFactory(spec, specs),
      tfe: needsTfeToken(spec, specs),
    })),
  };
});

/**
 * The Terraform Cloud workspace factory for the platform's own stacks: the project, one
 * workspace per platform stack (service workspaces are made by their `accounts-<n>` shard),
 * the secret variable sets, team access (people's teams and the workflows' runner teams), run
 * triggers and notifications.
 */
export class WorkspacesStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const organization = p.terraformCloud.organization;
    // The token comes from the workspace's sensitive TFE_TOKEN variable.
    new TfeProvider(this, "tfe", { organization });
    const webhook = new TerraformVariable(this, SLACK_WEBHOOK_VARIABLE, {
      type: "string",
      sensitive: true,
      description: "Slack incoming webhook for failed runs and drift (from the slack-notifications variable set)",
    });

    const project = new Project(this, "project", {
      name: p.terraformCloud.project,
      organization,
      description: "Every workspace of super-terraform: one per synthesized stack",
      // Deleting the project would orphan every workspace's state.
      lifecycle: { preventDestroy: true },
    });

    // The team-owned workspaces (config `infrastructure`) live in a project of their own: the
    // SaaS tokens are variable sets of the platform's project, and a team's Terraform must not
    // read them. Their workspaces and teams come from the accounts shards.
    new Project(this, "teams-project", {
      name: teamProjectName(p),
      organization,
      description: "Service teams' own workspaces (config infrastructure), each in its service's account inside the permissions boundary",
      lifecycle: { preventDestroy: true },
    });
    // The owners of a service with its own Terraform (config `infrastructure`) are members of the
    // organization (an invitation to their email), with no access until a team grants it: the
    // accounts shards put them in their service's workspace team, looking them up by email. Only
    // they need a seat, and seating nobody else keeps this stack from growing with every
    // developer (1,200 memberships at ten times DMM's size). A removed service's owners keep
    // theirs (its tombstone counts), so removing a service only forgets state, as everywhere.
    const plan = factoryPlanOf(this.model, this.spec.name);
    const seated = new Set(plan.seated);
    for (const d of this.model.developers.filter((dev) => seated.has(dev.key))) {
      new OrganizationMembership(this, `member-${d.key}`, { email: d.email, organization });
    }

    // Teams are Terraform Cloud's (mapped from SSO), looked up by name: the platform team
    // administers the project, approvers can read every workspace's runs and state.
    const access: Array<[string, "admin" | "read"]> = [[p.github.platformTeam, "admin"], [p.github.approversTeam, "read"]];
    for (const [team, level] of access) {
      const t = new DataTfeTeam(this, `team-${team}`, { name: team, organization });
      new TeamProjectAccess(this, `access-${team}`, { projectId: project.id, teamId: t.id, access: level });
    }

    // The workflows' own teams: pull requests plan, only main applies (README "Credentials").
    // Project-level access reaches every workspace, also those the accounts shards create.
    for (const team of RUNNER_TEAMS) {
      new RunnerTeam(this, `runner-${team.role}`, {
        name: runnerTeamName(p, team.role),
        organization,
        projectId: project.id,
        runs: team.runs,
        readAllWorkspaces: team.readAllWorkspaces,
      });
    }

    // One agent pool per region, for the workspaces that talk to a private cluster endpoint;
    // its agents run in that region's cluster account VPC, and their token is created by the
    // cluster stack that runs them (constructs/terraform-cloud-agents.ts), so no token passes
    // through this stack or any output. The GKE cluster's pool ("gke") has its agents inside
    // that cluster, installed with their token at bootstrap (README "Bootstrap").
    const pools = new Map<string, AgentPool>();
    for (const region of agentPoolKeys(p)) {
      const pool = new AgentPool(this, `agent-pool-${region}`, { name: agentPoolName(p, region), organization, organizationScoped: false });
      new AgentPoolAllowedProjects(this, `agent-pool-${region}-projects`, { agentPoolId: pool.id, allowedProjectIds: [project.id] });
      pools.set(region, pool);
    }

    const workspaces = new Map<string, StackWorkspace>();
    for (const { spec, triggers } of plan.stacks) {
      const account = awsAccountOf(p, spec);
      if (account === "service") throw new Error(`${spec.name}: service workspaces belong to their accounts shard`);
      // Specs come in dependency order, so every run-trigger source is already defined here.
      const sources = triggers.map((source) => {
        const ws = workspaces.get(source);
        if (!ws) throw new Error(`${spec.name}: run-trigger source ${source} is not made by this factory`);
        return ws.resource.id;
      });
      const poolRegion = agentPoolRegionOf(p, spec);
      workspaces.set(spec.name, new StackWorkspace(this, `workspace-${spec.name}`, {
        name: spec.name,
        organization,
        projectId: project.id,
        description: `${spec.kind} stack${spec.region ? ` in ${spec.region}` : ""}${account ? `, AWS account ${account}` : ""} (generated; see lib/plan/stack-plan.ts)`,
        awsRoles: awsRoleArns(p, spec),
        kubernetesAudience: kubernetesAudienceOf(p, spec),
        gcpCredentials: gcpCredentialsOf(p, spec),
        agentPoolId: poolRegion === undefined ? undefined : pools.get(poolRegion)!.id,
        runTriggerSourceIds: sources,
        slackWebhookUrl: webhook.stringValue,
        // This factory's own workspace exists before it first runs: the cloud block needs it.
        adoptExisting: spec.name === this.spec.name,
      }));
    }

    const idsOf = (keep: (s: (typeof plan.stacks)[number]) => boolean) => Object.fromEntries(plan.stacks.filter(keep).map((s) => [s.spec.name, workspaces.get(s.spec.name)!.resource.id]));
    const scopes = {
      factories: idsOf((s) => s.factory),
      tfe: idsOf((s) => s.tfe),
    };
    for (const set of SECRET_VARIABLE_SETS) {
      new SecretVariableSet(this, `secrets-${set.name}`, {
        name: set.name,
        organization,
        variables: set.variables,
        projectId: set.scope === "project" ? project.id : undefined,
        workspaceIds: set.scope === "project" ? undefined : scopes[set.scope],
      });
    }
  }
}
