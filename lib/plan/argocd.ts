import type { ServiceModel } from "../config/model";
import type { Platform } from "../config/schema";
import { dedicatedClusterName, sharedClusterName } from "./cluster";
import { originalKey } from "./stack-plan";

/*
 * Where a service's manifests go and how Argo CD finds them, as pure data shared by the
 * manifest renderer (scripts/manifests.ts), CODEOWNERS and the namespace shards that hold the
 * Argo CD objects.
 *
 * Argo CD runs on the shared EKS cluster of the platform's primary region, in the namespace
 * `argocd` (installed before the first apply: the `argocd` prerequisite of config/platform.ts).
 * Every other cluster a service is placed on is registered there under the name
 * `argoCdClusterName` gives it. The per-service objects (AppProject, Applications) live in the
 * primary region's `namespaces-<region>-<n>` shard of the service, which already talks to that
 * cluster: adding a service changes one shard and no cluster stack.
 */

/** The namespace Argo CD runs in and reads its AppProjects and Applications from. */
export const ARGOCD_NAMESPACE = "argocd";

/** Folder of the rendered manifests and their typed source, relative to the repository. */
export const MANIFESTS_DIR = "manifests";

/** One cluster a service's workloads run on, and the overlay rendered for it. */
export interface DeploymentTarget {
  /** Overlay name: `eks-<aws region>` or `gke-<google region>`. */
  readonly env: string;
  readonly kind: "eks" | "gke";
  /** The cluster's name as Argo CD knows it (its registration). */
  readonly cluster: string;
  /** Kubernetes minor version of the cluster ("1.33"): API versions removed by then are refused. */
  readonly version: string;
  /**
   * Whether Argo CD deploys there. A dedicated cluster lives in the service's own account and
   * is not registered with the platform's Argo CD, so its overlay is rendered but not synced.
   */
  readonly argoCd: boolean;
}

/** The cluster name Argo CD registers the shared GKE cluster under (EKS clusters keep their own names). */
export function gkeArgoCdClusterName(platform: Platform): string {
  return `gke-${platform.gke?.clusterName ?? ""}`;
}

/**
 * The clusters a service runs on, in a fixed order: EKS in each of its regions (the shared or
 * its dedicated cluster), then the shared GKE cluster.
 */
export function deploymentTargets(platform: Platform, s: ServiceModel): DeploymentTarget[] {
  const clusters = s.kubernetes.clusters;
  const targets: DeploymentTarget[] = [];
  if (clusters.includes("eks")) {
    const shared = s.kubernetes.tenancy === "shared";
    for (const region of s.regions) {
      targets.push({
        env: `eks-${region}`,
        kind: "eks",
        cluster: shared ? sharedClusterName(platform, region) : dedicatedClusterName(originalKey(s), region),
        version: platform.kubernetes.version,
        argoCd: shared,
      });
    }
  }
  if (clusters.includes("gke") && platform.gke) {
    targets.push({ env: `gke-${platform.gke.region}`, kind: "gke", cluster: gkeArgoCdClusterName(platform), version: platform.gke.version, argoCd: true });
  }
  return targets;
}

/** The typed source of a service's manifests. */
export function manifestSourcePath(serviceKey: string): string {
  return `${MANIFESTS_DIR}/${serviceKey}/manifests.ts`;
}

/** The folder Argo CD syncs for one overlay (plain YAML, rendered). */
export function overlayPath(serviceKey: string, env: string): string {
  return `${MANIFESTS_DIR}/${serviceKey}/overlays/${env}`;
}

/** This repository's clone URL, the only source an AppProject allows. */
export function repositoryUrl(platform: Platform): string {
  return `https://github.com/${platform.github.organization}/${platform.github.repository}.git`;
}

/** A service's Argo CD project: its key. */
export function argoCdProjectName(s: Pick<ServiceModel, "key">): string {
  return s.key;
}

/** A service's Argo CD Application on one target. */
export function argoCdApplicationName(s: Pick<ServiceModel, "key">, env: string): string {
  return `${s.key}-${env}`;
}

/** The region whose shared EKS cluster runs Argo CD: the primary region. */
export function argoCdRegion(platform: Platform): string {
  return platform.regions[0]!;
}

/** The services with Argo CD objects: active ones with at least one target Argo CD deploys to. */
export function argoCdServices(platform: Platform, services: readonly ServiceModel[]): ServiceModel[] {
  return services.filter((s) => !s.retired && deploymentTargets(platform, s).some((t) => t.argoCd));
}

/** The Argo CD project role of a service's owners. */
export const OWNERS_ROLE = "owners";

/**
 * The Argo CD SSO group of a service's owners: their GitHub team (`<org>:<team slug>`, as Argo
 * CD's Dex GitHub connector names teams). The team's members come from the service's `owners`,
 * so Argo CD access follows the config: removing an owner removes it at their next login.
 */
export function ownersGroup(platform: Platform, teamSlug: string): string {
  return `${platform.github.organization}:${teamSlug}`;
}

/**
 * The policies of a service's owners role: sync on the project's applications, and nothing
 * else. Argo CD checks `sync` for a rollback too (a rollback syncs an earlier revision), so
 * this one line gives both. Reading applications comes from the developers' global read-only
 * role (argoCdRbacConfigMap); creating, changing or deleting applications, projects,
 * repositories or clusters is never granted, so the Application's path stays the one this
 * repository sets.
 */
export function ownersPolicies(project: string): string[] {
  return [`p, proj:${project}:${OWNERS_ROLE}, applications, sync, ${project}/*, allow`];
}

/**
 * Argo CD's global RBAC (the `argocd-rbac-cm` ConfigMap), applied once when Argo CD is installed
 * (`npm run oidc-bootstrap` writes it): nobody gets anything by default; every developer (the
 * `github.developersTeam` team, whose members are config/developers.ts) reads applications,
 * projects and logs; the platform team administers. Per-service rights live in each service's
 * AppProject, so adding a developer or a service never changes this object.
 */
export function argoCdRbacConfigMap(platform: Platform): Record<string, unknown> {
  const developers = ownersGroup(platform, platform.github.developersTeam);
  const platformTeam = ownersGroup(platform, platform.github.platformTeam);
  const policy = [
    "p, role:developer, applications, get, */*, allow",
    "p, role:developer, projects, get, *, allow",
    "p, role:developer, logs, get, */*, allow",
    `g, ${developers}, role:developer`,
    `g, ${platformTeam}, role:admin`,
  ];
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "argocd-rbac-cm", namespace: ARGOCD_NAMESPACE, labels: { "app.kubernetes.io/name": "argocd-rbac-cm", "app.kubernetes.io/part-of": "argocd" } },
    data: { "policy.default": "", "policy.csv": `${policy.join("\n")}\n`, scopes: "[groups]" },
  };
}
