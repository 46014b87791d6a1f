import { defineManifests } from "../../lib/define.js";

/*
 * Kubernetes manifests of recommendations, on the shared GKE cluster only. No kubernetes.quota
 * in config/services/recommendations.ts: the platform's default quota applies (8 CPU, 32Gi,
 * 50 pods).
 */
export default defineManifests({
  workloads: {
    "model-server": {
      image: "asia-northeast1-docker.pkg.dev/example-registry/recommendations/model-server:0.9.0",
      replicas: 2,
      port: 8080,
      requests: { cpu: "1", memory: "4Gi" },
      limits: { cpu: "2", memory: "8Gi" },
    },
    api: {
      image: "asia-northeast1-docker.pkg.dev/example-registry/recommendations/api:0.9.0",
      replicas: 2,
      port: 8080,
    },
  },
  objects: {
    api: {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      },
    },
  },
  overlays: {
    "gke-asia-northeast1": {},
  },
});
