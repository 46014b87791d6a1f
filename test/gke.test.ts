import { describe, expect, it } from "vitest";
import { validate } from "../lib/config/validate";
import { GKE_STACK, gkeNamespaceShardOf, gkeNamespacesStackName, onEks, onGke, tenantServiceAccountId } from "../lib/plan/gke";
import { githubProviderId } from "../lib/plan/google";
import { namespaceShardOf, namespacesStackName, planStacks, vendingStackOf } from "../lib/plan/stack-plan";
import { exampleModel, exampleRaw, exampleStacks, inNamespace, resources, synthStacks, withService } from "./helpers.js";

/*
 * The shared GKE cluster, its tenants and Artifact Registry on the fixture organization:
 * recommendations runs on GKE only, payments on both clusters.
 */

const model = exampleModel();
const stacks = exampleStacks();
const p = model.platform;
const gke = p.gke!;
const gkeTenants = model.services.filter(onGke);
const shardOf = (key: string) => stacks[gkeNamespacesStackName(gkeNamespaceShardOf(p, key))];
const googleOf = (key: string) => model.developers.find((d) => d.key === key)!.google!;

describe("the example organization's GKE tenants", () => {
  it("has one tenant on GKE only and one on both clusters (the fixture must keep both)", () => {
    expect(gkeTenants.map((s) => [s.key, s.kubernetes.clusters])).toEqual([["payments", ["eks", "gke"]], ["recommendations", ["gke"]]]);
  });

  it("plans the gke stack and a fixed number of gke-namespaces shards", () => {
    const names = planStacks(model).map((s) => s.name);
    expect(names).toContain(GKE_STACK);
    expect(names.filter((n) => n.startsWith("gke-namespaces-"))).toEqual(Array.from({ length: gke.namespaceShards }, (_, n) => gkeNamespacesStackName(n)));
  });

  for (const s of gkeTenants) {
    const shard = shardOf(s.key);
    it(`gives ${s.key} its namespace with the service, team and environment labels in its GKE shard`, () => {
      const ns = Object.values(resources(shard, "kubernetes_namespace_v1")).filter((n: any) => n.metadata.name === s.namespace);
      expect(ns).toEqual([expect.objectContaining({ metadata: { name: s.namespace, labels: { service: s.key, team: `${s.key}-owners`, environment: s.segment } }, lifecycle: { prevent_destroy: true } })]);
    });

    it(`binds the admin ClusterRole to ${s.key}'s owners' Google identities, and nobody else, in its namespace`, () => {
      const bindings = inNamespace(shard, "kubernetes_role_binding_v1", s.namespace);
      expect(bindings).toHaveLength(1);
      expect(bindings[0].role_ref).toEqual({ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" });
      expect(bindings[0].subject).toEqual(s.owners.map(googleOf).sort().map((name) => ({ api_group: "rbac.authorization.k8s.io", kind: "User", name })));
    });

    it(`sets ${s.key}'s quota, the default limits and the default-deny policy on GKE, with no EKS access entry`, () => {
      expect(inNamespace(shard, "kubernetes_resource_quota_v1", s.namespace)[0].spec.hard).toEqual({ "requests.cpu": s.quota.cpu, "requests.memory": s.quota.memory, pods: String(s.quota.pods) });
      expect(inNamespace(shard, "kubernetes_limit_range_v1", s.namespace)).toHaveLength(1);
      expect(inNamespace(shard, "kubernetes_network_policy_v1", s.namespace)[0].spec.policy_types).toEqual(["Ingress"]);
      expect(resources(shard, "aws_eks_access_entry")).toEqual({});
    });

    it(`lets only ${s.key}'s workload service account act as its own Google service account`, () => {
      const account = Object.values(resources(shard, "google_service_account")).find((a: any) => a.account_id === tenantServiceAccountId(s.key)) as any;
      expect(account).toBeDefined();
      const grants = Object.values(resources(shard, "google_service_account_iam_member")).filter((g: any) => g.member.includes(`[${s.namespace}/workload]`) || g.member.includes(`kubernetes_namespace_v1.`) && JSON.stringify(g).includes(s.key)) as any[];
      expect(grants).toHaveLength(1);
      expect(grants[0]).toMatchObject({ role: "roles/iam.workloadIdentityUser" });
      expect(grants[0].member).toMatch(new RegExp(`^serviceAccount:${gke.project}\\.svc\\.id\\.goog\\[.+/workload\\]$`));
      const ksa = inNamespace(shard, "kubernetes_service_account_v1", s.namespace);
      expect(ksa).toHaveLength(1);
      expect(ksa[0].metadata).toMatchObject({ name: "workload", annotations: { "iam.gke.io/gcp-service-account": expect.stringMatching(/^\$\{google_service_account\..+\.email\}$/) } });
    });
  }

  it("gives a tenant on GKE only no namespace, access entry or AWS workload role on the EKS side", () => {
    for (const [name, stack] of Object.entries(stacks).filter(([n]) => n.startsWith("namespaces-"))) {
      expect(Object.values(resources(stack, "kubernetes_namespace_v1")).map((n: any) => n.metadata.name), name).not.toContain("recs");
    }
    const primary = stacks["service-recommendations-ap-northeast-1"];
    expect(Object.values(resources(primary, "aws_iam_role")).map((r: any) => r.name)).not.toContain("workload-recommendations");
  });

  it("keeps payments on EKS in every region as well as on GKE", () => {
    const payments = model.services.find((s) => s.key === "payments")!;
    expect(onEks(payments)).toBe(true);
    for (const region of payments.regions) {
      const shard = stacks[namespacesStackName(region, namespaceShardOf(p, "payments"))];
      expect(Object.values(resources(shard, "kubernetes_namespace_v1")).map((n: any) => n.metadata.name), region).toContain("payments");
    }
  });
});

describe("the gke stack", () => {
  const stack = stacks[GKE_STACK];
  const cluster = Object.values(resources(stack, "google_container_cluster"))[0] as any;

  it("runs a private cluster: private nodes and endpoint, Dataplane V2, Workload Identity and Identity Service, protected from destroy", () => {
    expect(cluster).toMatchObject({
      name: gke.clusterName,
      location: gke.region,
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true, master_ipv4_cidr_block: gke.network.controlPlaneCidr },
      datapath_provider: "ADVANCED_DATAPATH",
      workload_identity_config: { workload_pool: `${gke.project}.svc.id.goog` },
      identity_service_config: { enabled: true },
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(cluster.master_authorized_networks_config.gcp_public_cidrs_access_enabled).toBe(false);
  });

  it("runs the nodes as a service account of their own with the GKE metadata server", () => {
    const pool = Object.values(resources(stack, "google_container_node_pool"))[0] as any;
    expect(pool.node_config).toMatchObject({ workload_metadata_config: { mode: "GKE_METADATA" }, service_account: expect.stringMatching(/^\$\{google_service_account\..+\.email\}$/) });
    expect(Object.values(resources(stack, "google_service_account")).map((a: any) => a.account_id).sort()).toEqual(["gke-nodes", "tfc-gke-namespaces-apply", "tfc-gke-namespaces-plan"]);
  });

  it("lets each shard workspace's phase impersonate only that phase's account, and the apply account administer only tenant accounts", () => {
    const grants = Object.values(resources(stack, "google_service_account_iam_member")) as any[];
    for (const phase of ["plan", "apply"]) {
      const mine = grants.filter((g) => g.member.endsWith(`:run_phase:${phase}`));
      expect(mine.map((g) => g.member.match(/workspace:([\w-]+):/)![1]).sort()).toEqual(Array.from({ length: gke.namespaceShards }, (_, n) => gkeNamespacesStackName(n)));
    }
    const admin = (Object.values(resources(stack, "google_project_iam_member")) as any[]).find((m) => m.role === "roles/iam.serviceAccountAdmin");
    expect(admin.condition.expression).toContain(".startsWith('wl-')");
  });

  it("names no service: tenants live in the shards", () => {
    for (const s of model.services) expect(JSON.stringify(stack), s.key).not.toContain(s.namespace === s.key ? `"${s.key}"` : s.namespace);
  });
});

describe("developers on GCP", () => {
  const members = (json: any) => (Object.values(resources(json, "google_project_iam_member")) as any[]).filter((m) => m.role === gke.developerRole).map((m) => m.member).sort();

  it("gives every developer with a Google identity the platform's role in the GKE project", () => {
    const withGoogle = model.developers.filter((d) => d.google).map((d) => `user:${d.google}`).sort();
    expect(withGoogle).toHaveLength(4);
    expect(members(stacks.google)).toEqual(withGoogle);
    for (const m of Object.values(resources(stacks.google, "google_project_iam_member")) as any[]) if (m.role === gke.developerRole) expect(m.project).toBe(gke.project);
  });

  it("removes the role of a developer who no longer has a Google identity (or leaves)", () => {
    const raw = exampleRaw();
    raw.developers.carol.google = "carol@example.com";
    const joined = synthStacks(validate(raw), new Set(["google"]));
    expect(members(joined.google)).toContain("user:carol@example.com");
    expect(members(stacks.google)).not.toContain("user:carol@example.com");
  });
});

describe("Artifact Registry", () => {
  const primary = (key: string) => stacks[`service-${key}-ap-northeast-1`];
  const grants = (key: string, role: string) => (Object.values(resources(primary(key), "google_artifact_registry_repository_iam_member")) as any[]).filter((g) => g.role === role);

  it("lets only the service's GitHub repositories push, through the GitHub pool", () => {
    for (const s of model.services.filter((x) => x.registry?.kind === "gar")) {
      const writers = grants(s.key, "roles/artifactregistry.writer");
      expect(writers).toHaveLength(s.registry!.repositories.length * s.githubRepositories.length);
      for (const w of writers) expect(w.member).toMatch(new RegExp(`^principalSet://iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/github-actions/attribute\\.repository/${p.github.organization}/(${s.githubRepositories.join("|")})$`));
    }
  });

  it("admits, per service, only its repositories' release workflow on main", () => {
    const providers = Object.values(resources(stacks.google, "google_iam_workload_identity_pool_provider")) as any[];
    const recs = providers.find((x) => x.workload_identity_pool_provider_id === githubProviderId("recommendations"));
    expect(recs.oidc.issuer_uri).toBe("https://token.actions.githubusercontent.com");
    expect(recs.attribute_condition).toBe("assertion.repository in ['example/recommendations'] && assertion.ref == 'refs/heads/main' && assertion.job_workflow_ref in ['example/recommendations/.github/workflows/release.yml@refs/heads/main']");
    expect(recs.attribute_mapping["attribute.repository"]).toBe("assertion.repository");
  });

  it("lets the GKE nodes pull a GKE tenant's images, and the EKS nodes only when the tenant is on EKS", () => {
    const gkeNodes = `serviceAccount:gke-nodes@${gke.project}.iam.gserviceaccount.com`;
    const readers = (key: string) => grants(key, "roles/artifactregistry.reader").map((g) => g.member);
    expect(readers("recommendations").every((m) => m === gkeNodes)).toBe(true);
    expect(readers("payments").filter((m) => m === gkeNodes)).toHaveLength(2);
    expect(readers("payments").filter((m) => m.includes("attribute.aws_role/arn:aws:sts::100000000005:assumed-role/shared-ap-northeast-"))).toHaveLength(4);
  });
});

describe("blast radius of a GKE tenant", () => {
  const search = {
    description: "Search API",
    owners: ["dave"],
    account: { email: "aws+search@example.com", ou: "workloads-nonprod" },
    regions: ["ap-northeast-1"],
    network: { cidrs: { "ap-northeast-1": "10.32.16.0/20" } },
    kubernetes: { tenancy: "shared", clusters: ["gke"] },
    registry: { kind: "gar", repositories: ["api"] },
    githubRepositories: ["search"],
    slack: { handle: "search-team" },
  };
  const bigger = validate(withService(exampleRaw(), "search", search));
  const after = synthStacks(bigger);
  const changed = Object.keys(after).filter((name) => JSON.stringify(after[name]) !== JSON.stringify(stacks[name])).sort();

  it("changes only the new service's stack, its accounts shard, one GKE shard, the google stack (its GitHub provider and registry identity) and the Argo CD shard (its project and application)", () => {
    // Argo CD runs on the primary region's EKS cluster: the service's namespace shard there holds its Argo CD objects.
    const argoCdShard = namespacesStackName(p.regions[0]!, namespaceShardOf(p, "search"));
    expect(changed).toEqual([vendingStackOf(p, "search"), gkeNamespacesStackName(gkeNamespaceShardOf(p, "search")), "google", "service-search-ap-northeast-1", argoCdShard].sort());
    expect(planStacks(bigger).length).toBe(planStacks(model).length + 1);
  });

  it("leaves the gke stack and every cluster-<region> stack byte-identical", () => {
    expect(after[GKE_STACK]).toEqual(stacks[GKE_STACK]);
    for (const region of p.regions) expect(after[`cluster-${region}`]).toEqual(stacks[`cluster-${region}`]);
  });

  it("adds no stack when the tenant is on both clusters: its EKS namespace lands in the shard that holds its Argo CD objects", () => {
    const both = synthStacks(validate(withService(exampleRaw(), "search", { ...search, kubernetes: { tenancy: "shared", clusters: ["eks", "gke"] } })));
    const changedBoth = Object.keys(both).filter((name) => JSON.stringify(both[name]) !== JSON.stringify(stacks[name])).sort();
    expect(changedBoth).toEqual(changed);
    const shard = namespacesStackName("ap-northeast-1", namespaceShardOf(p, "search"));
    expect(Object.values(resources(both[shard], "kubernetes_namespace_v1")).map((n: any) => n.metadata.name)).toContain("search");
  });
});

describe("a retired GKE tenant", () => {
  const raw = exampleRaw();
  raw.index.recommendations.retired = true;
  const shardName = gkeNamespacesStackName(gkeNamespaceShardOf(p, "recommendations"));
  const shard = synthStacks(validate(raw), new Set([shardName]))[shardName];

  it("keeps its namespace labelled retired, with its quota, limits and isolation, and loses the RoleBinding and its Google account", () => {
    const ns = Object.values(resources(shard, "kubernetes_namespace_v1")).filter((n: any) => n.metadata.name === "recs") as any[];
    expect(ns).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ labels: expect.objectContaining({ retired: "true" }) }), lifecycle: { prevent_destroy: true } })]);
    expect(inNamespace(shard, "kubernetes_resource_quota_v1", "recs")).toHaveLength(1);
    expect(inNamespace(shard, "kubernetes_role_binding_v1", "recs")).toHaveLength(0);
    expect(Object.values(resources(shard, "google_service_account")).map((a: any) => a.account_id)).not.toContain(tenantServiceAccountId("recommendations"));
  });
});
