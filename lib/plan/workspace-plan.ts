import { namespacesRoleArn } from "./cluster";
import { bootstrapTemplate, roleArn, slotValues } from "./oidc";
import type { Platform } from "../config/schema";
import type { PlatformAccount, StackSpec } from "./stack-plan";

/*
 * What the workspace factories create for each stack of `planStacks`, as pure data: which AWS
 * account its dynamic credentials reach, which workspaces trigger its runs, which tokens it
 * needs. The `workspaces` stack and the `accounts-<n>` stacks both read these functions, so a
 * platform workspace and a service workspace are configured by the same rules.
 */

/** One secret a workspace needs: declared in code, its value typed into Terraform Cloud by a person. */
export interface SecretVariable {
  readonly key: string;
  /** `env` for provider tokens, `terraform` for input variables of the stack. */
  readonly category: "env" | "terraform";
  readonly purpose: string;
}

/** A variable set of secrets and the workspaces it applies to. */
export interface SecretVariableSetSpec {
  readonly name: string;
  /** "project": every workspace of the project; "factories": the stacks that create workspaces; "tfe": those and the namespace shards. */
  readonly scope: "project" | "factories" | "tfe";
  readonly variables: readonly SecretVariable[];
}

/** Terraform variable (sensitive, set by hand) holding the Slack incoming webhook for run notifications. */
export const SLACK_WEBHOOK_VARIABLE = "slack_webhook_url";

/**
 * The secrets of the platform. SaaS tokens go to the whole project because service stacks
 * create GitHub, Datadog, PagerDuty and Slack objects too; the Terraform Cloud token goes to
 * the workspace factories and the namespace shards (which read tenants' outputs), the
 * notification webhook only to the factories.
 */
export const SECRET_VARIABLE_SETS: readonly SecretVariableSetSpec[] = [
  { name: "github-token", scope: "project", variables: [{ key: "GITHUB_TOKEN", category: "env", purpose: "GitHub provider (organization owner token or GitHub App installation token)" }] },
  { name: "datadog-keys", scope: "project", variables: [
    { key: "DD_API_KEY", category: "env", purpose: "Datadog provider API key" },
    { key: "DD_APP_KEY", category: "env", purpose: "Datadog provider application key" },
  ] },
  { name: "pagerduty-token", scope: "project", variables: [{ key: "PAGERDUTY_TOKEN", category: "env", purpose: "PagerDuty provider API token" }] },
  { name: "slack-token", scope: "project", variables: [{ key: "SLACK_TOKEN", category: "env", purpose: "Slack provider token (user groups)" }] },
  { name: "tfe-token", scope: "tfe", variables: [{ key: "TFE_TOKEN", category: "env", purpose: "Terraform Cloud team token of the workspace factories" }] },
  { name: "slack-notifications", scope: "factories", variables: [{ key: SLACK_WEBHOOK_VARIABLE, category: "terraform", purpose: "Slack incoming webhook URL for failed runs and drift" }] },
];

/**
 * Whether a workspace gets the Terraform Cloud token: the factories, the namespace shards,
 * which read each tenant's account ID through `data tfe_outputs`, and the cluster stacks,
 * which create their agents' token (constructs/terraform-cloud-agents.ts).
 */
export function needsTfeToken(spec: StackSpec, specs: readonly StackSpec[]): boolean {
  return isFactory(spec, specs) || spec.kind === "namespaces" || spec.kind === "cluster";
}

/**
 * Whether a workspace's plan and apply roles come from the OIDC trust StackSet. Namespace
 * shards run as the `namespaces-<region>-<phase>` roles the cluster stack creates with their
 * EKS access entries (lib/plan/cluster.ts); they only rely on the StackSet's OIDC provider.
 */
export function trustFromStackSet(spec: StackSpec): boolean {
  return spec.account !== "none" && spec.kind !== "namespaces";
}

/**
 * The plan and apply role ARNs of a workspace (its TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN),
 * or undefined for stacks without AWS. `accountId` is the account to use for a service stack
 * (the vended account's id, known only in its accounts stack).
 */
export function awsRoleArns(platform: Platform, spec: StackSpec, accountId?: string): { readonly plan: string; readonly apply: string } | undefined {
  if (spec.kind === "namespaces") {
    return { plan: namespacesRoleArn(platform, spec.region!, "plan"), apply: namespacesRoleArn(platform, spec.region!, "apply") };
  }
  const account = awsAccountOf(platform, spec);
  if (account === undefined) return undefined;
  const id = account === "service" ? accountId : account;
  if (id === undefined) throw new Error(`${spec.name}: the service account's id is needed for its role ARNs`);
  return { plan: roleArn(id, spec.name, "plan"), apply: roleArn(id, spec.name, "apply") };
}

/** Run-notification triggers: failed runs, and health assessments that found drift or failed. */
export const NOTIFICATION_TRIGGERS = ["run:errored", "assessment:drifted", "assessment:failed", "assessment:check_failure"] as const;

/**
 * Whether a stack is a workspace factory (and so needs TFE_TOKEN and the webhook variable):
 * the `workspaces` stack and every `accounts-<n>` shard, including a shard with no service
 * yet, so that a shard's first service changes nothing outside the shard.
 */
export function isFactory(spec: StackSpec, specs: readonly StackSpec[]): boolean {
  return spec.kind === "workspaces" || spec.kind === "accounts" || specs.some((s) => s.workspaceFactory === spec.name);
}

/**
 * The AWS account a stack's workspace reaches through dynamic credentials: a platform
 * account's ID, "service" for the service's vended account (known only in its accounts stack),
 * or undefined for stacks without AWS (Terraform Cloud and SaaS stacks).
 */
export function awsAccountOf(platform: Platform, spec: StackSpec): string | "service" | undefined {
  if (spec.account === "none") return undefined;
  if (spec.account === "service") return "service";
  return platform.accounts[spec.account].id;
}

/**
 * Workspaces whose successful apply queues a run of this one, following the dependency order
 * organization -> accounts -> log archive -> security -> network -> cluster -> services.
 *
 * Sources are chosen so that a workspace reruns when something it looks up by name may have
 * changed, and never fans in from everything: a service reruns after its region's cluster
 * (namespace, access entries) and not after its accounts shard, which changes with every
 * service of the shard. People stacks and the factory depend on no other workspace.
 */
export function runTriggerSources(spec: StackSpec, specs: readonly StackSpec[]): string[] {
  const names = new Set(specs.map((s) => s.name));
  const keep = (list: string[]) => list.filter((n) => names.has(n) && n !== spec.name);
  const r = spec.region;
  switch (spec.kind) {
    case "accounts":
    case "log-archive":
      return keep(["organization"]);
    case "security":
    case "management":
      return keep([`log-archive-${r}`]);
    case "network":
      return keep([`security-${r}`]);
    case "cluster":
      return keep([`network-${r}`]);
    case "service":
    case "namespaces":
      return keep([`cluster-${r}`]);
    case "gke-namespaces":
      return keep(["gke"]);
    default:
      return [];
  }
}

/** Platform accounts whose trust the organization stack plants (the management account's is manual). */
export const STACK_SET_PLATFORM_ACCOUNTS: readonly PlatformAccount[] = ["logArchive", "security", "network", "cluster", "bastion"];

/** Workspaces that need trust in each platform account, by account key (sorted names; bastion may be empty). */
export function platformAccountWorkspaces(specs: readonly StackSpec[]): Map<PlatformAccount, string[]> {
  const out = new Map<PlatformAccount, string[]>();
  for (const account of STACK_SET_PLATFORM_ACCOUNTS) {
    out.set(account, specs.filter((s) => s.account === account && trustFromStackSet(s)).map((s) => s.name).sort());
  }
  return out;
}

/** Workspaces whose roles live in the management account: created by the manual bootstrap. */
export function managementWorkspaces(specs: readonly StackSpec[]): string[] {
  return specs.filter((s) => s.account === "management").map((s) => s.name).sort();
}

/**
 * Workspace slots of the OIDC bootstrap template: enough for the busiest account the StackSet
 * serves. A service has at most one workspace per platform region and each platform account
 * one per region, so the number depends on the platform config only and never on services.
 */
export function oidcSlots(platform: Platform, specs: readonly StackSpec[]): number {
  const perAccount = [...platformAccountWorkspaces(specs).values()].map((w) => w.length);
  return Math.max(platform.regions.length, ...perAccount);
}

/**
 * The management account's one-time trust bootstrap: the same template the StackSet uses,
 * with one slot per management workspace (organization, accounts-<n>), deployed by hand as a
 * plain CloudFormation stack because service-managed StackSets never deploy to the
 * management account.
 */
export function managementBootstrap(platform: Platform, specs: readonly StackSpec[]): { template: Record<string, unknown>; parameters: Record<string, string> } {
  const workspaces = managementWorkspaces(specs);
  return {
    template: bootstrapTemplate({ organization: platform.terraformCloud.organization, project: platform.terraformCloud.project, slots: workspaces.length }),
    parameters: slotValues(workspaces, workspaces.length),
  };
}

/**
 * A Terraform Cloud team whose team token a workflow uses. Each workflow gets the least it
 * needs: pull requests may queue speculative plans and nothing else, so a branch's own
 * workflow file cannot apply; only the apply workflow, bound to a protected GitHub
 * environment on `main`, holds a token that applies; the drift report only reads.
 */
export interface RunnerTeamSpec {
  /** Team name suffix after the project's name (`<project>-<role>`). */
  readonly role: "plan" | "apply" | "drift";
  /** GitHub Actions secret holding the team's token. */
  readonly secret: string;
  /** Where the secret lives: a repository secret, or a secret of the protected environment. */
  readonly secretScope: "repository" | "environment";
  /** Run permission on every workspace of the project, or none (the drift team reads only). */
  readonly runs: "plan" | "apply" | "none";
  /** Organization-wide "read all workspaces", which the explorer API needs (drift). */
  readonly readAllWorkspaces: boolean;
  readonly purpose: string;
}

/** The GitHub environment whose secrets only `main` may read: the apply and drift tokens live there. */
export const APPLY_ENVIRONMENT = "production";

/** The runner teams; the workflows name their secrets, and a test holds the two together. */
export const RUNNER_TEAMS: readonly RunnerTeamSpec[] = [
  { role: "plan", secret: "TF_PLAN_TOKEN", secretScope: "repository", runs: "plan", readAllWorkspaces: false, purpose: "Speculative plans of pull requests (queue plans only)" },
  { role: "apply", secret: "TF_APPLY_TOKEN", secretScope: "environment", runs: "apply", readAllWorkspaces: false, purpose: `Applies from main (the apply workflow, GitHub environment ${APPLY_ENVIRONMENT})` },
  { role: "drift", secret: "TF_DRIFT_TOKEN", secretScope: "environment", runs: "none", readAllWorkspaces: true, purpose: `Reads health assessments for the drift report (GitHub environment ${APPLY_ENVIRONMENT})` },
];

/** A runner team's name: the project's name (made a valid team name) and its role. */
export function runnerTeamName(platform: Platform, role: RunnerTeamSpec["role"]): string {
  return `${platform.terraformCloud.project.replace(/[^A-Za-z0-9_-]+/g, "-")}-${role}`;
}
