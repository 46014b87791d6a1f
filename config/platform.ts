import { definePlatform } from "../lib/define.js";

/** Organization-wide facts. Owned by the platform team (see CODEOWNERS). */
export default definePlatform({
  name: "example",
  accounts: {
    management: { id: "100000000001", email: "aws+management@example.com" },
    logArchive: { id: "100000000002", email: "aws+log-archive@example.com" },
    security: { id: "100000000003", email: "aws+security@example.com" },
    network: { id: "100000000004", email: "aws+network@example.com" },
    cluster: { id: "100000000005", email: "aws+cluster@example.com" },
    bastion: { id: "100000000006", email: "aws+bastion@example.com" },
  },
  regions: ["ap-northeast-1", "ap-northeast-3"],
  organizationalUnits: {
    platform: { workloads: false, segment: "shared" },
    "workloads-prod": { workloads: true, segment: "prod" },
    "workloads-nonprod": { workloads: true, segment: "nonprod" },
    sandbox: { workloads: true, segment: "nonprod" },
  },
  network: {
    segments: ["prod", "nonprod", "shared"],
    pools: {
      "ap-northeast-1": { prod: "10.16.0.0/12", nonprod: "10.32.0.0/12", shared: "10.48.0.0/16" },
      "ap-northeast-3": { prod: "10.64.0.0/12", nonprod: "10.80.0.0/12", shared: "10.96.0.0/16" },
    },
    egress: { "ap-northeast-1": "10.0.0.0/22", "ap-northeast-3": "10.0.4.0/22" },
    servicePrefixLength: 20,
    availabilityZones: 2,
    onPremises: { cidrs: ["192.168.0.0/16"] },
    asns: { "ap-northeast-1": 64512, "ap-northeast-3": 64513 },
  },
  kubernetes: {
    version: "1.33",
    clusterName: "shared",
    nodeGroups: {
      general: { instanceTypes: ["m7i.large"], minSize: 3, desiredSize: 3, maxSize: 12 },
    },
    namespaceShards: 4,
    ingressNamespace: "ingress-nginx",
    defaultQuota: { cpu: "8", memory: "32Gi", pods: 50 },
    maximumQuota: { cpu: "64", memory: "256Gi", pods: 500 },
    defaultLimits: { cpu: "1", memory: "1Gi" },
    defaultRequests: { cpu: "100m", memory: "128Mi" },
  },
  registry: {
    keepImages: 50,
    gar: {
      project: "example-registry",
      location: "asia-northeast1",
      workloadIdentityPool: "projects/123456789012/locations/global/workloadIdentityPools/aws-accounts",
    },
  },
  terraformCloud: { organization: "example", project: "super-terraform", vendingShards: 4 },
  github: {
    organization: "example",
    repository: "super-terraform",
    admins: ["alice"],
    platformTeamMembers: ["alice", "bob"],
    platformTeam: "platform",
    approversTeam: "approvers",
  },
  datadog: { roles: ["Datadog Standard Role", "Datadog Read Only Role"] },
  pagerduty: { roles: ["user", "limited_user", "observer"] },
  slack: { notificationChannel: "#platform-alerts" },
  access: { samlProvider: "corporate-idp", maxSessionSeconds: 3600 },
  logArchive: { transitionDays: 90, lockDays: 365 },
  tags: { organization: "example", "managed-by": "super-terraform" },
});
