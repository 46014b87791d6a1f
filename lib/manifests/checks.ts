import type { ServiceModel } from "../config/model";
import type { Problem } from "../config/problems";
import type { Platform } from "../config/schema";
import { deploymentTargets } from "../plan/argocd";
import { bytes, millicores, showCpu, showMemory } from "./quantity";
import { removedApi } from "./removed-apis";
import { type ContainerDefaults, resolveManifests, type ResolvedManifests } from "./resolve";
import type { Manifests } from "./schema";

/** The LimitRange defaults of the platform's namespaces, which containers without requests get. */
export function containerDefaults(platform: Platform): ContainerDefaults {
  return { requests: platform.kubernetes.defaultRequests, limits: platform.kubernetes.defaultLimits };
}

/** Pods, CPU and memory one cluster's manifests request at their replica counts, per contributor. */
interface Demand {
  readonly what: string;
  readonly replicas: number;
  readonly cpu: number;
  readonly memory: number;
  readonly from: { readonly replicas: string; readonly cpu: string; readonly memory: string };
}

/** Every pod the manifests start: the workloads, and raw objects with a pod template (`spec.template.spec.containers`). */
function demands(resolved: ResolvedManifests, defaults: ContainerDefaults): Demand[] {
  const out: Demand[] = resolved.workloads.map((w) => ({
    what: `workload ${w.name}`,
    replicas: w.replicas,
    cpu: millicores(w.requests.cpu),
    memory: bytes(w.requests.memory),
    from: w.from,
  }));
  for (const o of resolved.objects) {
    const spec = (o.object as { spec?: { replicas?: unknown; template?: { spec?: { containers?: unknown } } } }).spec;
    const containers = spec?.template?.spec?.containers;
    if (!Array.isArray(containers)) continue;
    const requested = (key: "cpu" | "memory") => containers.map((c: { resources?: { requests?: Record<string, unknown> } }) => {
      const v = c?.resources?.requests?.[key];
      return typeof v === "string" ? v : defaults.requests[key];
    });
    out.push({
      what: `${o.object.kind} ${o.name}`,
      replicas: typeof spec?.replicas === "number" ? spec.replicas : 1,
      cpu: requested("cpu").reduce((sum, q) => sum + millicores(q), 0),
      memory: requested("memory").reduce((sum, q) => sum + bytes(q), 0),
      from: { replicas: `${o.from}.spec.replicas`, cpu: `${o.from}.spec.template.spec.containers`, memory: `${o.from}.spec.template.spec.containers` },
    });
  }
  return out;
}

/**
 * What is wrong with a service's manifests, all at once: overlays for clusters the service does
 * not run on, workloads without an image, requests above the namespace quota (the service's
 * `kubernetes.quota`, else the platform's default) on any cluster, and API versions a cluster's
 * Kubernetes version no longer serves. `file` is the source as shown (manifests/<service>/manifests.ts).
 */
export function manifestProblems(platform: Platform, s: ServiceModel, source: Manifests, file: string, serviceFile: string): Problem[] {
  const problems: Problem[] = [];
  // The same check failing on one field on several clusters is reported once (the first cluster).
  const seen = new Set<string>();
  const problem = (field: string, value: unknown, message: string, fix: string, check = message) => {
    if (seen.has(`${field}\u0000${check}`)) return;
    seen.add(`${field}\u0000${check}`);
    problems.push({ file, entry: s.key, field, value, message, fix });
  };
  const targets = deploymentTargets(platform, s);
  const envs = targets.map((t) => t.env);
  for (const env of Object.keys(source.overlays).sort()) {
    if (!envs.includes(env)) {
      problem(`overlays.${env}`, env, `is not a cluster ${s.key} runs on (it runs on ${envs.length === 0 ? "none" : envs.join(", ")})`, envs.length === 0
        ? `remove the overlay, or place the service on a cluster in ${serviceFile} (kubernetes.clusters, regions)`
        : `rename the overlay to one of ${envs.join(", ")}, or add the cluster to the service in ${serviceFile}`);
    }
  }
  const defaults = containerDefaults(platform);
  const quota = { cpu: millicores(s.quota.cpu), memory: bytes(s.quota.memory), pods: s.quota.pods };
  const quotaFrom = s.kubernetes.quota ? `kubernetes.quota in ${serviceFile}` : `the platform's kubernetes.defaultQuota (set kubernetes.quota in ${serviceFile} to change it)`;
  const maximum = platform.kubernetes.maximumQuota;
  for (const target of targets) {
    const resolved = resolveManifests(source, target.env, defaults);
    for (const w of resolved.workloads) {
      if (w.image === "") {
        problem(w.from.image, undefined, `workload ${w.name} has no image on ${target.env}`, `give it an image in workloads.${w.name}.image (every cluster) or ${w.from.image}`, "image");
      }
    }
    const all = demands(resolved, defaults);
    const over = (key: "cpu" | "memory", show: (n: number) => string, limit: number, max: string) => {
      const total = all.reduce((sum, d) => sum + d.replicas * d[key], 0);
      if (total <= limit) return;
      // The largest contributor is where a change helps most: name its field.
      const top = [...all].sort((a, b) => b.replicas * b[key] - a.replicas * a[key])[0]!;
      const parts = all.filter((d) => d.replicas * d[key] > 0).map((d) => `${d.what} ${d.replicas} x ${show(d[key])}`).join(", ");
      // Point at what the overlay changed when it did (its replicas or requests), else the base's requests.
      const field = [top.from.replicas, top.from[key]].find((f) => f.startsWith("overlays.")) ?? top.from[key];
      problem(field, field === top.from.replicas ? top.replicas : show(top[key]), `requests ${show(total)} ${key === "cpu" ? "CPU" : "memory"} in namespace ${s.namespace} on ${target.env} (${parts}), more than the namespace quota of ${show(limit)} (${quotaFrom}); Kubernetes would refuse the pods beyond it`,
        `lower requests.${key} or replicas of ${top.what}${target.env in source.overlays ? ` (or only in overlays.${target.env})` : ""}, or raise the quota's ${key} in ${serviceFile} (at most the platform's maximum, ${max})`, `quota ${key}`);
    };
    over("cpu", showCpu, quota.cpu, maximum.cpu);
    over("memory", showMemory, quota.memory, maximum.memory);
    const pods = all.reduce((sum, d) => sum + d.replicas, 0);
    if (pods > quota.pods) {
      const top = [...all].sort((a, b) => b.replicas - a.replicas)[0]!;
      problem(top.from.replicas, top.replicas, `runs ${pods} pods in namespace ${s.namespace} on ${target.env}, more than the namespace quota of ${quota.pods} pods (${quotaFrom})`,
        `lower the replicas of ${top.what}, or raise kubernetes.quota.pods in ${serviceFile} (at most ${maximum.pods})`, "quota pods");
    }
    for (const o of resolved.objects) {
      const removed = removedApi(o.object.apiVersion, o.object.kind, target.version);
      if (removed) {
        problem(`${o.from}.apiVersion`, o.object.apiVersion, `${o.object.kind} ${o.name} uses ${o.object.apiVersion}, which Kubernetes removed in ${removed.removedIn}; ${target.env} runs ${target.version}, so the object cannot be applied there`,
          `use apiVersion "${removed.use}" (and the fields it changed: kubernetes.io/docs/reference/using-api/deprecation-guide)`, "removed api");
      }
    }
  }
  return problems;
}
