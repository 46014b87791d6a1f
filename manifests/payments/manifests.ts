import { defineManifests } from "../../lib/define.js";

/*
 * Kubernetes manifests of payments: the base every cluster gets, and under overlays what one
 * cluster changes. `npm run manifests` renders them to plain YAML beside this file; Argo CD
 * syncs overlays/<cluster>/. Requests count against the namespace quota (kubernetes.quota in
 * config/services/payments.ts: 20 CPU, 64Gi, 100 pods).
 */
export default defineManifests({
  workloads: {
    api: {
      image: "100000000011.dkr.ecr.ap-northeast-1.amazonaws.com/payments/api:1.4.2",
      replicas: 3,
      port: 8080,
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "2", memory: "2Gi" },
      env: { LOG_LEVEL: "info" },
    },
    worker: {
      image: "100000000011.dkr.ecr.ap-northeast-1.amazonaws.com/payments/worker:1.4.2",
      replicas: 2,
      requests: { cpu: "1", memory: "2Gi" },
      limits: { cpu: "2", memory: "4Gi" },
    },
  },
  objects: {
    // Keeps two API pods through node drains and cluster upgrades.
    api: {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      spec: { minAvailable: 2, selector: { matchLabels: { "app.kubernetes.io/name": "api", service: "payments" } } },
    },
  },
  overlays: {
    // The primary region takes most traffic.
    "eks-ap-northeast-1": { workloads: { api: { replicas: 6 } } },
    "eks-ap-northeast-3": {},
    // On GKE the images come from the registry's mirror in Google Cloud.
    "gke-asia-northeast1": {
      workloads: {
        api: { image: "asia-northeast1-docker.pkg.dev/example-registry/payments/api:1.4.2", env: { CLOUD: "gcp" } },
        worker: { image: "asia-northeast1-docker.pkg.dev/example-registry/payments/worker:1.4.2" },
      },
    },
  },
});
