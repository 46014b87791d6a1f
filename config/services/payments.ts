import { defineService } from "../../lib/define.js";

export default defineService({
  description: "Payments API",
  owners: ["alice", "bob"],
  account: { email: "aws+payments@example.com", ou: "workloads-prod" },
  regions: ["ap-northeast-1", "ap-northeast-3"],
  network: { cidrs: { "ap-northeast-1": "10.16.0.0/20", "ap-northeast-3": "10.64.0.0/20" } },
  // On both clusters: a namespace on the shared EKS cluster in each region and one on GKE.
  kubernetes: { tenancy: "shared", clusters: ["eks", "gke"], quota: { cpu: "20", memory: "64Gi", pods: 100 } },
  // Artifact Registry: the nodes of both clusters pull from it (GKE nodes cannot pull from ECR).
  registry: { kind: "gar", repositories: ["api", "worker"] },
  githubRepositories: ["payments"],
  // The team's own Terraform; in prod the team role operates, and changes go through this workspace.
  infrastructure: { repository: "payments", directory: "terraform" },
  slack: { handle: "payments-team" },
  pagerduty: { escalation: [{ targets: ["alice", "bob"], delayMinutes: 15 }, { targets: ["carol"] }] },
});
