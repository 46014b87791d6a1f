import { DatadogProvider } from "@cdktf/provider-datadog/lib/provider";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { TeamRepository } from "@cdktf/provider-github/lib/team-repository";
import { PagerdutyProvider } from "@cdktf/provider-pagerduty/lib/provider";
import type { Construct } from "constructs";
import { DatadogTeam } from "../constructs/datadog-team.js";
import { GithubTeam } from "../constructs/github-team.js";
import { PagerdutyTeam } from "../constructs/pagerduty-team.js";
import { ServiceTeamRole } from "../constructs/service-team-role.js";
import { SlackProvider } from "../constructs/slack/slack-provider.js";
import { SlackUserGroup } from "../constructs/slack-user-group.js";
import { WorkspaceRoles } from "../constructs/workspace-roles.js";
import { bastionRoleArn, teamRoleName } from "../lib/plan/access";
import { oidcProviderArn } from "../lib/plan/oidc";
import { operatorPolicy, TEAM_LEVEL_POLICY, teamAccessLevel, teamProjectName, teamWorkspaceName, teamWorkspaceRoleName } from "../lib/plan/team-access";
import { serviceTeamSlug } from "../lib/review/codeowners";
import type { DeveloperModel, OrganizationModel, ServiceModel } from "../lib/config/model";
import { escalationRules, githubServiceTeamRole, pagerdutyTeamRole } from "../lib/config/people";

/**
 * The service team, once per service (its primary region stack): the GitHub team (with the
 * write access on this repository that makes its CODEOWNERS entry count), the Datadog and
 * PagerDuty teams and the Slack user group with exactly the service's owners, and the team's
 * role in the service account trusted only by the owners' bastion roles, at the level of its
 * environment and inside the account's permissions boundary; with `infrastructure`, the plan
 * and apply roles of the team's own workspace. The owners administer the service's own
 * repositories. Users and seats
 * belong to the people stacks; here they are referenced by username, email or Slack ID, so
 * adding a service never changes a people stack. Retired services get none of it.
 */
export function addServiceTeams(scope: Construct, model: OrganizationModel, service: ServiceModel, fence: { readonly boundaryArn: string; readonly accountId: string }): ServiceTeamRole | undefined {
  if (service.retired) return undefined;
  const p = model.platform;
  const developers = new Map(model.developers.map((d) => [d.key, d]));
  const owners = [...service.owners].sort().map((k) => developers.get(k)!);
  const slug = serviceTeamSlug(service.key);
  const description = `Owners of ${service.key}: ${service.description}`;

  // SaaS credentials come from the workspace's sensitive variables (GITHUB_TOKEN,
  // DD_API_KEY/DD_APP_KEY, PAGERDUTY_TOKEN, SLACK_TOKEN), never from code.
  new GithubProvider(scope, "github", { owner: p.github.organization });
  new DatadogProvider(scope, "datadog", { apiUrl: p.datadog.apiUrl });
  new PagerdutyProvider(scope, "pagerduty", {});
  new SlackProvider(scope, "slack");

  const github = new GithubTeam(scope, "team-github", {
    name: slug,
    description,
    members: owners.map((d) => ({ username: d.github, role: githubServiceTeamRole(d) })),
  });
  // CODEOWNERS names this team for the service's file; GitHub ignores a code owner that
  // cannot write to the repository, so the team gets write access here, with the team.
  new TeamRepository(scope, "team-github-repository", { teamId: github.resource.id, repository: p.github.repository, permission: "push" });
  // The service's own repositories (and the one of its Terraform) are the owners' to administer.
  const own = new Set([...service.githubRepositories, ...(service.infrastructure ? [service.infrastructure.repository] : [])]);
  for (const repository of [...own].sort()) {
    new TeamRepository(scope, `team-github-admin-${repository}`, { teamId: github.resource.id, repository, permission: "admin" });
  }

  new DatadogTeam(scope, "team-datadog", {
    name: slug,
    handle: slug,
    description,
    members: owners.map((d) => ({ key: d.key, email: d.email })),
  });

  const escalation = escalationRules(service, developers);
  const paged = new Set([...service.owners, ...escalation.flatMap((r) => r.targets)]);
  new PagerdutyTeam(scope, "team-pagerduty", {
    name: slug,
    description,
    people: [...paged].sort().map((k) => person(developers.get(k)!)),
    members: owners.map((d) => ({ key: d.key, role: pagerdutyTeamRole(d) })),
    escalation,
  });

  new SlackUserGroup(scope, "team-slack", {
    name: slug,
    handle: service.slack.handle,
    description,
    members: owners.map((d) => d.slack),
  });

  const level = teamAccessLevel(service);
  const role = new ServiceTeamRole(scope, "team-role", {
    name: teamRoleName(service.key),
    trustedRoleArns: owners.map((d) => bastionRoleArn(p, d.key)),
    managedPolicyArns: [TEAM_LEVEL_POLICY[level]],
    inlinePolicies: level === "operator" ? { operate: operatorPolicy() } : {},
    permissionsBoundaryArn: fence.boundaryArn,
  });

  if (service.infrastructure) {
    new WorkspaceRoles(scope, "infrastructure-roles", {
      roleNames: { plan: teamWorkspaceRoleName(service.key, "plan"), apply: teamWorkspaceRoleName(service.key, "apply") },
      oidcProviderArn: oidcProviderArn(fence.accountId),
      organization: p.terraformCloud.organization,
      project: teamProjectName(p),
      workspace: teamWorkspaceName(service.key),
      permissionsBoundaryArn: fence.boundaryArn,
      tags: { service: service.key },
    });
  }
  return role;
}

function person(d: DeveloperModel): { key: string; email: string } {
  return { key: d.key, email: d.email };
}
