import { TFC_AWS_AUDIENCE, TFC_OIDC_HOST, workspaceSubject } from "../plan/oidc";
import { assumeRoleRefusal, identityPoliciesOf, organizationPoliciesOf } from "./iam";
import { blocksOf, inventoryOf, type Inventory, providersOf, type ProviderView, resolverOf, type RoleView } from "./inventory";
import type { AsyncRehearsalCheck, RehearsalContext, RehearsalFinding, RehearsalStack } from "./types";
import { workspaceSettingsOf, type WorkspaceSettings } from "./workspace-settings";

/*
 * Identity chains per run phase. HCP Terraform runs the plan phase (also the plan of an apply
 * run) with the workspace's plan credentials and the apply phase with its apply credentials.
 * Providers are configured and data sources read in the plan phase; a value they produce (a
 * token) is reused at apply. So every hop must work in both phases: an assumed role must
 * trust, and be assumable by, both the plan and the apply role; a Kubernetes token minted by a
 * data source belongs to the plan role and has expired by apply; SaaS tokens come from
 * variables in the workspace's scope; a private cluster API (EKS or GKE) needs agent execution.
 * A GKE cluster must run Identity Service to accept HCP Terraform's tokens; its OIDC client
 * config is applied at bootstrap, outside any stack, and is not checked.
 */

type Phase = "plan" | "apply";
const PHASES: readonly Phase[] = ["plan", "apply"];

/**
 * The role a provider's `assume_role` names in one run phase. A literal (or a reference the
 * resolver follows) is the same in both; the platform's phase switch (stacks/platform-stack.ts)
 * tests whether HCP Terraform's credentials file of the run names the workspace's apply role:
 * `${strcontains(file(var.tfc_aws_dynamic_credentials.<config>.shared_config_file), ":role/<name>") ? "<then>" : "<else>"}`.
 * Undefined for any other expression.
 */
export function targetInPhase(target: string, phase: Phase, roles: Partial<Record<Phase, string>>): string | undefined {
  const rest = target.startsWith("${") ? target.slice(2, -1) : undefined;
  if (rest === undefined || !target.endsWith("}")) return target;
  const phaseSwitch = /^strcontains\(file\(var\.tfc_aws_dynamic_credentials\.(?:default|aliases\["[\w-]+"\])\.shared_config_file\), "(:role\/[\w+=,.@-]+)"\) \? "([^"$]+)" : "([^"$]+)"$/.exec(rest);
  if (!phaseSwitch) return /^[\w.-]+(\[\d+\])?(\.[\w-]+)*$/.test(rest) ? target : undefined;
  const [, roleMark, whenNamed, otherwise] = phaseSwitch;
  return roles[phase]?.endsWith(roleMark!) ? whenNamed : otherwise;
}

/** Environment variables (any one set) that give each SaaS provider its credentials. */
const SAAS_CREDENTIALS: Readonly<Record<string, { readonly env: readonly (readonly string[])[]; readonly config: readonly string[] }>> = {
  github: { env: [["GITHUB_TOKEN"], ["GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID", "GITHUB_APP_PEM_FILE"]], config: ["token", "app_auth"] },
  datadog: { env: [["DD_API_KEY", "DD_APP_KEY"], ["DATADOG_API_KEY", "DATADOG_APP_KEY"]], config: ["api_key"] },
  pagerduty: { env: [["PAGERDUTY_TOKEN"], ["PAGERDUTY_USER_TOKEN"]], config: ["token", "user_token"] },
  slack: { env: [["SLACK_TOKEN"]], config: ["token"] },
  tfe: { env: [["TFE_TOKEN"]], config: ["token"] },
};

/** Whether a web-identity trust admits HCP Terraform's token of one workspace phase (exact sub, our audience, the account's provider). */
function trustsWorkspace(trust: any, account: string, subject: string): boolean {
  const provider = `arn:aws:iam::${account}:oidc-provider/${TFC_OIDC_HOST}`;
  return [].concat(trust?.Statement ?? []).some((st: any) => {
    const actions = [].concat(st?.Action ?? []) as string[];
    const federated = [].concat(st?.Principal?.Federated ?? []) as string[];
    const equals = st?.Condition?.StringEquals ?? {};
    const subs = [].concat(equals[`${TFC_OIDC_HOST}:sub`] ?? []) as string[];
    const auds = [].concat(equals[`${TFC_OIDC_HOST}:aud`] ?? []) as string[];
    return st?.Effect === "Allow" && actions.includes("sts:AssumeRoleWithWebIdentity") && federated.includes(provider) && subs.includes(subject) && auds.includes(TFC_AWS_AUDIENCE);
  });
}

/** The caller role's policies: from the stack that creates it, else from the trust template of the same phase (the management bootstrap uses it). */
function callerRole(inventory: Inventory, arn: string, phase: Phase): RoleView | undefined {
  const known = inventory.roles.get(arn);
  if (known) return known;
  return [...inventory.roles.values()].find((r) => r.provision.type.startsWith("aws_cloudformation_stack_instance") && r.arn.includes(`:role/tfc-${phase}-`));
}

/** Findings of one stack. */
async function checkStack(context: RehearsalContext, inventory: Inventory, org: ReturnType<typeof organizationPoliciesOf>, workspaces: Map<string, WorkspaceSettings>, stack: RehearsalStack): Promise<RehearsalFinding[]> {
  const name = stack.spec.name;
  const ws = workspaces.get(name);
  // No factory creates it: the contract check reports the missing workspace. One made by hand has its credentials set by hand.
  if (!ws || ws.createdBy.startsWith("prerequisite ")) return [];
  const findings: RehearsalFinding[] = [];
  const found = (f: Omit<RehearsalFinding, "stack" | "class"> & { class?: RehearsalFinding["class"] }) => findings.push({ class: "identity", stack: name, ...f });
  const providers = providersOf(context.model, stack);
  const model = context.model;
  const tfc = model.platform.terraformCloud;
  const has = (key: string) => ws.variables.has(key);

  // AWS: dynamic credentials, one role per phase, each trusting exactly this workspace's phase.
  // A provider reading `var.tfc_aws_dynamic_credentials.aliases["<tag>"]` has a configuration
  // of its own (HCP Terraform's multiple configurations: variables suffixed `_<tag>`).
  const aws = providers.filter((p) => p.type === "aws");
  const checkedTags = new Set<string>();
  for (const p of aws) {
    const tag = /tfc_aws_dynamic_credentials\.aliases\["([^"]+)"\]/.exec([].concat(p.config.shared_config_files ?? []).join(" "))?.[1];
    const suffix = tag ? `_${tag}` : "";
    const address = `provider.${p.address}`;
    const roles: Partial<Record<Phase, string>> = {};
    for (const phase of PHASES) roles[phase] = ws.variables.get(`TFC_AWS_${phase.toUpperCase()}_ROLE_ARN${suffix}`) ?? ws.variables.get(`TFC_AWS_RUN_ROLE_ARN${suffix}`);
    if (!checkedTags.has(suffix)) {
      checkedTags.add(suffix);
      if (tag && !stack.json?.variable?.tfc_aws_dynamic_credentials) {
        found({ address, message: "the provider reads var.tfc_aws_dynamic_credentials, which the stack does not declare", fix: "declare the variable tfc_aws_dynamic_credentials (an object with default and aliases shared config files)" });
      }
      if (ws.variables.get(`TFC_AWS_PROVIDER_AUTH${suffix}`) !== "true") {
        found({ address, message: `workspace ${name} has no AWS dynamic credentials for it (TFC_AWS_PROVIDER_AUTH${suffix} is not "true")`, expectedFrom: ws.createdBy, fix: `set TFC_AWS_PROVIDER_AUTH${suffix}, TFC_AWS_PLAN_ROLE_ARN${suffix} and TFC_AWS_APPLY_ROLE_ARN${suffix} on the workspace in ${ws.createdBy}` });
      }
      for (const phase of PHASES) {
        const arn = roles[phase];
        if (!arn) {
          found({ address, message: `the ${phase} phase has no role (TFC_AWS_${phase.toUpperCase()}_ROLE_ARN${suffix})`, expectedFrom: ws.createdBy, fix: `set TFC_AWS_${phase.toUpperCase()}_ROLE_ARN${suffix} on workspace ${name}` });
          continue;
        }
        const role = inventory.roles.get(arn);
        const account = /^arn:aws:iam::(\d{12}):role\//.exec(arn)?.[1];
        const subject = workspaceSubject(tfc.organization, tfc.project, name, phase);
        if (role && account && !trustsWorkspace(role.trust, account, subject)) {
          found({ address, message: `the ${phase} role ${arn} does not trust HCP Terraform's token of workspace ${name} in the ${phase} phase`, expectedFrom: role.provision.stack, fix: `trust sub "${subject}" with aud ${TFC_AWS_AUDIENCE} in ${role.provision.stack}` });
        }
      }
    }

    // An assumed role, evaluated for both phases' callers.
    const target = p.config.assume_role?.[0]?.role_arn ?? p.config.assume_role?.role_arn;
    if (typeof target !== "string") continue;
    for (const phase of PHASES) {
      const phaseTarget = targetInPhase(target, phase, roles);
      if (phaseTarget === undefined) {
        found({ class: "not-checked", address, message: `not checked: the role this provider assumes in the ${phase} phase (${target}) is an expression the rehearsal cannot follow`, fix: "name the role by a literal ARN, or pick it by phase with the dynamic-credentials file test the platform stacks use (stacks/platform-stack.ts)" });
        continue;
      }
      const resolved = resolverOf(model, stack)(phaseTarget);
      const role = resolved ? inventory.roles.get(resolved) : undefined;
      if (!resolved || !role) continue; // an unknown role is the contract check's finding
      const callerArn = roles[phase];
      const callerAccount = callerArn ? /^arn:aws:iam::(\d{12}):role\//.exec(callerArn)?.[1] : undefined;
      if (!callerArn || !callerAccount) continue;
      const caller = callerRole(inventory, callerArn, phase);
      if (!caller) {
        found({ class: "not-checked", address, message: `not checked: the policies of the ${phase} role ${callerArn} are not known to the rehearsal`, fix: "create the role in a stack or the OIDC trust template" });
        continue;
      }
      const identity = identityPoliciesOf(caller);
      if (identity.unknown.length > 0) {
        found({ class: "not-checked", address, message: `not checked: the managed policies ${identity.unknown.join(", ")} of ${callerArn} are not in lib/rehearsal/managed-policies.json`, fix: "add them to SNAPSHOT_POLICY_ARNS and run npm run managed-policies" });
        continue;
      }
      const refusal = await assumeRoleRefusal(context, org, { arn: callerArn, account: callerAccount, policies: identity.policies }, { arn: resolved, account: role.provision.account ?? "", trust: role.trust }, p.region);
      if (refusal) {
        found({
          address,
          message: `in the ${phase} phase ${callerArn} cannot assume ${resolved}: ${refusal}; provider configuration fails${phase === "plan" ? " in every plan, also the plan of an apply run" : " at apply"}`,
          expectedFrom: role.provision.stack,
          fix: phase === "plan"
            ? `give the plan phase a read-only path: a read-only twin of the role in ${role.provision.stack} that the plan phase reaches (its own dynamic credentials configuration, or a trust of the plan role, which itself may sts:AssumeRole it)`
            : `let ${role.provision.stack} trust the apply role, and the apply role sts:AssumeRole the role`,
        });
      }
    }
  }

  // Kubernetes and Helm: where the token comes from, and whether the API is reachable.
  for (const p of providers.filter((x) => x.type === "kubernetes" || x.type === "helm")) {
    const conf = p.type === "helm" ? (p.config.kubernetes ?? {}) : p.config;
    const address = `provider.${p.address}`;
    const token = String(conf.token ?? "");
    const minted = /data\.(aws_eks_cluster_auth\.[\w-]+\.token|google_client_config\.[\w-]+\.access_token)/.exec(token);
    if (minted) {
      found({ address, message: `the Kubernetes token comes from data.${minted[1]}, minted in the plan phase by the plan role or service account and reused at apply (a data source is stored in the saved plan), where it may have expired and belongs to the wrong identity`, fix: "use HCP Terraform's Kubernetes dynamic credentials (TFC_KUBERNETES_PROVIDER_AUTH, TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE, token = var.tfc_kubernetes_dynamic_credentials) with RBAC for both phases' identities" });
    } else if (/var\.tfc_kubernetes_dynamic_credentials/.test(token)) {
      const audience = ws.variables.get("TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE");
      if (ws.variables.get("TFC_KUBERNETES_PROVIDER_AUTH") !== "true" || !audience) {
        found({ address, message: "the token reads var.tfc_kubernetes_dynamic_credentials, but the workspace lacks TFC_KUBERNETES_PROVIDER_AUTH=true or TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE", expectedFrom: ws.createdBy, fix: `set both on workspace ${name} in ${ws.createdBy}` });
      }
      if (!stack.json?.variable?.tfc_kubernetes_dynamic_credentials) {
        found({ address, message: "the token reads var.tfc_kubernetes_dynamic_credentials, which the stack does not declare", fix: "declare the variable tfc_kubernetes_dynamic_credentials (an object with default and aliases tokens)" });
      }
      const cluster = clusterOf(stack, conf.host, p, providers);
      if (cluster && audience && !clusterAcceptsAudience(inventory, context, cluster, audience)) {
        found({ address, message: `no OIDC identity provider of cluster ${cluster.name} accepts HCP Terraform tokens for audience ${audience}`, fix: `give the cluster an identity provider config with issuer https://${TFC_OIDC_HOST} and client ID ${audience}` });
      }
    } else if (conf.exec || conf.config_path || conf.client_certificate || token !== "") {
      found({ class: "not-checked", address, message: "not checked: the Kubernetes credentials are neither HCP Terraform dynamic credentials nor a data.aws_eks_cluster_auth token", fix: "use HCP Terraform's Kubernetes dynamic credentials" });
    }
    const gke = gkeClusterOf(stack, conf.host, providers);
    if (gke) {
      const created = inventory.byKey.get(`gke-cluster:${gke.project}/${gke.location}/${gke.name}`)?.[0];
      const block = created ? clusterBlock(context, created.stack, created.address) : undefined;
      // The OIDC client config inside the cluster (issuer, audience, user prefix) is applied at
      // bootstrap and not part of any stack: only that the cluster runs Identity Service is checked.
      if (block && /var\.tfc_kubernetes_dynamic_credentials/.test(token) && block.identity_service_config?.enabled !== true) {
        found({ address, message: `the token is an HCP Terraform OIDC token, but GKE cluster ${gke.name} does not run Identity Service (identity_service_config.enabled), so its API server rejects it`, expectedFrom: created!.stack, fix: `enable identity_service_config on the cluster in ${created!.stack} and apply its OIDC client config at bootstrap` });
      }
      if (block && block.private_cluster_config?.enable_private_endpoint === true && ws.executionMode !== "agent") {
        found({ class: "reachability", address, message: `the API of GKE cluster ${gke.name} has only a private endpoint, and workspace ${name} runs on HCP Terraform's shared runners (execution mode ${ws.executionMode})`, expectedFrom: ws.createdBy, fix: `run workspace ${name} on an agent pool that reaches the cluster's private endpoint (execution_mode = "agent" and agent_pool_id on tfe_workspace_settings in ${ws.createdBy})` });
      }
    }
    const cluster = clusterOf(stack, conf.host, p, providers);
    if (cluster) {
      const created = inventory.byKey.get(`arn:aws:eks:${cluster.region}:${cluster.account}:cluster/${cluster.name}`)?.[0];
      const block = created ? clusterBlock(context, created.stack, created.address) : undefined;
      if (block && block.vpc_config?.endpoint_public_access === false && ws.executionMode !== "agent") {
        found({ class: "reachability", address, message: `the API of cluster ${cluster.name} is private (endpoint_public_access = false), and workspace ${name} runs on HCP Terraform's shared runners (execution mode ${ws.executionMode})`, expectedFrom: ws.createdBy, fix: `run workspace ${name} on an agent pool inside the cluster's network (execution_mode = "agent" and agent_pool_id on tfe_workspace_settings in ${ws.createdBy})` });
      }
    }
  }

  // Google: HCP Terraform's GCP dynamic credentials, or credentials from a variable.
  for (const p of providers.filter((x) => x.type === "google" || x.type === "google-beta")) {
    const dynamic = ws.variables.get("TFC_GCP_PROVIDER_AUTH") === "true" && has("TFC_GCP_WORKLOAD_PROVIDER_NAME")
      && (has("TFC_GCP_RUN_SERVICE_ACCOUNT_EMAIL") || (has("TFC_GCP_PLAN_SERVICE_ACCOUNT_EMAIL") && has("TFC_GCP_APPLY_SERVICE_ACCOUNT_EMAIL")));
    const byVariable = has("GOOGLE_CREDENTIALS") || has("GOOGLE_APPLICATION_CREDENTIALS") || typeof p.config.credentials === "string" || typeof p.config.access_token === "string";
    if (!dynamic && !byVariable) {
      found({ address: `provider.${p.address}`, message: `workspace ${name} gives the Google provider no credentials in either phase (no TFC_GCP_PROVIDER_AUTH with TFC_GCP_WORKLOAD_PROVIDER_NAME and a service account, no GOOGLE_CREDENTIALS)`, expectedFrom: ws.createdBy, fix: `use HCP Terraform's GCP dynamic credentials: set TFC_GCP_PROVIDER_AUTH=true, TFC_GCP_WORKLOAD_PROVIDER_NAME and TFC_GCP_RUN_SERVICE_ACCOUNT_EMAIL (or the plan and apply ones) on workspace ${name} in ${ws.createdBy}` });
    }
  }

  // SaaS tokens: a variable of the workspace or of a variable set in its scope.
  for (const p of providers) {
    const saas = SAAS_CREDENTIALS[p.type];
    if (!saas) {
      if (!["aws", "kubernetes", "helm", "google", "google-beta"].includes(p.type)) {
        found({ class: "not-checked", address: `provider.${p.address}`, message: `not checked: the rehearsal does not know how the ${p.type} provider gets credentials`, fix: "teach lib/rehearsal/identity.ts the provider's credential variables" });
      }
      continue;
    }
    const fromConfig = saas.config.some((k) => p.config[k] !== undefined);
    const fromEnv = saas.env.some((keys) => keys.every(has));
    if (!fromConfig && !fromEnv) {
      found({ address: `provider.${p.address}`, message: `workspace ${name} has no ${saas.env.map((k) => k.join(" + ")).join(" or ")}: no variable of its own and no variable set in its scope holds it`, expectedFrom: ws.createdBy, fix: `apply the variable set holding ${saas.env[0]!.join(" and ")} to workspace ${name} (lib/plan/workspace-plan.ts SECRET_VARIABLE_SETS scope)` });
    }
  }
  return findings;
}

/** The EKS cluster a Kubernetes provider's host names through `data.aws_eks_cluster.<name>.endpoint`. */
function clusterOf(stack: RehearsalStack, host: unknown, provider: ProviderView, providers: readonly ProviderView[]): { name: string; account: string; region: string } | undefined {
  const ref = /data\.aws_eks_cluster\.([\w-]+)\.endpoint/.exec(String(host ?? ""))?.[1];
  const block = ref ? stack.json?.data?.aws_eks_cluster?.[ref] : undefined;
  if (!block || typeof block.name !== "string") return undefined;
  const aws = providers.find((p) => p.address === (block.provider ?? "aws")) ?? provider;
  return aws.account && aws.region ? { name: block.name, account: aws.account, region: block.region ?? aws.region } : undefined;
}

/** The GKE cluster a Kubernetes provider's host names through `data.google_container_cluster.<name>`. */
function gkeClusterOf(stack: RehearsalStack, host: unknown, providers: readonly ProviderView[]): { name: string; project: string; location: string } | undefined {
  const ref = /data\.google_container_cluster\.([\w-]+)\./.exec(String(host ?? ""))?.[1];
  const block = ref ? stack.json?.data?.google_container_cluster?.[ref] : undefined;
  if (!block || typeof block.name !== "string" || typeof block.location !== "string") return undefined;
  const google = providers.find((p) => p.address === (block.provider ?? "google"));
  const project = typeof block.project === "string" ? block.project : google?.config.project;
  return typeof project === "string" ? { name: block.name, project, location: block.location } : undefined;
}

function clusterBlock(context: RehearsalContext, stack: string, address: string): any {
  const [type, name] = address.split(".");
  return context.byName.get(stack)?.json?.resource?.[type!]?.[name!];
}

/** Whether some stack gives the cluster an OIDC identity provider for HCP Terraform's tokens with this audience. */
function clusterAcceptsAudience(inventory: Inventory, context: RehearsalContext, cluster: { name: string; account: string; region: string }, audience: string): boolean {
  const created = inventory.byKey.get(`arn:aws:eks:${cluster.region}:${cluster.account}:cluster/${cluster.name}`)?.[0];
  const stack = created ? context.byName.get(created.stack) : undefined;
  if (!stack || !created) return false;
  const resourceName = created.address.split(".")[1]!;
  return blocksOf(stack, "resource").some(([type, , block]) => type === "aws_eks_identity_provider_config"
    && (block.cluster_name === cluster.name || String(block.cluster_name).includes(`aws_eks_cluster.${resourceName}.`))
    && String(block.oidc?.issuer_url ?? "").replace(/\/$/, "") === `https://${TFC_OIDC_HOST}` && block.oidc?.client_id === audience);
}

/**
 * The identity check: for every workspace, every credential hop in the plan phase and the
 * apply phase, and the reachability of the endpoints its providers talk to. Asynchronous
 * because the IAM evaluator is.
 */
export const checkIdentity: AsyncRehearsalCheck = async (context) => {
  const inventory = inventoryOf(context);
  const org = organizationPoliciesOf(context);
  const workspaces = workspaceSettingsOf(context);
  const findings: RehearsalFinding[] = [];
  for (const stack of context.stacks) findings.push(...await checkStack(context, inventory, org, workspaces, stack));
  for (const ws of workspaces.values()) if (!context.byName.has(ws.name)) findings.push(...workspaceWithoutStack(context, inventory, ws));
  return findings;
};

/**
 * A workspace no stack of this repository runs (a team-owned, VCS-driven one): its code is not
 * here, so only its credentials are checked. With AWS dynamic credentials, each phase's role
 * must be created by some stack and trust exactly this workspace's token in that phase, in the
 * workspace's own project.
 */
function workspaceWithoutStack(context: RehearsalContext, inventory: Inventory, ws: WorkspaceSettings): RehearsalFinding[] {
  if (ws.createdBy.startsWith("prerequisite ") || ws.variables.get("TFC_AWS_PROVIDER_AUTH") !== "true") return [];
  const tfc = context.model.platform.terraformCloud;
  const findings: RehearsalFinding[] = [];
  const creator = context.byName.get(ws.createdBy);
  const resolve = creator ? resolverOf(context.model, creator) : (v: string) => v;
  for (const phase of PHASES) {
    const key = `TFC_AWS_${phase.toUpperCase()}_ROLE_ARN`;
    const raw = ws.variables.get(key);
    const address = `tfe_workspace ${ws.name}`;
    const arn = raw === undefined ? undefined : resolve(raw) ?? raw;
    const role = arn ? inventory.roles.get(arn) : undefined;
    if (!arn || !role) {
      findings.push({ class: "identity", stack: ws.createdBy, address, message: `the ${phase} phase of workspace ${ws.name} names ${arn ?? `no role (${key})`}, which no stack creates`, expectedFrom: ws.createdBy, fix: `create the role in the service's stack, or set ${key} on the workspace to a role that exists` });
      continue;
    }
    const account = /^arn:aws:iam::(\d{12}):role\//.exec(arn)?.[1];
    const subject = workspaceSubject(tfc.organization, ws.project ?? tfc.project, ws.name, phase);
    if (account && !trustsWorkspace(role.trust, account, subject)) {
      findings.push({ class: "identity", stack: ws.createdBy, address, message: `the ${phase} role ${arn} does not trust HCP Terraform's token of workspace ${ws.name} in the ${phase} phase`, expectedFrom: role.provision.stack, fix: `trust sub "${subject}" with aud ${TFC_AWS_AUDIENCE} in ${role.provision.stack}` });
    }
  }
  return findings;
}


