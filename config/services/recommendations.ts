import { defineService } from "../../lib/define.js";

export default defineService({
  description: "Recommendation engine (staging experiments)",
  owners: ["dave", "erin"],
  account: { email: "aws+recommendations@example.com", ou: "workloads-nonprod" },
  regions: ["ap-northeast-1"],
  // No network.cidrs: the VPC gets a /20 allocated from the nonprod pool (see README).
  // GKE only: its images are in Artifact Registry next to the cluster.
  kubernetes: { tenancy: "shared", namespace: "recs", clusters: ["gke"] },
  registry: { kind: "gar", repositories: ["model-server", "trainer", "api"] },
  githubRepositories: ["recommendations"],
  infrastructure: { repository: "recommendations", directory: "infra" },
  slack: { handle: "recs-team" },
});
