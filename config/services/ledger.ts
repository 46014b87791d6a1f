import { defineService } from "../../lib/define.js";

export default defineService({
  description: "General ledger; runs on a cluster of its own for isolation",
  owners: ["carol", "bob"],
  account: { email: "aws+ledger@example.com", ou: "workloads-prod" },
  regions: ["ap-northeast-1"],
  network: { cidrs: { "ap-northeast-1": "10.16.16.0/20" } },
  kubernetes: { tenancy: "dedicated" },
  registry: { kind: "ecr", repositories: ["ledger"] },
  githubRepositories: ["ledger"],
  slack: { handle: "ledger-team" },
});
