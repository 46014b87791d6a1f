import { onEks } from "../lib/plan/gke";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { DataAwsOrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit";
import { DataTfeOauthClient } from "@cdktf/provider-tfe/lib/data-tfe-oauth-client";
import { DataTfeOrganizationMembership } from "@cdktf/provider-tfe/lib/data-tfe-organization-membership";
import { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import { DataTfeWorkspace } from "@cdktf/provider-tfe/lib/data-tfe-workspace";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { OidcTrust } from "../constructs/oidc-trust.js";
import { StackWorkspace } from "../constructs/stack-workspace.js";
import { TeamWorkspace } from "../constructs/team-workspace.js";
import { serviceTeamSlug } from "../lib/review/codeowners";
import { teamProjectName, teamWorkspaceName, teamWorkspaceRoleName } from "../lib/plan/team-access";
import { VendedAccount } from "../constructs/vended-account.js";
import { gcpCredentialsOf } from "../lib/plan/google";
import { namespaceShardOf, namespacesStackName, originalKey, planStacks, vendingStackOf } from "../lib/plan/stack-plan";
import { awsRoleArns, oidcSlots, runTriggerSources, SLACK_WEBHOOK_VARIABLE } from "../lib/plan/workspace-plan";
import type { ServiceModel } from "../lib/config/model";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";
import { findByKey, recordedQuery } from "../lib/incremental/read-recorder";
import type { OrganizationModel } from "../lib/config/model";

/**
 * What a vending shard needs of the whole organization, as one recorded answer (see
 * lib/incremental/read-recorder.ts `recordedQuery`): the keys of its services (a renamed
 * service stays in the shard of its first key), the OIDC trust's slot count, and its services'
 * stacks with their run-trigger sources. Incremental synthesis then rebuilds the shard only when
 * one of these changes, not whenever a service is added to another shard.
 */
const vendingShardOf = recordedQuery("vendingShard", (model: OrganizationModel, stack: string) => {
  const specs = planStacks(model);
  const services = model.services.filter((s) => vendingStackOf(model.platform, originalKey(s)) === stack).map((s) => s.key);
  const keys = new Set(services);
  return {
    services,
    slots: oidcSlots(model.platform, specs),
    stacks: specs.filter((spec) => spec.service !== undefined && keys.has(spec.service)).map((spec) => ({ spec, triggers: runTriggerSources(spec, specs) })),
  };
});

/**
 * Vends the accounts of the services hashed to this shard, and everything a new account needs
 * before its own stacks can run: the Terraform Cloud OIDC trust (a stack instance of the
 * organization's StackSet) and the service's workspaces with their dynamic-credential
 * variables. Sharding keeps each stack small at any organization size, and adding a service
 * changes only its own shard.
 */
export class AccountsStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const tfc = p.terraformCloud;
    this.awsProvider({}, { accountId: p.accounts.management.id });
    // The token comes from the workspace's sensitive TFE_TOKEN variable.
    new TfeProvider(this, "tfe", { organization: tfc.organization });
    // Declared even in an empty shard: the slack-notifications variable set always sets it.
    const webhook = new TerraformVariable(this, SLACK_WEBHOOK_VARIABLE, {
      type: "string",
      sensitive: true,
      description: "Slack incoming webhook for failed runs and drift (from the slack-notifications variable set)",
    });
    const plan = vendingShardOf(this.model, this.spec.name);
    const mine = plan.services.map((key) => findByKey(this.model.services, key)!);
    if (mine.length === 0) return;
    const slots = plan.slots;
    // The project is the workspaces stack's; it is found by its configured name.
    const project = new DataTfeProject(this, "project", { name: tfc.project, organization: tfc.organization });
    // Run-trigger sources (each region's cluster workspace) are found by their deterministic names.
    const sourceIds = new Map<string, string>();
    const sourceId = (name: string) => {
      if (!sourceIds.has(name)) sourceIds.set(name, new DataTfeWorkspace(this, `source-${name}`, { name, organization: tfc.organization }).id);
      return sourceIds.get(name)!;
    };

    const org = new DataAwsOrganizationsOrganization(this, "organization", {});
    const rootId = org.roots.get(0).id;
    // OUs belong to the organization stack; they are found here by their fixed names
    // (the one documented lookup instead of a cross-stack reference).
    const ous = new Map<string, DataAwsOrganizationsOrganizationalUnit>();
    for (const ou of [...new Set(mine.map((s) => s.account.ou))].sort()) {
      ous.set(ou, new DataAwsOrganizationsOrganizationalUnit(this, `ou-${ou}`, { name: ou, parentId: rootId }));
    }
    const accountIds = new Map<string, string>();
    for (const s of mine) {
      const account = new VendedAccount(this, `account-${s.key}`, {
        // Its first key: renaming an account is not an in-place update everywhere, and nothing needs it.
        name: originalKey(s),
        email: s.account.email,
        parentId: ous.get(s.account.ou)!.id,
        tags: { service: s.key, owners: s.owners.join(" ") },
      });
      accountIds.set(s.key, account.resource.id);
      const own = plan.stacks.filter(({ spec }) => spec.service === s.key).map(({ spec }) => spec);
      new OidcTrust(this, `trust-${s.key}`, {
        accountId: account.resource.id,
        rootId,
        workspaces: own.map((spec) => spec.name),
        slots,
        region: p.regions[0]!,
      });
      // The namespace shards holding this service's namespaces read its account ID from the
      // primary workspace's outputs; only they may.
      const readers = onEks(s) && !s.retired ? s.regions.map((r) => namespacesStackName(r, namespaceShardOf(p, originalKey(s)))) : [];
      for (const spec of own) {
        new StackWorkspace(this, `workspace-${spec.name}`, {
          name: spec.name,
          organization: tfc.organization,
          projectId: project.id,
          description: `service ${s.key} in ${spec.region}, in the service's own AWS account (generated; see lib/plan/stack-plan.ts)`,
          awsRoles: awsRoleArns(p, spec, account.resource.id),
          gcpCredentials: gcpCredentialsOf(p, spec, s.registry?.kind),
          runTriggerSourceIds: plan.stacks.find((x) => x.spec.name === spec.name)!.triggers.map(sourceId),
          remoteStateConsumerIds: spec.primary ? readers.map(sourceId) : [],
          slackWebhookUrl: webhook.stringValue,
        });
      }
    }
    this.teamWorkspaces(mine, accountIds, webhook.stringValue);
  }

  /**
   * The team-owned workspaces of the shard's services with `infrastructure`: in the teams
   * project, connected to the team's repository through the organization's VCS connection (a
   * prerequisite), run by the owners' team. The owners' organization memberships belong to
   * the `workspaces` stack and are found by email.
   */
  private teamWorkspaces(mine: readonly ServiceModel[], accountIds: ReadonlyMap<string, string>, slackWebhookUrl: string): void {
    const p = this.model.platform;
    const tfc = p.terraformCloud;
    const owned = mine.filter((s) => s.infrastructure !== undefined);
    if (owned.length === 0) return;
    const project = new DataTfeProject(this, "teams-project", { name: teamProjectName(p), organization: tfc.organization });
    const vcs = new DataTfeOauthClient(this, "vcs", { name: tfc.vcsOAuthClient, organization: tfc.organization });
    const memberships = new Map<string, string>();
    // Each owner looked up by key: the shard then reads only its owners, so a developer joining
    // leaves it unchanged for incremental synthesis.
    const membership = (key: string) => {
      if (!memberships.has(key)) memberships.set(key, new DataTfeOrganizationMembership(this, `member-${key}`, { email: findByKey(this.model.developers, key)!.email, organization: tfc.organization }).id);
      return memberships.get(key)!;
    };
    for (const s of owned) {
      const account = accountIds.get(s.key)!;
      const infra = s.infrastructure!;
      new TeamWorkspace(this, `team-workspace-${s.key}`, {
        name: teamWorkspaceName(s.key),
        organization: tfc.organization,
        projectId: project.id,
        description: `The ${s.key} team's own Terraform (${infra.repository}/${infra.directory}), in the service's AWS account inside its permissions boundary`,
        repository: `${p.github.organization}/${infra.repository}`,
        directory: infra.directory,
        oauthTokenId: vcs.oauthTokenId,
        slackWebhookUrl,
        awsRoles: { plan: `arn:aws:iam::${account}:role/${teamWorkspaceRoleName(s.key, "plan")}`, apply: `arn:aws:iam::${account}:role/${teamWorkspaceRoleName(s.key, "apply")}` },
        team: s.retired ? undefined : { name: serviceTeamSlug(s.key), membershipIds: [...s.owners].sort().map(membership) },
      });
    }
  }
}
