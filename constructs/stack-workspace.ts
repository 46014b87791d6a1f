import { NotificationConfiguration } from "@cdktf/provider-tfe/lib/notification-configuration";
import { RunTrigger } from "@cdktf/provider-tfe/lib/run-trigger";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { Construct } from "constructs";
import { NOTIFICATION_TRIGGERS } from "../lib/plan/workspace-plan";

export interface StackWorkspaceProps {
  /** Workspace name: the stack's name, which is also its cloud block's workspace. */
  readonly name: string;
  /** Terraform Cloud organization. */
  readonly organization: string;
  /** ID of the project the workspace belongs to (the cloud block names the same project). */
  readonly projectId: string;
  /** One line shown in Terraform Cloud. */
  readonly description: string;
  /**
   * ARNs of the roles the workspace's plan and apply phases assume through dynamic credentials
   * (may hold a Terraform expression such as a vended account's id).
   * @default - no AWS dynamic credentials (SaaS and Terraform Cloud stacks)
   */
  readonly awsRoles?: { readonly plan: string; readonly apply: string };
  /**
   * Audience of the cluster the workspace talks to through the Kubernetes API (Kubernetes
   * dynamic credentials, one token per run phase).
   * @default - no Kubernetes dynamic credentials
   */
  readonly kubernetesAudience?: string;
  /**
   * Environment variables of GCP dynamic credentials (provider name, plan and apply service
   * accounts; lib/plan/google.ts): names, never keys.
   * @default - no Google credentials
   */
  readonly gcpCredentials?: Readonly<Record<string, string>>;
  /**
   * Agent pool the workspace's runs execute on (a private cluster endpoint is out of reach of
   * HCP Terraform's shared runners).
   * @default - HCP Terraform's shared runners
   */
  readonly agentPoolId?: string;
  /** IDs of workspaces allowed to read this workspace's outputs. @default [] */
  readonly remoteStateConsumerIds?: readonly string[];
  /** IDs of workspaces whose applies queue a run here. @default [] */
  readonly runTriggerSourceIds?: readonly string[];
  /** Slack incoming webhook for failed runs and drift (a sensitive variable's reference, never a literal). */
  readonly slackWebhookUrl: string;
  /**
   * Adopt an existing workspace of this name instead of creating it (the factory's own
   * workspace, which exists before the factory first runs). @default false
   */
  readonly adoptExisting?: boolean;
}

/**
 * The Terraform Cloud workspace of one synthesized stack: CLI-driven (the workflows upload
 * `cdktf.out/stacks/<name>`), health assessments on, separate plan and apply roles through
 * dynamic credentials, Slack notifications for failures and drift, and its run triggers.
 */
export class StackWorkspace extends Construct {
  readonly resource: Workspace;

  constructor(scope: Construct, id: string, props: StackWorkspaceProps) {
    super(scope, id);
    this.resource = new Workspace(this, "Resource", {
      name: props.name,
      organization: props.organization,
      projectId: props.projectId,
      description: props.description,
      // Drift detection: Terraform Cloud plans the workspace on a schedule and reports drift.
      assessmentsEnabled: true,
      // Applies happen only from the apply workflow (or a person confirming in the UI).
      autoApply: false,
      // A run queued by a run trigger re-applies the last applied configuration against what
      // changed upstream; confirming each by hand would stall the apply workflow behind it.
      autoApplyRunTrigger: true,
      // CLI-driven: no VCS connection, so file triggers do not apply.
      fileTriggersEnabled: false,
      queueAllRuns: false,
      globalRemoteState: false,
      remoteStateConsumerIds: props.remoteStateConsumerIds && props.remoteStateConsumerIds.length > 0 ? [...props.remoteStateConsumerIds] : undefined,
      // The workspace holds the stack's state: deleting it loses the state of real resources.
      lifecycle: { preventDestroy: true },
    });
    if (props.adoptExisting) this.resource.importFrom(`${props.organization}/${props.name}`);

    const env = (key: string, value: string, description: string) =>
      new Variable(this, key, { workspaceId: this.resource.id, category: "env", key, value, description });
    if (props.awsRoles !== undefined) addAwsDynamicCredentials(this, this.resource.id, props.awsRoles);

    if (props.kubernetesAudience !== undefined) {
      env("TFC_KUBERNETES_PROVIDER_AUTH", "true", "Kubernetes credentials come from Terraform Cloud's OIDC token, one per run phase");
      env("TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE", props.kubernetesAudience, "Client ID of the cluster's terraform-cloud identity provider config");
    }
    for (const [key, value] of Object.entries(props.gcpCredentials ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      env(key, value, "Google credentials come from Terraform Cloud's OIDC token (GCP dynamic credentials), one service account per run phase");
    }
    if (props.agentPoolId !== undefined) {
      // tfe_workspace's execution_mode is deprecated in favour of tfe_workspace_settings.
      new WorkspaceSettings(this, "settings", { workspaceId: this.resource.id, executionMode: "agent", agentPoolId: props.agentPoolId });
    }

    for (const [i, source] of (props.runTriggerSourceIds ?? []).entries()) {
      new RunTrigger(this, `trigger-${i}`, { workspaceId: this.resource.id, sourceableId: source });
    }

    addSlackNotification(this, this.resource.id, props.slackWebhookUrl);
  }
}

/**
 * A workspace's AWS dynamic credentials: one role per run phase, each trusting only that
 * workspace's phase (the variables HCP Terraform reads).
 */
export function addAwsDynamicCredentials(scope: Construct, workspaceId: string, roles: { readonly plan: string; readonly apply: string }, applyRole = "Role trusted only by this workspace's apply phase"): void {
  const env = (key: string, value: string, description: string) => new Variable(scope, key, { workspaceId, category: "env", key, value, description });
  env("TFC_AWS_PROVIDER_AUTH", "true", "AWS credentials come from Terraform Cloud's OIDC token (dynamic credentials)");
  env("TFC_AWS_PLAN_ROLE_ARN", roles.plan, "Read-only role trusted only by this workspace's plan phase");
  env("TFC_AWS_APPLY_ROLE_ARN", roles.apply, applyRole);
}

/** Failed runs and drift of a workspace, to the platform's Slack channel (the webhook is a sensitive variable's reference). */
export function addSlackNotification(scope: Construct, workspaceId: string, url: string): void {
  new NotificationConfiguration(scope, "notification", {
    name: "slack",
    workspaceId,
    destinationType: "slack",
    enabled: true,
    url,
    triggers: [...NOTIFICATION_TRIGGERS],
  });
}
