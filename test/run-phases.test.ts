import { describe, expect, it } from "vitest";
import { terraformCloudSubject } from "../lib/plan/cluster";
import { kubernetesAudienceOf, sharedClusterRbac, terraformCloudUser } from "../lib/plan/kubernetes-access";
import { planStacks } from "../lib/plan/stack-plan";
import { evaluate } from "../guardrails/evaluate.js";
import { noProviderCredentials } from "../guardrails/rules/no-provider-credentials.js";
import { exampleModel, exampleStacks, resources } from "./helpers.js";
import { phaseHopProblems } from "./run-phase-helpers.js";

const model = exampleModel();
const p = model.platform;
const stacks = exampleStacks();
const specs = planStacks(model);

/** Every workspace's settings and variables in the factories, by workspace name. */
function workspaceWiring(all: Record<string, any> = stacks): Map<string, { settings?: any; env: Record<string, string> }> {
  const out = new Map<string, { settings?: any; env: Record<string, string> }>();
  for (const json of Object.values(all)) {
    const byId = new Map<string, string>();
    for (const [id, ws] of Object.entries<any>(resources(json, "tfe_workspace"))) {
      byId.set(`\${tfe_workspace.${id}.id}`, ws.name);
      out.set(ws.name, { env: {} });
    }
    for (const s of Object.values<any>(resources(json, "tfe_workspace_settings"))) {
      const name = byId.get(s.workspace_id);
      if (name) out.get(name)!.settings = s;
    }
    for (const v of Object.values<any>(resources(json, "tfe_variable"))) {
      const name = byId.get(v.workspace_id);
      if (name && v.category === "env") out.get(name)!.env[v.key] = v.value;
    }
  }
  return out;
}

describe("every hop works in both run phases", () => {
  it("lets each workspace's plan role make every hop of its plan, read-only, and its apply role every hop of its apply", () => {
    const chaining = Object.entries(stacks).filter(([, json]) => [json.provider?.aws ?? []].flat().some((a: any) => a.assume_role));
    expect(chaining.length).toBeGreaterThan(0);
    expect(phaseHopProblems(stacks)).toEqual([]);
  });

  it("fails a provider that assumes the association role in the plan phase too (the old wiring)", () => {
    const broken = structuredClone(stacks);
    const name = Object.keys(broken).find((n) => n.startsWith("service-"))!;
    const network = broken[name].provider.aws.find((a: any) => a.alias === "network");
    network.assume_role[0].role_arn = network.assume_role[0].role_arn.match(/\? "([^"]+)"/)[1];
    expect(phaseHopProblems(broken)).toEqual([expect.stringMatching(new RegExp(`^${name}: provider aws.network assumes tgw-associate-\\S+ in the plan phase, whose trust does not admit tfc-plan-${name}$`))]);
  });

  it("fails a read role that may write, and a role no stack creates", () => {
    const writes = structuredClone(stacks);
    const network = writes[`network-${p.regions[0]}`];
    const readPolicy = Object.entries<any>(network.data.aws_iam_policy_document).find(([id]) => id.includes("read-policy"))!;
    readPolicy[1].statement[0].actions.push("ec2:AssociateTransitGatewayRouteTable");
    expect(phaseHopProblems(writes).some((m) => m.includes("in the plan phase, which may write (ec2:AssociateTransitGatewayRouteTable)"))).toBe(true);

    const missing = structuredClone(stacks);
    for (const n of Object.keys(missing).filter((k) => k.startsWith("network-"))) delete missing[n];
    expect(phaseHopProblems(missing).some((m) => m.includes("which no stack creates"))).toBe(true);
  });
});

describe("Kubernetes credentials belong to the run phase", () => {
  const shards = Object.entries(stacks).filter(([name, json]) => name.startsWith("namespaces-") && json.provider?.kubernetes);

  it("mints no Kubernetes token from AWS credentials anywhere", () => {
    expect(shards.length).toBeGreaterThan(0);
    for (const [name, json] of Object.entries(stacks)) expect(json.data?.aws_eks_cluster_auth, name).toBeUndefined();
  });

  it("reads the token of the current phase from HCP Terraform's Kubernetes dynamic credentials", () => {
    for (const [name, json] of shards) {
      expect(json.provider.kubernetes[0].token, name).toBe("${file(var.tfc_kubernetes_dynamic_credentials.default.token_path)}");
      expect(json.variable.tfc_kubernetes_dynamic_credentials.type, name).toContain("token_path = string");
    }
  });

  it("accepts that token file in a provider block, and still refuses a written token next to it", () => {
    const withToken = (token: string) => ({ stack: "namespaces-x-0", kind: "namespaces", json: { provider: { kubernetes: [{ token }] } } }) as any;
    expect(evaluate([noProviderCredentials], withToken("${file(var.tfc_kubernetes_dynamic_credentials.default.token_path)}"))).toEqual([]);
    expect(evaluate([noProviderCredentials], withToken("${file(\"/tmp/token\")}"))).toHaveLength(1);
  });

  it("gives the shard workspaces Kubernetes dynamic credentials for their region's cluster", () => {
    const wiring = workspaceWiring();
    for (const spec of specs.filter((s) => s.kind === "namespaces")) {
      expect(wiring.get(spec.name)!.env, spec.name).toMatchObject({
        TFC_KUBERNETES_PROVIDER_AUTH: "true",
        TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE: `kubernetes:${p.kubernetes.clusterName}-${spec.region}`,
      });
    }
    // The audience is the client ID of the cluster's identity provider config.
    for (const region of p.regions) {
      const idp = Object.values<any>(resources(stacks[`cluster-${region}`], "aws_eks_identity_provider_config"))[0];
      expect(idp.oidc.client_id).toBe(kubernetesAudienceOf(p, specs.find((s) => s.kind === "namespaces" && s.region === region)!));
      expect(idp.oidc.username_prefix).toBe("tfc:");
    }
  });

  it("binds the plan identities to a read-only role and the apply identities to the objects the shards manage", () => {
    const region = p.regions[0]!;
    const list = sharedClusterRbac(p, region) as any;
    const [planRole, planBinding, applyRole, applyBinding] = list.items;
    expect(planRole.rules.flatMap((r: any) => r.verbs)).toEqual(expect.arrayContaining(["get", "list", "watch"]));
    expect(planRole.rules.flatMap((r: any) => r.verbs).filter((v: string) => !["get", "list", "watch"].includes(v))).toEqual([]);
    expect(applyRole.rules).toContainEqual({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["admin"], verbs: ["bind"] });
    const shard0 = `namespaces-${region}-0`;
    expect(planBinding.subjects).toContainEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: `tfc:${terraformCloudSubject(p, shard0, "plan")}` });
    expect(applyBinding.subjects.map((s: any) => s.name)).toEqual(Array.from({ length: p.kubernetes.namespaceShards }, (_, n) => terraformCloudUser(p, `namespaces-${region}-${n}`, "apply")));
    // Nothing else gets in through an IAM access entry: the shards' AWS roles have none.
    for (const entry of Object.values<any>(resources(stacks[`cluster-${region}`], "aws_eks_access_entry"))) expect(entry.principal_arn).not.toContain("namespace-provisioner");
  });
});

/** Workspaces whose stack talks to a Kubernetes API but whose runs are not on an agent pool. */
function offPool(all: Record<string, any>): string[] {
  const wiring = workspaceWiring(all);
  return Object.entries(all)
    .filter(([, json]) => json.provider?.kubernetes)
    .map(([name]) => name)
    .filter((name) => wiring.get(name)?.settings?.execution_mode !== "agent" || !String(wiring.get(name)?.settings?.agent_pool_id).startsWith("${tfe_agent_pool."));
}

describe("workspaces that talk to a cluster run on the agent pool", () => {
  const wiring = workspaceWiring();
  const pools = resources(stacks.workspaces, "tfe_agent_pool");

  it("puts every namespace shard on its region's pool, every GKE shard on the GKE pool, and no other workspace on any", () => {
    expect(offPool(stacks)).toEqual([]);
    for (const spec of specs) {
      const settings = wiring.get(spec.name)?.settings;
      if (spec.kind === "namespaces") {
        expect(settings, spec.name).toMatchObject({ execution_mode: "agent", agent_pool_id: `\${tfe_agent_pool.agent-pool-${spec.region}.id}` });
        expect(pools[`agent-pool-${spec.region}`]).toMatchObject({ name: `${p.name}-${spec.region}`, organization_scoped: false });
      } else if (spec.kind === "gke-namespaces") {
        expect(settings, spec.name).toMatchObject({ execution_mode: "agent", agent_pool_id: "${tfe_agent_pool.agent-pool-gke.id}" });
        expect(pools["agent-pool-gke"]).toMatchObject({ name: `${p.name}-gke`, organization_scoped: false });
      } else {
        expect(settings, spec.name).toBeUndefined();
      }
    }
    expect(Object.values<any>(resources(stacks.workspaces, "tfe_agent_pool_allowed_projects"))).toHaveLength(p.regions.length + (p.gke ? 1 : 0));
  });

  it("names a shard that talks to its cluster from HCP Terraform's shared runners", () => {
    const broken = structuredClone(stacks);
    const shard = Object.keys(broken).find((n) => broken[n].provider?.kubernetes)!;
    const settings = Object.entries<any>(broken.workspaces.resource.tfe_workspace_settings);
    const [id, found] = settings.find(([, s]) => s.workspace_id.startsWith(`\${tfe_workspace.workspace-${shard}_`))!;
    delete broken.workspaces.resource.tfe_workspace_settings[id];
    expect(found.execution_mode).toBe("agent");
    expect(offPool(broken)).toEqual([shard]);
  });

  it("runs the agents in each cluster stack, next to the cluster, with a token that appears in no output", () => {
    for (const region of p.regions) {
      const cluster = stacks[`cluster-${region}`];
      expect(Object.values<any>(resources(cluster, "aws_ecs_service"))).toEqual([expect.objectContaining({
        launch_type: "FARGATE",
        network_configuration: expect.objectContaining({ assign_public_ip: false }),
      })]);
      // In the cluster VPC's own private subnets, by reference.
      const subnets: string[] = Object.values<any>(resources(cluster, "aws_ecs_service"))[0].network_configuration.subnets;
      expect(subnets.length).toBeGreaterThan(0);
      for (const subnet of subnets) expect(Object.keys(resources(cluster, "aws_subnet"))).toContain(/^\$\{aws_subnet\.([\w-]+)\.id\}$/.exec(subnet)?.[1]);
      const token = Object.keys(resources(cluster, "tfe_agent_token"))[0]!;
      expect(Object.values<any>(resources(cluster, "aws_secretsmanager_secret_version"))[0].secret_string).toBe(`\${tfe_agent_token.${token}.token}`);
      expect(JSON.stringify(cluster.output ?? {})).not.toContain("tfe_agent_token");
      const task = JSON.parse(Object.values<any>(resources(cluster, "aws_ecs_task_definition"))[0].container_definitions);
      expect(task[0].secrets).toEqual([{ name: "TFC_AGENT_TOKEN", valueFrom: expect.stringContaining("aws_secretsmanager_secret.") }]);
      expect(Object.values<any>(resources(cluster, "aws_vpc_security_group_ingress_rule"))).toContainEqual(expect.objectContaining({ from_port: 443, to_port: 443, security_group_id: expect.stringContaining("cluster_security_group_id") }));
    }
    expect(JSON.stringify(stacks.workspaces.output ?? {})).not.toContain("agent_token");
  });
});

describe("first-apply prerequisites the platform creates itself", () => {
  it("turns on RAM sharing with AWS Organizations in the organization stack, before the network stacks share a Transit Gateway", () => {
    expect(Object.keys(resources(stacks.organization, "aws_ram_sharing_with_organization"))).toHaveLength(1);
    for (const region of p.regions) expect(Object.keys(resources(stacks[`network-${region}`], "aws_ram_sharing_with_organization"))).toHaveLength(0);
  });
});

/** Stacks with a google provider whose workspace lacks GCP dynamic credentials, or whose provider does not read them. */
function googleCredentialProblems(all: Record<string, any>): string[] {
  const wiring = workspaceWiring(all);
  return Object.entries(all).filter(([, json]) => json.provider?.google).flatMap(([name, json]) => {
    const problems: string[] = [];
    if (json.provider.google[0].credentials !== "${var.tfc_gcp_dynamic_credentials.default.credentials}") problems.push(`${name}: the google provider does not read the run phase's credentials`);
    const env = wiring.get(name)?.env ?? {};
    for (const key of ["TFC_GCP_PROVIDER_AUTH", "TFC_GCP_WORKLOAD_PROVIDER_NAME", "TFC_GCP_PLAN_SERVICE_ACCOUNT_EMAIL", "TFC_GCP_APPLY_SERVICE_ACCOUNT_EMAIL"]) {
      if (!env[key]) problems.push(`${name}: its workspace has no ${key}`);
    }
    return problems;
  });
}

describe("Google Artifact Registry: workspaces and nodes can authenticate", () => {
  const gar = p.registry.gar;

  it("gives every workspace that uses Google its GCP dynamic credentials, with a plan and an apply service account", () => {
    if (!gar) return expect(stacks.google).toBeUndefined();
    const users = Object.keys(stacks).filter((n) => stacks[n].provider?.google);
    expect(users).toContain("google");
    expect(users.length).toBeGreaterThan(1);
    expect(googleCredentialProblems(stacks)).toEqual([]);
    const env = workspaceWiring().get("google")!.env;
    expect(env.TFC_GCP_PLAN_SERVICE_ACCOUNT_EMAIL).not.toBe(env.TFC_GCP_APPLY_SERVICE_ACCOUNT_EMAIL);
  });

  it("names each Google workspace without credentials, and a provider that does not read them (the check can fail)", () => {
    if (!gar) return;
    const broken = structuredClone(stacks);
    for (const json of Object.values<any>(broken)) {
      for (const [id, v] of Object.entries<any>(json.resource?.tfe_variable ?? {})) if (v.key === "TFC_GCP_WORKLOAD_PROVIDER_NAME") delete json.resource.tfe_variable[id];
    }
    broken.google.provider.google[0].credentials = undefined;
    const users = Object.keys(broken).filter((n) => broken[n].provider?.google);
    expect(googleCredentialProblems(broken).sort()).toEqual([
      "google: the google provider does not read the run phase's credentials",
      ...users.map((n) => `${n}: its workspace has no TFC_GCP_WORKLOAD_PROVIDER_NAME`),
    ].sort());
  });

  it("creates the registry pool with an AWS provider for the shared clusters' account, open to their node roles only", () => {
    if (!gar) return;
    const pool = Object.values<any>(resources(stacks.google, "google_iam_workload_identity_pool")).find((x) => x.workload_identity_pool_id !== "github-actions");
    expect(`projects/${gar.workloadIdentityPool.split("/")[1]}/locations/global/workloadIdentityPools/${pool.workload_identity_pool_id}`).toBe(gar.workloadIdentityPool);
    const provider = Object.values<any>(resources(stacks.google, "google_iam_workload_identity_pool_provider")).find((x) => x.aws);
    expect(provider.aws).toEqual({ account_id: p.accounts.cluster.id });
    for (const region of p.regions) expect(provider.attribute_condition).toContain(`'arn:aws:sts::${p.accounts.cluster.id}:assumed-role/${p.kubernetes.clusterName}-${region}-node'`);
    // The repositories grant pull to exactly the attribute the provider maps.
    const grants = Object.values(stacks).flatMap((json) => Object.values<any>(resources(json, "google_artifact_registry_repository_iam_member"))).filter((m) => m.role === "roles/artifactregistry.reader");
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.some((g) => g.member === `principalSet://iam.googleapis.com/${gar.workloadIdentityPool}/attribute.aws_role/arn:aws:sts::${p.accounts.cluster.id}:assumed-role/${p.kubernetes.clusterName}-${p.regions[0]}-node`)).toBe(true);
  });

  it("lets only each registry workspace's own phase impersonate the registry service accounts", () => {
    if (!gar) return;
    const holders = model.services.filter((s) => s.registry?.kind === "gar" && !s.retired).map((s) => `service-${s.key}-${s.regions[0]}`);
    const members = Object.values<any>(resources(stacks.google, "google_service_account_iam_member"));
    expect(members).toHaveLength(2 * holders.length);
    for (const m of members) {
      expect(m.role).toBe("roles/iam.workloadIdentityUser");
      expect(m.member).toMatch(new RegExp(`^principal://iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/hcp-terraform/subject/organization:${p.terraformCloud.organization}:project:${p.terraformCloud.project}:workspace:(${holders.join("|")}):run_phase:(plan|apply)$`));
    }
  });
});
