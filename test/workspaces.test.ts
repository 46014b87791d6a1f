import { describe, expect, it } from "vitest";
import { EXACT_SUBJECT, OIDC_STACK_SET_NAME, roleName, templateTrustProblems } from "../lib/plan/oidc";
import { planStacks } from "../lib/plan/stack-plan";
import { runnerTeamName } from "../lib/plan/workspace-plan";
import { exampleModel, exampleStacks, exampleRaw, resources, synthStacks, withService } from "./helpers.js";
import { validate } from "../lib/config/validate";

const model = exampleModel();
const stacks = exampleStacks();
const all = (type: string) => Object.entries(stacks).flatMap(([stack, s]) => Object.values(resources(s, type)).map((r: any) => ({ stack, ...r })));
/** Workspace env variables of one workspace, by key, looked up through the workspace resource name. */
function variablesOf(workspace: string): Record<string, string> {
  const owner = Object.entries(stacks).find(([, s]) => Object.values(resources(s, "tfe_workspace")).some((w: any) => w.name === workspace));
  if (!owner) return {};
  const [, stack] = owner;
  const [id] = Object.entries(resources(stack, "tfe_workspace")).find(([, w]: any) => w.name === workspace)!;
  return Object.fromEntries(Object.values(resources(stack, "tfe_variable")).filter((v: any) => v.workspace_id === `\${tfe_workspace.${id}.id}`).map((v: any) => [v.key, v.value]));
}

describe("the workspace factories", () => {
  it("create exactly one workspace per synthesized stack, named like its cloud block, and one VCS-driven workspace per team-owned infrastructure", () => {
    const cloudNames = Object.values(stacks).map((s) => s.terraform.cloud.workspaces.name).sort();
    const workspaceNames = all("tfe_workspace").filter((w) => w.vcs_repo === undefined).map((w) => w.name).sort();
    expect(workspaceNames).toEqual(cloudNames);
    expect(new Set(workspaceNames).size).toBe(workspaceNames.length);
    const teamNames = all("tfe_workspace").filter((w) => w.vcs_repo !== undefined).map((w) => w.name).sort();
    expect(teamNames).toEqual(model.services.filter((s) => s.infrastructure).map((s) => `${s.key}-infrastructure`).sort());
  });

  it("create each workspace in the stack planStacks names as its factory", () => {
    for (const spec of planStacks(model)) {
      const names = Object.values(resources(stacks[spec.workspaceFactory], "tfe_workspace")).map((w: any) => w.name);
      expect(names, spec.name).toContain(spec.name);
    }
  });

  it("adopts the factory's own pre-existing workspace with an import block instead of creating it", () => {
    expect(stacks["workspaces"].import).toEqual([expect.objectContaining({ id: "example/workspaces", to: expect.stringMatching(/^tfe_workspace\.workspace-workspaces/) })]);
  });

  it("turns health assessments on and protects every workspace's state from destroy", () => {
    for (const w of all("tfe_workspace")) expect(w, w.name).toMatchObject({ assessments_enabled: true, lifecycle: { prevent_destroy: true } });
  });

  it("gives an AWS workspace separate plan and apply roles in its own account", () => {
    expect(variablesOf("network-ap-northeast-3")).toEqual({
      TFC_AWS_PROVIDER_AUTH: "true",
      TFC_AWS_PLAN_ROLE_ARN: "arn:aws:iam::100000000004:role/tfc-plan-network-ap-northeast-3",
      TFC_AWS_APPLY_ROLE_ARN: "arn:aws:iam::100000000004:role/tfc-apply-network-ap-northeast-3",
    });
    expect(variablesOf("service-ledger-ap-northeast-1")).toMatchObject({
      TFC_AWS_PLAN_ROLE_ARN: expect.stringMatching(/^arn:aws:iam::\$\{aws_organizations_account\.account-ledger_[A-F0-9]+\.id\}:role\/tfc-plan-service-ledger-ap-northeast-1$/),
    });
  });

  it("runs the namespace shards as the cluster stack's namespaces roles", () => {
    expect(variablesOf("namespaces-ap-northeast-1-0")).toMatchObject({
      TFC_AWS_PLAN_ROLE_ARN: "arn:aws:iam::100000000005:role/namespaces-ap-northeast-1-plan",
      TFC_AWS_APPLY_ROLE_ARN: "arn:aws:iam::100000000005:role/namespaces-ap-northeast-1-apply",
    });
  });

  it("lets only the namespace shards of a shared tenant read its primary workspace's outputs", () => {
    const shard = stacks[planStacks(model).find((s) => s.name === "service-payments-ap-northeast-1")!.workspaceFactory];
    const ws = Object.values(resources(shard, "tfe_workspace")) as any[];
    const primary = ws.find((w) => w.name === "service-payments-ap-northeast-1");
    expect(primary.remote_state_consumer_ids).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\{data\.tfe_workspace\.source-namespaces-ap-northeast-1-\d+\.id\}$/), expect.stringMatching(/namespaces-ap-northeast-3-/)]));
    expect(primary.global_remote_state).toBe(false);
    expect(ws.find((w) => w.name === "service-payments-ap-northeast-3").remote_state_consumer_ids).toBeUndefined();
  });

  it("gives SaaS and Terraform Cloud workspaces no AWS credentials", () => {
    for (const name of ["github", "datadog", "pagerduty", "workspaces"]) expect(variablesOf(name), name).toEqual({});
  });

  it("declares every secret as a sensitive, empty variable whose value is set by hand", () => {
    const secrets = all("tfe_variable").filter((v) => v.variable_set_id);
    expect(secrets.map((v) => v.key).sort()).toEqual(["DD_API_KEY", "DD_APP_KEY", "GITHUB_TOKEN", "PAGERDUTY_TOKEN", "SLACK_TOKEN", "TFE_TOKEN", "slack_webhook_url"]);
    for (const v of secrets) expect(v, v.key).toMatchObject({ sensitive: true, value: "", lifecycle: { ignore_changes: ["value"] } });
  });

  it("gives the Terraform Cloud token only to the workspace factories, the namespace shards and the cluster stacks (agent tokens)", () => {
    const ws = stacks["workspaces"];
    const tfeSet = Object.entries(resources(ws, "tfe_variable_set")).find(([, s]: any) => s.name === "tfe-token")![0];
    const attached = Object.values(resources(ws, "tfe_workspace_variable_set")).filter((a: any) => a.variable_set_id === `\${tfe_variable_set.${tfeSet}.id}`).map((a: any) => a.workspace_id);
    const names = Object.fromEntries(Object.entries(resources(ws, "tfe_workspace")).map(([id, w]: any) => [`\${tfe_workspace.${id}.id}`, w.name]));
    const shards = planStacks(model).filter((s) => s.kind === "namespaces").map((s) => s.name);
    expect(shards.length).toBeGreaterThan(0);
    const clusters = planStacks(model).filter((s) => s.kind === "cluster").map((s) => s.name);
    expect(attached.map((id) => names[id]).sort()).toEqual(["accounts-0", "accounts-1", "accounts-2", "accounts-3", ...clusters, ...shards, "workspaces"].sort());
  });

  it("notifies Slack of failed runs and drift through a sensitive variable, never a literal URL", () => {
    const notifications = all("tfe_notification_configuration");
    expect(notifications).toHaveLength(all("tfe_workspace").length);
    for (const n of notifications) {
      expect(n).toMatchObject({ destination_type: "slack", url: "${var.slack_webhook_url}", triggers: expect.arrayContaining(["run:errored", "assessment:drifted"]) });
    }
    expect(stacks["workspaces"].variable.slack_webhook_url).toMatchObject({ sensitive: true });
    expect(JSON.stringify(stacks)).not.toMatch(/hooks\.slack\.com/);
  });

  it("gives the platform team admin and the approvers read access to the project", () => {
    const access = Object.values(resources(stacks["workspaces"], "tfe_team_project_access")).filter((a: any) => a.team_id.startsWith("${data.tfe_team.")).map((a: any) => a.access).sort();
    expect(access).toEqual(["admin", "read"]);
  });

  it("lets the pull-request team queue plans only, the apply team apply, and the drift team read", () => {
    const ws = stacks["workspaces"];
    const teams = Object.fromEntries(Object.entries(resources(ws, "tfe_team")).map(([id, t]: any) => [`\${tfe_team.${id}.id}`, t]));
    const byName = Object.fromEntries(Object.values(resources(ws, "tfe_team_project_access")).filter((a: any) => teams[a.team_id]).map((a: any) => [teams[a.team_id].name, a]));
    const [plan, apply, drift] = (["plan", "apply", "drift"] as const).map((role) => runnerTeamName(model.platform, role));
    expect(Object.values(teams).map((t: any) => t.name).sort()).toEqual([apply, drift, plan].sort());
    expect(byName[plan!]).toMatchObject({ access: "custom", workspace_access: [{ runs: "plan", variables: "none", state_versions: "read-outputs", locking: false }] });
    expect(byName[apply!]).toMatchObject({ access: "custom", workspace_access: [{ runs: "apply", variables: "none" }] });
    // The drift team has no run permission at all: it reads the explorer, organization-wide.
    expect(byName[drift!]).toBeUndefined();
    expect(Object.values(teams).find((t: any) => t.name === drift)).toMatchObject({ organization_access: { read_workspaces: true } });
    expect(Object.values(teams).find((t: any) => t.name === plan).organization_access).toBeUndefined();
  });

  it("chains run triggers organization -> log archive -> security -> network -> cluster -> services", () => {
    const ws = stacks["workspaces"];
    const names = Object.fromEntries(Object.entries(resources(ws, "tfe_workspace")).map(([id, w]: any) => [`\${tfe_workspace.${id}.id}`, w.name]));
    const edges = Object.values(resources(ws, "tfe_run_trigger")).map((t: any) => `${names[t.sourceable_id]} -> ${names[t.workspace_id]}`);
    expect(edges).toEqual(expect.arrayContaining([
      "organization -> accounts-0", "organization -> log-archive-ap-northeast-1", "log-archive-ap-northeast-1 -> security-ap-northeast-1",
      "security-ap-northeast-1 -> network-ap-northeast-1", "network-ap-northeast-1 -> cluster-ap-northeast-1",
    ]));
    const shard = stacks[planStacks(model).find((s) => s.name === "service-ledger-ap-northeast-1")!.workspaceFactory];
    expect(Object.values(resources(shard, "tfe_run_trigger"))).toEqual([expect.objectContaining({ sourceable_id: "${data.tfe_workspace.source-cluster-ap-northeast-1.id}" })]);
  });
});

describe("OIDC trust in every AWS account", () => {
  const stackSet = Object.values(resources(stacks["organization"], "aws_cloudformation_stack_set"))[0] as any;
  const template = JSON.parse(stackSet.template_body);
  const instances = all("aws_cloudformation_stack_instances");

  it("is a service-managed StackSet whose template trusts exact subjects only", () => {
    expect(stackSet).toMatchObject({ name: OIDC_STACK_SET_NAME, permission_model: "SERVICE_MANAGED", auto_deployment: { enabled: false } });
    expect(templateTrustProblems(template)).toEqual([]);
    const subs = Object.values(template.Resources).filter((r: any) => r.Type === "AWS::IAM::Role")
      .map((r: any) => r.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals["app.terraform.io:sub"]["Fn::Sub"]);
    // Terraform reads the template literally: its Fn::Sub placeholders reach the JSON escaped.
    expect(subs).toContain("organization:example:project:super-terraform:workspace:$${Workspace1}:run_phase:plan");
    expect(subs).toContain("organization:example:project:super-terraform:workspace:$${Workspace2}:run_phase:apply");
  });

  it("plants trust for every workspace that reaches AWS, except the management account's (manual bootstrap) and the namespace shards' (cluster stack)", () => {
    const trusted = instances.flatMap((i) => Object.entries(i.parameter_overrides ?? {}).filter(([k]) => k.startsWith("Workspace")).map(([, v]) => v)).sort();
    const aws = planStacks(model).filter((s) => s.account !== "none" && s.account !== "management" && s.kind !== "namespaces").map((s) => s.name).sort();
    expect(trusted).toEqual(aws);
    for (const name of trusted) expect(EXACT_SUBJECT.test(`organization:example:project:super-terraform:workspace:${name}:run_phase:plan`)).toBe(true);
  });

  it("targets each account exactly once, by account id", () => {
    const accounts = instances.map((i) => i.deployment_targets.accounts[0]);
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(accounts).toEqual(expect.arrayContaining(["100000000002", "100000000003", "100000000004", "100000000005", "100000000006"]));
    expect(accounts.filter((a: string) => a.includes("aws_organizations_account"))).toHaveLength(model.services.length);
  });

  it("keeps per-service trust and workspaces out of the organization and workspaces stacks", () => {
    const text = JSON.stringify([stacks["organization"], stacks["workspaces"]]);
    for (const s of model.services) expect(text).not.toContain(`service-${s.key}`);
  });

  it("trusts a newly added service's workspaces from its accounts shard only", () => {
    const raw = withService(exampleRaw(), "billing", { ...structuredClone(exampleRaw().index.ledger), account: { email: "aws+billing@example.com", ou: "workloads-prod" }, slack: { handle: "billing-team" }, network: { cidrs: { "ap-northeast-1": "10.16.32.0/20" } } });
    const next = synthStacks(validate(raw));
    const changed = Object.keys(next).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(stacks[k]));
    const shard = planStacks(validate(raw)).find((s) => s.service === "billing")!.workspaceFactory;
    expect(changed.sort()).toEqual([shard, "service-billing-ap-northeast-1"].sort());
    const instance = Object.values(resources(next[shard], "aws_cloudformation_stack_instances")).find((i: any) => i.parameter_overrides.Workspace1 === "service-billing-ap-northeast-1") as any;
    expect(instance.parameter_overrides).toEqual({ Workspace1: "service-billing-ap-northeast-1", RoleSuffix1: "service-billing-ap-northeast-1" });
    expect(roleName("service-billing-ap-northeast-1", "apply")).toBe("tfc-apply-service-billing-ap-northeast-1");
  });
});

describe("the Slack command's Lambda deployment", () => {
  const cluster = stacks["cluster-ap-northeast-1"];
  const fn = Object.values(resources(cluster, "aws_lambda_function"))[0] as any;

  it("runs once, in the primary region's cluster stack, behind a function URL", () => {
    expect(all("aws_lambda_function").map((f) => f.stack)).toEqual(["cluster-ap-northeast-1"]);
    expect(Object.values(resources(cluster, "aws_lambda_function_url"))).toEqual([expect.objectContaining({ authorization_type: "NONE" })]);
  });

  it("gets its signing secret and GitHub token as Secrets Manager references, never values", () => {
    expect(fn.environment.variables).toEqual({
      SIGNING_SECRET_ARN: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.[^.]+\.arn\}$/),
      GITHUB_TOKEN_SECRET_ARN: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.[^.]+\.arn\}$/),
      GITHUB_API_URL: "https://api.github.com",
      GITHUB_REPOSITORY: "example/super-terraform",
    });
    // The only values written into Secrets Manager by Terraform are the agents' tokens, as
    // references to the token resource (constructs/terraform-cloud-agents.ts).
    for (const version of all("aws_secretsmanager_secret_version")) expect(version.secret_string).toMatch(/^\$\{tfe_agent_token\.[^.]+\.token\}$/);
  });
});
