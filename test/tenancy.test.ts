import { describe, expect, it } from "vitest";
import { namespaceShardOf, namespacesStackName, planStacks, vendingStackOf } from "../lib/plan/stack-plan";
import { validate } from "../lib/config/validate";
import { onEks } from "../lib/plan/gke";
import { exampleModel, exampleStacks, exampleRaw, inNamespace, resources, synthStacks, withService } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const p = model.platform;
// Tenants of the shared EKS clusters; GKE tenants are covered by test/gke.test.ts.
const shared = model.services.filter(onEks);
const dedicated = model.services.filter((s) => s.kubernetes.tenancy === "dedicated");

/** Every resource of a type across all stacks, with the stack it is in. */
function everywhere(type: string): Array<{ stack: string; r: any }> {
  return Object.entries(stacks).flatMap(([stack, json]) => Object.values(resources(json, type)).map((r) => ({ stack, r })));
}

describe("shared tenancy on the example organization", () => {
  it("has shared and dedicated services to walk (the example org must keep both)", () => {
    expect(shared.map((s) => s.key)).toEqual(["payments"]);
    expect(dedicated.map((s) => s.key)).toEqual(["ledger"]);
  });

  for (const s of shared) {
    for (const region of s.regions) {
      const shard = namespacesStackName(region, namespaceShardOf(p, s.key));

      it(`gives ${s.key} in ${region} its namespace with the service, team and environment labels in ${shard}`, () => {
        const ns = Object.values(resources(stacks[shard], "kubernetes_namespace_v1")).filter((r: any) => r.metadata.name === s.namespace);
        expect(ns).toEqual([expect.objectContaining({ metadata: { name: s.namespace, labels: { service: s.key, team: `${s.key}-owners`, environment: s.segment } } })]);
      });

      it(`binds the admin ClusterRole to team-${s.key} in ${s.key}'s namespace (${region})`, () => {
        expect(inNamespace(stacks[shard], "kubernetes_role_binding_v1", s.namespace)).toEqual([expect.objectContaining({
          role_ref: { api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
          subject: [{ api_group: "rbac.authorization.k8s.io", kind: "Group", name: `team-${s.key}` }],
        })]);
      });

      it(`sets ${s.key}'s quota and the platform's default limits (${region})`, () => {
        expect(inNamespace(stacks[shard], "kubernetes_resource_quota_v1", s.namespace)).toEqual([expect.objectContaining({
          spec: { hard: { "requests.cpu": s.quota.cpu, "requests.memory": s.quota.memory, pods: String(s.quota.pods) } },
        })]);
        expect(inNamespace(stacks[shard], "kubernetes_limit_range_v1", s.namespace)).toEqual([expect.objectContaining({
          spec: { limit: [{ type: "Container", default: p.kubernetes.defaultLimits, default_request: p.kubernetes.defaultRequests }] },
        })]);
      });

      it(`denies ingress to ${s.key}'s namespace except from itself and the ingress controller (${region})`, () => {
        expect(inNamespace(stacks[shard], "kubernetes_network_policy_v1", s.namespace)).toEqual([expect.objectContaining({
          spec: {
            pod_selector: {},
            policy_types: ["Ingress"],
            ingress: [{ from: [{ pod_selector: {} }, { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": p.kubernetes.ingressNamespace } } }] }],
          },
        })]);
      });

      it(`maps ${s.key}'s team role to its group with an access policy scoped to its namespace only (${region})`, () => {
        const entries = Object.values(resources(stacks[shard], "aws_eks_access_entry")).filter((e: any) => e.kubernetes_groups?.includes(`team-${s.key}`));
        expect(entries).toEqual([expect.objectContaining({ principal_arn: expect.stringMatching(new RegExp(`^arn:aws:iam::\\$\\{data\\.tfe_outputs\\.[^}]+\\}:role/team-${s.key}$`)) })]);
        const policies = Object.values(resources(stacks[shard], "aws_eks_access_policy_association")).filter((a: any) => a.access_scope.type === "namespace" && String(a.principal_arn).includes("access-entry") && JSON.stringify(a).includes(`namespace-${s.key}_`));
        expect(policies).toHaveLength(1);
        expect(policies[0]).toMatchObject({ policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy", access_scope: { type: "namespace", namespaces: [expect.stringContaining("kubernetes_namespace_v1.")] } });
      });

      it(`lets ${s.key}'s workload service account chain into the service's own workload role, without keys (${region})`, () => {
        const assoc = Object.values(resources(stacks[shard], "aws_eks_pod_identity_association")).filter((a: any) => a.namespace === s.namespace);
        expect(assoc).toEqual([expect.objectContaining({ service_account: "workload", target_role_arn: expect.stringMatching(new RegExp(`:role/workload-${s.key}$`)) })]);
        const role = Object.values(resources(stacks[shard], "aws_iam_role")).find((r: any) => r.name === `pod-${s.key}-${region}`) as any;
        expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals).toEqual({ "aws:RequestTag/kubernetes-namespace": s.namespace, "aws:RequestTag/kubernetes-service-account": "workload" });
      });
    }

    it(`puts ${s.key}'s namespace in exactly one shard per region it runs in`, () => {
      const holders = everywhere("kubernetes_namespace_v1").filter(({ stack, r }) => stack.startsWith("namespaces-") && r.metadata.name === s.namespace).map(({ stack }) => stack).sort();
      expect(holders).toEqual(s.regions.map((r) => namespacesStackName(r, namespaceShardOf(p, s.key))).sort());
    });

    it(`trusts, for ${s.key}'s workload role, only its own Pod Identity roles in the cluster account`, () => {
      const role = Object.values(resources(stacks[`service-${s.key}-${s.regions[0]}`], "aws_iam_role")).find((r: any) => r.name === `workload-${s.key}`) as any;
      const st = JSON.parse(role.assume_role_policy).Statement[0];
      expect(st.Principal).toEqual({ AWS: `arn:aws:iam::${p.accounts.cluster.id}:root` });
      expect(st.Condition.ArnEquals["aws:PrincipalArn"]).toEqual(s.regions.map((r) => `arn:aws:iam::${p.accounts.cluster.id}:role/pod-${s.key}-${r}`).sort());
    });
  }

  it("creates no namespace objects and no access entries in the cluster stacks (tenants live in the shards)", () => {
    for (const region of p.regions) {
      const cluster = stacks[`cluster-${region}`];
      expect(Object.keys(cluster.resource).filter((t) => t.startsWith("kubernetes_"))).toEqual([]);
      // The shards' own AWS roles get none either: they reach the API with Kubernetes dynamic credentials.
      expect(Object.values(resources(cluster, "aws_eks_access_entry"))).toEqual([]);
    }
  });

  it("reads the shared cluster by name in each populated shard and builds the Kubernetes provider from it, with the run phase's own token", () => {
    const shard = stacks[namespacesStackName("ap-northeast-1", namespaceShardOf(p, "payments"))];
    expect(shard.data.aws_eks_cluster.cluster.name).toBe("shared-ap-northeast-1");
    expect(shard.provider.kubernetes[0]).toEqual({
      host: "${data.aws_eks_cluster.cluster.endpoint}",
      cluster_ca_certificate: "${base64decode(data.aws_eks_cluster.cluster.certificate_authority[0].data)}",
      token: "${file(var.tfc_kubernetes_dynamic_credentials.default.token_path)}",
    });
  });
});

describe("dedicated tenancy on the example organization", () => {
  for (const s of dedicated) {
    for (const region of s.regions) {
      it(`gives ${s.key} its own private, API-authenticated cluster in its own stack (${region})`, () => {
        const clusters = Object.values(resources(stacks[`service-${s.key}-${region}`], "aws_eks_cluster"));
        expect(clusters).toEqual([expect.objectContaining({
          name: `${s.key}-${region}`,
          access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
          vpc_config: expect.objectContaining({ endpoint_private_access: true, endpoint_public_access: false }),
        })]);
      });

      it(`makes ${s.key}'s team admin of its own cluster and maps its workload role directly, referencing the roles its primary stack creates (${region})`, () => {
        const stack = stacks[`service-${s.key}-${region}`];
        const roles = resources(stack, "aws_iam_role");
        const roleRef = (name: string) => {
          const [tf] = Object.entries(roles).find(([, r]: [string, any]) => r.name === name)!;
          return `\${aws_iam_role.${tf}.arn}`;
        };
        if (region === s.regions[0]) {
          // Same stack: a reference, so Terraform creates the role before the entry that names it.
          expect(Object.values(resources(stack, "aws_eks_access_entry"))).toEqual([expect.objectContaining({ principal_arn: roleRef(`team-${s.key}`) })]);
          expect(Object.values(resources(stack, "aws_eks_pod_identity_association"))).toEqual([expect.objectContaining({ namespace: s.namespace, service_account: "workload", role_arn: roleRef(`workload-${s.key}`) })]);
        } else {
          expect(Object.values(resources(stack, "aws_eks_access_entry"))).toEqual([expect.objectContaining({ principal_arn: `arn:aws:iam::\${data.aws_caller_identity.caller.account_id}:role/team-${s.key}` })]);
        }
      });

      it(`runs ${s.key}'s cluster and nodes in its own VPC's subnets, by reference, tagged for EKS (${region})`, () => {
        const stack = stacks[`service-${s.key}-${region}`];
        const cluster = Object.values(resources(stack, "aws_eks_cluster"))[0] as any;
        const subnets = Object.entries(resources(stack, "aws_subnet")) as Array<[string, any]>;
        expect(cluster.vpc_config.subnet_ids.sort()).toEqual(subnets.map(([tf]) => `\${aws_subnet.${tf}.id}`).sort());
        expect(stack.data?.aws_subnets).toBeUndefined();
        for (const group of Object.values(resources(stack, "aws_eks_node_group")) as any[]) expect(group.subnet_ids).toEqual(cluster.vpc_config.subnet_ids);
        for (const [, subnet] of subnets) expect(subnet.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", [`kubernetes.io/cluster/${s.key}-${region}`]: "shared" });
      });

      it(`puts nothing of ${s.key} on the shared cluster (${region})`, () => {
        for (const [name, stack] of Object.entries(stacks).filter(([n]) => n.startsWith("namespaces-") || n.startsWith("cluster-"))) {
          expect(JSON.stringify(stack.resource ?? {}), name).not.toContain(s.key);
          expect(JSON.stringify(stack.data ?? {}), name).not.toContain(s.key);
        }
      });
    }
  }
});

describe("blast radius of tenants", () => {
  const raw = withService(exampleRaw(), "search", {
    description: "Search API",
    owners: ["dave"],
    account: { email: "aws+search@example.com", ou: "workloads-nonprod" },
    regions: ["ap-northeast-1"],
    network: { cidrs: { "ap-northeast-1": "10.32.16.0/20" } },
    kubernetes: { tenancy: "shared" },
    registry: { kind: "ecr", repositories: ["api"] },
    githubRepositories: ["search"],
    slack: { handle: "search-team" },
  });
  const bigger = validate(raw);
  const after = synthStacks(bigger);
  const changed = Object.keys(after).filter((name) => JSON.stringify(after[name]) !== JSON.stringify(stacks[name])).sort();

  it("changes only the new service's stack, its accounts shard and one namespaces shard when a shared service is added", () => {
    expect(changed).toEqual([
      vendingStackOf(p, "search"),
      namespacesStackName("ap-northeast-1", namespaceShardOf(p, "search")),
      "service-search-ap-northeast-1",
    ].sort());
    expect(planStacks(bigger).length).toBe(planStacks(model).length + 1);
  });

  it("leaves every cluster-<region> stack byte-identical when a tenant is added", () => {
    for (const region of p.regions) expect(after[`cluster-${region}`]).toEqual(stacks[`cluster-${region}`]);
  });

  it("keeps a shard to ten resources per tenant, and in Argo CD's region its project and one application per cluster", () => {
    const shard = after[namespacesStackName("ap-northeast-1", namespaceShardOf(p, "search"))];
    const count = (json: any, argoCd: boolean) => Object.entries(json?.resource ?? {})
      .filter(([type]) => (type === "kubernetes_manifest") === argoCd)
      .reduce((n: number, [, byName]: [string, any]) => n + Object.keys(byName).length, 0);
    const before = stacks[namespacesStackName("ap-northeast-1", namespaceShardOf(p, "search"))];
    expect(count(shard, false) - count(before, false)).toBe(10);
    // search runs on EKS in ap-northeast-1 only: an AppProject and one Application.
    expect(count(shard, true) - count(before, true)).toBe(2);
  });
});

describe("a retired service", () => {
  const raw = exampleRaw();
  raw.index.payments.retired = true;
  const retired = synthStacks(validate(raw));

  it("keeps its namespace (and so its volumes) on the shared cluster, labelled retired and protected from destroy", () => {
    for (const region of p.regions) {
      const shard = retired[namespacesStackName(region, namespaceShardOf(p, "payments"))];
      const namespaces = Object.values(resources(shard, "kubernetes_namespace_v1")).filter((n: any) => n.metadata.name === "payments") as any[];
      expect(namespaces, region).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ labels: expect.objectContaining({ retired: "true" }) }), lifecycle: { prevent_destroy: true } })]);
      const kept = ["kubernetes_resource_quota_v1", "kubernetes_limit_range_v1", "kubernetes_network_policy_v1"];
      for (const type of kept) expect(Object.values(resources(shard, type)).filter((o: any) => JSON.stringify(o).includes("payments")), `${region} ${type}`).toHaveLength(1);
    }
  });

  it("gets no RoleBinding, access entry or Pod Identity on the shared cluster, and no lookup of its account", () => {
    for (const [name, stack] of Object.entries(retired).filter(([n]) => n.startsWith("namespaces-"))) {
      for (const type of ["kubernetes_role_binding_v1", "aws_eks_access_entry", "aws_eks_access_policy_association", "aws_eks_pod_identity_association", "aws_iam_role", "aws_iam_role_policy"]) {
        expect(JSON.stringify(resources(stack, type)), `${name} ${type}`).not.toContain("payments");
      }
      expect(JSON.stringify(stack.data?.tfe_outputs ?? {}), name).not.toContain("payments");
    }
  });

  it("keeps its repositories, readable by the clusters and writable by nobody, and loses its CI and workload roles", () => {
    // payments keeps its images in Artifact Registry (it runs on GKE too).
    const primary = retired["service-payments-ap-northeast-1"];
    expect(Object.values(resources(primary, "google_artifact_registry_repository")).map((r: any) => r.repository_id).sort()).toEqual(["payments-api", "payments-worker"]);
    const grants = Object.values(resources(primary, "google_artifact_registry_repository_iam_member")) as any[];
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.map((g) => g.role)).toEqual(grants.map(() => "roles/artifactregistry.reader"));
    expect(Object.values(resources(primary, "aws_iam_role")).map((r: any) => r.name)).toEqual([]);
  });
});
