import type { Problem } from "./problems";
import { overlaps, parseCidr } from "../plan/cidr";
import { GITHUB_REPOSITORY, type Developer, type Platform, type Service } from "./schema";

/*
 * Rules of the Kubernetes tenancy and registry domain that zod cannot express on one field.
 * `validate.ts` calls them and adds the file and entry; each finding names field, value and fix.
 * (Namespace labels, reserved namespaces, quota maximums and repeated repositories are checked
 * in `validate.ts` itself, where the namespace claims across services live.)
 */

type Finding = Omit<Problem, "file" | "entry">;

/** GitHub repository names: letters, digits, ".", "-", "_" (the organization is the platform's). */
/** Artifact Registry repository IDs must start with a letter. */
const GAR_REPOSITORY_ID = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** Platform-level Kubernetes settings that only make sense together. */
export function checkPlatformKubernetes(p: Platform): Array<Finding & { entry: string }> {
  const out: Array<Finding & { entry: string }> = [];
  for (const [name, g] of Object.entries(p.kubernetes.nodeGroups)) {
    if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
      out.push({ entry: "", field: `kubernetes.nodeGroups.${name}`, value: { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize }, message: "has sizes out of order", fix: "use minSize <= desiredSize <= maxSize" });
    }
  }
  if (Object.keys(p.kubernetes.nodeGroups).length === 0) {
    out.push({ entry: "", field: "kubernetes.nodeGroups", value: {}, message: "defines no node group, so no pod could run", fix: 'add one, e.g. general: { instanceTypes: ["m7i.large"], minSize: 3, desiredSize: 3, maxSize: 12 }' });
  }
  return out;
}

/** The shared GKE cluster's settings that only make sense together. */
export function checkPlatformGke(p: Platform): Array<Finding & { entry: string }> {
  const out: Array<Finding & { entry: string }> = [];
  const gke = p.gke;
  if (!gke) return out;
  if (!p.registry.gar) {
    out.push({ entry: "", field: "gke", value: gke.project, message: "needs registry.gar: HCP Terraform reaches Google through the pool in the registry project, and the tenants' images are in Artifact Registry", fix: "configure registry.gar, or remove gke" });
  }
  if (gke.nodePool.minNodes > gke.nodePool.maxNodes) {
    out.push({ entry: "", field: "gke.nodePool", value: { minNodes: gke.nodePool.minNodes, maxNodes: gke.nodePool.maxNodes }, message: "has minNodes above maxNodes", fix: "use minNodes <= maxNodes" });
  }
  if (!gke.network.controlPlaneCidr.endsWith("/28")) {
    out.push({ entry: "", field: "gke.network.controlPlaneCidr", value: gke.network.controlPlaneCidr, message: "is not a /28, the size GKE requires for a private control plane", fix: "use a /28 that overlaps no other range, e.g. \"172.16.0.0/28\"" });
  }
  // The four ranges share one VPC: an overlap makes GKE refuse the cluster.
  const ranges = (["nodeCidr", "podCidr", "serviceCidr", "controlPlaneCidr"] as const).map((f) => ({ field: f, value: gke.network[f], block: parseCidr(gke.network[f]) }));
  ranges.forEach((a, i) => ranges.slice(i + 1).forEach((b) => {
    if (a.block && b.block && overlaps(a.block, b.block)) {
      out.push({ entry: "", field: `gke.network.${b.field}`, value: b.value, message: `overlaps gke.network.${a.field} (${a.value})`, fix: "give the nodes, pods, Services and control plane ranges that do not overlap" });
    }
  }));
  return out;
}

/**
 * Where a service's namespace lives: `kubernetes.clusters` without repeats, GKE only for shared
 * tenancy, only when the platform has a GKE cluster, and every owner reachable by a Google identity.
 */
export function checkServiceClusters(p: Platform, developers: ReadonlyMap<string, Partial<Developer>>, key: string, s: Partial<Service>, badGoogle: ReadonlySet<string> = new Set()): Finding[] {
  const out: Finding[] = [];
  const k = s.kubernetes;
  if (!k) return out;
  const clusters = k.clusters ?? ["eks"];
  const seen = new Set<string>();
  for (const c of clusters) {
    if (seen.has(c)) out.push({ field: "kubernetes.clusters", value: c, message: "lists a cluster twice", fix: "remove the duplicate" });
    seen.add(c);
  }
  if (!clusters.includes("gke")) return out;
  if (k.tenancy !== "shared") {
    out.push({ field: "kubernetes.clusters", value: clusters, message: `lists "gke", but a dedicated tenancy has a cluster of its own`, fix: `use tenancy: "shared" to run on the platform's GKE cluster, or remove "gke"` });
    return out;
  }
  if (!p.gke) {
    out.push({ field: "kubernetes.clusters", value: clusters, message: `lists "gke", but the platform has no GKE cluster (gke in config/platform.ts is not set)`, fix: `remove "gke", or ask the platform team to configure gke in config/platform.ts` });
    return out;
  }
  if (s.registry && s.registry.kind !== "gar") {
    out.push({ field: "registry.kind", value: s.registry.kind, message: `keeps the images in ECR, which the GKE nodes cannot pull from`, fix: `use "gar" (Artifact Registry: the EKS nodes pull through the AWS workload identity pool, the GKE nodes as their service account), or remove "gke" from kubernetes.clusters` });
  }
  if (s.retired) return out;
  (s.owners ?? []).forEach((o, i) => {
    const d = developers.get(o);
    // A developer whose google field is already reported as malformed gets no second problem here.
    if (d && d.google === undefined && !badGoogle.has(o)) {
      out.push({ field: `owners.${i}`, value: o, message: `owns a GKE tenant but has no Google identity, so no RBAC binding could name them`, fix: `add google: "<their Google account email>" to "${o}" in config/developers.ts, or remove "gke" from kubernetes.clusters` });
    }
  });
  return out;
}

/** One service's registry and CI settings. */
export function checkServiceRegistry(p: Platform, key: string, s: Partial<Service>): Finding[] {
  const out: Finding[] = [];
  const repos = s.githubRepositories ?? [];
  repos.forEach((r, i) => {
    if (!GITHUB_REPOSITORY.test(r)) {
      out.push({ field: `githubRepositories.${i}`, value: r, message: "is not a GitHub repository name", fix: `write only the repository's name (the organization is ${p.github.organization}), e.g. "${key}"` });
    }
  });
  const seen = new Set<string>();
  repos.forEach((r) => {
    if (seen.has(r.toLowerCase())) out.push({ field: "githubRepositories", value: r, message: "lists a repository twice", fix: "remove the duplicate" });
    seen.add(r.toLowerCase());
  });
  if (s.registry && !s.retired && repos.length === 0) {
    out.push({ field: "githubRepositories", value: [], message: "is empty, so no CI role could push to registry.repositories", fix: `list the repositories in ${p.github.organization} whose main branch builds the images, e.g. ["${key}"]` });
  }
  if (s.registry?.kind === "gar") {
    s.registry.repositories.forEach((r, i) => {
      const id = garRepositoryId(key, r);
      if (!GAR_REPOSITORY_ID.test(id) || id.length > 63) {
        out.push({ field: `registry.repositories.${i}`, value: r, message: `gives the Artifact Registry repository ID "${id}", which must start with a letter and be at most 63 characters`, fix: "use a shorter repository name of lower-case letters, digits and hyphens" });
      }
    });
  }
  return out;
}

/** Artifact Registry repository ID of one of a service's repositories (one project holds every service's). */
export function garRepositoryId(serviceKey: string, repository: string): string {
  return `${serviceKey}-${repository}`;
}

/** ECR repository name of one of a service's repositories. */
export function ecrRepositoryName(serviceKey: string, repository: string): string {
  return `${serviceKey}/${repository}`;
}
