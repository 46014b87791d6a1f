import type { ServiceModel } from "../config/model";
import type { Platform } from "../config/schema";
import { deploymentTargets } from "../plan/argocd";

/**
 * The typed manifests `npm run new-service` writes for a new service: one workload with
 * modest requests (far inside the platform's default quota) and an empty overlay for every
 * cluster the service runs on, so a team sees where per-cluster changes go. `defineImport` is
 * the import line as the repository's other sources write it.
 */
export function scaffoldManifests(platform: Platform, s: ServiceModel, defineImport: string): string {
  const q = (v: string) => JSON.stringify(v);
  const overlays = deploymentTargets(platform, s).map((t) => `    ${q(t.env)}: {},`);
  return [
    defineImport,
    ``,
    `/*`,
    ` * Kubernetes manifests of ${s.key}: the base every cluster gets, and under overlays what one`,
    ` * cluster changes. \`npm run manifests\` renders them to plain YAML beside this file; Argo CD`,
    ` * syncs overlays/<cluster>/. Requests count against the namespace quota (kubernetes.quota`,
    ` * of the service's config file, else the platform's default).`,
    ` */`,
    `export default defineManifests({`,
    `  workloads: {`,
    `    api: {`,
    `      // A placeholder that runs anywhere: replace it with the service's own image.`,
    `      image: "registry.k8s.io/pause:3.10",`,
    `      replicas: 1,`,
    `      requests: { cpu: "100m", memory: "128Mi" },`,
    `      limits: { cpu: "500m", memory: "256Mi" },`,
    `    },`,
    `  },`,
    `  overlays: {`,
    ...overlays,
    `  },`,
    `});`,
    ``,
  ].join("\n");
}
