import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { renderServiceManifests } from "../charts/render";
import { manifestProblems } from "../lib/manifests/checks";
import { loadManifests } from "../lib/manifests/load";
import { removedApi } from "../lib/manifests/removed-apis";
import { manifestsSchema, type ManifestsInput } from "../lib/manifests/schema";
import { sharedClusterRbac } from "../lib/plan/kubernetes-access";
import { renderCodeowners } from "../lib/review/codeowners";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

/*
 * Service manifests (lib/manifests/, charts/) and the Argo CD objects that deploy them
 * (constructs/argo-cd-project.ts), on the fixture organization: payments runs on EKS in two
 * regions and on GKE (quota 20 CPU, 64Gi, 100 pods), recommendations on GKE only (the
 * platform's default quota, 8 CPU), ledger on a dedicated cluster.
 */

const model = exampleModel();
const p = model.platform;
const service = (key: string) => model.services.find((s) => s.key === key)!;
const FILE = "manifests/payments/manifests.ts";
const problemsOf = (key: string, source: ManifestsInput, platform = p) => manifestProblems(platform, service(key), manifestsSchema.parse(source), FILE, `config/services/${key}.ts`);

const api = (replicas: number, cpu = "500m") => ({ image: "registry.example.com/payments/api:1.0.0", replicas, port: 8080, requests: { cpu, memory: "1Gi" } });

describe("manifest checks", () => {
  it("accept requests within the namespace quota on every cluster", () => {
    expect(problemsOf("payments", { workloads: { api: api(40) } })).toEqual([]);
  });

  it("refuse requests above the service's quota, naming the file, the service, the field, the value, the quota and the fix", () => {
    const [problem, ...rest] = problemsOf("payments", { workloads: { api: api(41) } });
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: FILE, entry: "payments", field: "workloads.api.requests.cpu", value: "500m" });
    expect(problem!.message).toBe("requests 20500m CPU in namespace payments on eks-ap-northeast-1 (workload api 41 x 500m), more than the namespace quota of 20 (kubernetes.quota in config/services/payments.ts); Kubernetes would refuse the pods beyond it");
    expect(problem!.fix).toMatch(/lower requests\.cpu or replicas of workload api, or raise the quota's cpu in config\/services\/payments\.ts \(at most the platform's maximum, 64\)/);
  });

  it("hold an overlay to the quota too, pointing at the overlay's own field", () => {
    const problems = problemsOf("payments", { workloads: { api: api(2) }, overlays: { "gke-asia-northeast1": { workloads: { api: { replicas: 200 } } } } });
    expect(problems.map((x) => [x.field, x.value])).toEqual([
      ["overlays.gke-asia-northeast1.workloads.api.replicas", 200],
      ["overlays.gke-asia-northeast1.workloads.api.replicas", 200],
      ["overlays.gke-asia-northeast1.workloads.api.replicas", 200],
    ]);
    expect(problems.map((x) => x.message.split(" in namespace")[0])).toEqual(["requests 100 CPU", "requests 200Gi memory", "runs 200 pods"]);
  });

  it("use the platform's default quota when the service sets none, and count pods of raw objects with a pod template", () => {
    const problems = manifestProblems(p, service("recommendations"), manifestsSchema.parse({
      objects: { batch: { apiVersion: "apps/v1", kind: "StatefulSet", spec: { replicas: 3, template: { spec: { containers: [{ name: "x", image: "x:1", resources: { requests: { cpu: "3" } } }] } } } } },
    }), "manifests/recommendations/manifests.ts", "config/services/recommendations.ts");
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("more than the namespace quota of 8 (the platform's kubernetes.defaultQuota");
    expect(problems[0]!.field).toBe("objects.batch.spec.template.spec.containers");
  });

  it("refuse an API version the cluster's Kubernetes removed, and accept it where the cluster still serves it", () => {
    const pdb = { objects: { api: { apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler", spec: {} } } };
    // GKE on 1.25 still serves autoscaling/v2beta2 (removed in 1.26); EKS on 1.33 does not.
    const older = { ...p, gke: { ...p.gke!, version: "1.25" } };
    const problems = problemsOf("payments", pdb, older);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: "objects.api.apiVersion", value: "autoscaling/v2beta2" });
    expect(problems[0]!.message).toContain("which Kubernetes removed in 1.26; eks-ap-northeast-1 runs 1.33");
    expect(problems[0]!.fix).toContain(`use apiVersion "autoscaling/v2"`);
    expect(problemsOf("recommendations", pdb, older)).toEqual([]);
    expect(removedApi("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.26")).toBeUndefined();
    expect(removedApi("storage.k8s.io/v1beta1", "StorageClass", "1.26")).toEqual({ removedIn: "1.22", use: "storage.k8s.io/v1" });
  });

  it("refuse an overlay for a cluster the service does not run on, and a workload without an image", () => {
    const problems = problemsOf("payments", { workloads: { api: api(1) }, overlays: { "eks-us-east-1": {}, "eks-ap-northeast-3": { workloads: { cron: { replicas: 1 } } } } });
    expect(problems.map((x) => [x.field, x.message])).toEqual([
      ["overlays.eks-us-east-1", "is not a cluster payments runs on (it runs on eks-ap-northeast-1, eks-ap-northeast-3, gke-asia-northeast1)"],
      ["overlays.eks-ap-northeast-3.workloads.cron.image", "workload cron has no image on eks-ap-northeast-3"],
    ]);
  });
});

describe("loading a service's manifests", () => {
  const work = mkdtempSync(path.join(tmpdir(), "manifests-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  /** A repository with only payments' source, written line by line. */
  const repoWith = (name: string, body: string[]) => {
    const root = path.join(work, name);
    mkdirSync(path.join(root, "manifests/payments"), { recursive: true });
    const define = path.resolve(import.meta.dirname, "../lib/define.js");
    writeFileSync(path.join(root, FILE), [`import { defineManifests } from "${define}";`, `export default defineManifests({`, ...body, `});`, ``].join("\n"));
    return root;
  };

  it("reports a shape problem at its line, naming the field, the value and the fix", async () => {
    const root = repoWith("shape", [`  workloads: {`, `    api: { image: "x:1", requests: { cpu: "1" } },`, `    worker: { image: "x:1", requests: { memory: "lots" } },`, `  },`]);
    const loaded = await loadManifests(root, p, service("payments"), "config/services/payments.ts");
    expect(loaded.source).toBeUndefined();
    expect(loaded.problems).toEqual([expect.objectContaining({ file: FILE, entry: "payments", field: "workloads.worker.requests.memory", value: "lots", line: 5 })]);
    expect(loaded.problems[0]!.fix).toContain(`"256Mi"`);
  });

  it("reports a request above the quota at the line of the field to change", async () => {
    const root = repoWith("quota", [`  workloads: {`, `    api: {`, `      image: "x:1",`, `      replicas: 3,`, `      requests: { cpu: "8" },`, `    },`, `  },`]);
    const loaded = await loadManifests(root, p, service("payments"), "config/services/payments.ts");
    expect(loaded.problems).toEqual([expect.objectContaining({ field: "workloads.api.requests.cpu", value: "8", line: 7 })]);
  });
});

describe("rendering", () => {
  const source = manifestsSchema.parse({
    workloads: { api: { image: "registry.example.com/payments/api:1.0.0", replicas: 2, port: 8080, env: { A: "1" } } },
    overlays: { "eks-ap-northeast-3": { workloads: { api: { replicas: 5, env: { B: "2" } } } } },
  });
  const files = renderServiceManifests(p, service("payments"), source);
  const yamlOf = (file: string) => parseYaml(files.get(file)!);

  it("writes the base and one overlay per cluster, every object in the service's namespace with its labels", () => {
    expect([...files.keys()].filter((f) => f.endsWith("deployment-api.yaml"))).toEqual([
      "manifests/payments/base/deployment-api.yaml",
      "manifests/payments/overlays/eks-ap-northeast-1/deployment-api.yaml",
      "manifests/payments/overlays/eks-ap-northeast-3/deployment-api.yaml",
      "manifests/payments/overlays/gke-asia-northeast1/deployment-api.yaml",
    ]);
    for (const [file, text] of files) {
      const o = parseYaml(text);
      expect(o.metadata.namespace, file).toBe("payments");
      expect(o.metadata.labels, file).toMatchObject({ service: "payments", team: "payments-owners", "app.kubernetes.io/part-of": "payments" });
    }
  });

  it("applies an overlay's changes over the base (replicas replaced, env merged) and fills the LimitRange's default requests", () => {
    const base = yamlOf("manifests/payments/base/deployment-api.yaml");
    const osaka = yamlOf("manifests/payments/overlays/eks-ap-northeast-3/deployment-api.yaml");
    expect(base.spec.replicas).toBe(2);
    expect(osaka.spec.replicas).toBe(5);
    expect(osaka.spec.template.spec.containers[0].env).toEqual([{ name: "A", value: "1" }, { name: "B", value: "2" }]);
    expect(osaka.spec.template.spec.containers[0].resources.requests).toEqual(p.kubernetes.defaultRequests);
    expect(yamlOf("manifests/payments/overlays/eks-ap-northeast-1/service-api.yaml").spec.selector).toEqual({ "app.kubernetes.io/name": "api", service: "payments" });
  });

  it("is deterministic", () => {
    expect(renderServiceManifests(p, service("payments"), source)).toEqual(files);
  });
});

describe("CODEOWNERS", () => {
  it("gives manifests/<service>/ (source and rendered YAML) to the service's team", () => {
    expect(renderCodeowners(model)).toContain("/manifests/payments/ @example/payments-owners\n");
  });
});

describe("Argo CD", () => {
  const stacks = exampleStacks();
  const argo = Object.entries(stacks).flatMap(([stack, json]) => Object.values<any>(resources(json, "kubernetes_manifest")).map((r) => ({ stack, manifest: r.manifest, dependsOn: r.depends_on })));
  const project = (name: string) => argo.find((a) => a.manifest.kind === "AppProject" && a.manifest.metadata.name === name);

  it("gives each service deployed by Argo CD a project in the primary region's namespace shard of that service", () => {
    expect(project("payments")!.stack).toBe("namespaces-ap-northeast-1-2");
    expect(project("recommendations")!.stack).toBe("namespaces-ap-northeast-1-3");
    // ledger runs on a dedicated cluster, which the platform's Argo CD does not deploy to.
    expect(project("ledger")).toBeUndefined();
    expect(argo.every((a) => a.stack.startsWith("namespaces-ap-northeast-1-") && a.manifest.metadata.namespace === "argocd")).toBe(true);
  });

  it("lets a project deploy only this repository into the service's namespace on its clusters, no cluster-scoped or platform-owned object", () => {
    const spec = project("payments")!.manifest.spec;
    expect(spec.sourceRepos).toEqual(["https://github.com/example/super-terraform.git"]);
    expect(spec.destinations).toEqual([
      { name: "shared-ap-northeast-1", namespace: "payments" },
      { name: "shared-ap-northeast-3", namespace: "payments" },
      { name: "gke-shared", namespace: "payments" },
    ]);
    expect(spec.clusterResourceWhitelist).toEqual([]);
    expect(spec.namespaceResourceBlacklist).toEqual(expect.arrayContaining([{ group: "", kind: "ResourceQuota" }, { group: "rbac.authorization.k8s.io", kind: "RoleBinding" }]));
  });

  it("gives the owners' team sync (which covers rollback) on their project's applications and nothing else", () => {
    expect(project("recommendations")!.manifest.spec.roles).toEqual([{
      name: "owners",
      description: "Owners of recommendations: sync and rollback",
      groups: ["example:recommendations-owners"],
      policies: ["p, proj:recommendations:owners, applications, sync, recommendations/*, allow"],
    }]);
  });

  it("points one application per cluster at the rendered overlay, synced by hand and without a deletion finalizer", () => {
    const apps = argo.filter((a) => a.manifest.kind === "Application" && a.manifest.spec.project === "payments");
    expect(apps.map((a) => [a.manifest.metadata.name, a.manifest.spec.source.path, a.manifest.spec.destination.name])).toEqual([
      ["payments-eks-ap-northeast-1", "manifests/payments/overlays/eks-ap-northeast-1", "shared-ap-northeast-1"],
      ["payments-eks-ap-northeast-3", "manifests/payments/overlays/eks-ap-northeast-3", "shared-ap-northeast-3"],
      ["payments-gke-asia-northeast1", "manifests/payments/overlays/gke-asia-northeast1", "gke-shared"],
    ]);
    for (const a of apps) {
      expect(a.manifest.spec.syncPolicy.automated).toBeUndefined();
      expect(a.manifest.metadata.finalizers).toBeUndefined();
      expect(a.dependsOn).toHaveLength(1);
    }
  });

  it("lets the primary region's shards, and only them, manage AppProjects and Applications in Argo CD's namespace", () => {
    const roles = (region: string) => (sharedClusterRbac(p, region) as any).items.filter((i: any) => i.kind === "Role" && i.metadata.namespace === "argocd");
    expect(roles("ap-northeast-1").map((r: any) => [r.metadata.name, r.rules[0].verbs.includes("create")])).toEqual([["tfc-argocd-reader", false], ["tfc-argocd-provisioner", true]]);
    expect(roles("ap-northeast-3")).toEqual([]);
  });
});
