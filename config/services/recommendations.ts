import { defineService } from "../../lib/define.js";

export default defineService({
  description: "Recommendation engine (staging experiments)",
  owners: ["dave", "erin"],
  account: { email: "aws+recommendations@example.com", ou: "workloads-nonprod" },
  regions: ["ap-northeast-1"],
  // No network.cidrs: the VPC gets a /20 allocated from the nonprod pool (see README).
  kubernetes: { tenancy: "shared", namespace: "recs" },
  registry: { kind: "gar", repositories: ["model-server", "trainer", "api"] },
  githubRepositories: ["recommendations"],
  infrastructure: { repository: "recommendations", directory: "infra" },
  slack: { handle: "recs-team" },
});
