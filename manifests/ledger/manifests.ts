import { defineManifests } from "../../lib/define.js";

/*
 * Kubernetes manifests of ledger, which runs on a cluster of its own: the overlay is rendered
 * and reviewed like any other, but the platform's Argo CD does not sync a dedicated cluster
 * (README "Argo CD").
 */
export default defineManifests({
  workloads: {
    ledger: {
      image: "100000000012.dkr.ecr.ap-northeast-1.amazonaws.com/ledger/ledger:2.0.1",
      replicas: 2,
      port: 8080,
      requests: { cpu: "1", memory: "2Gi" },
      limits: { cpu: "2", memory: "4Gi" },
    },
  },
  overlays: {
    "eks-ap-northeast-1": {},
  },
});
