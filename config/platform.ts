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
  // The shared GKE cluster (services opt in with kubernetes.clusters: ["gke"]).
  gke: {
    project: "example-gke",
    region: "asia-northeast1",
    clusterName: "shared",
    version: "1.33",
    developerRole: "roles/container.clusterViewer",
    namespaceShards: 4,
    network: { nodeCidr: "10.128.0.0/20", podCidr: "10.132.0.0/14", serviceCidr: "10.136.0.0/20", controlPlaneCidr: "172.16.0.0/28" },
    nodePool: { machineType: "e2-standard-4", minNodes: 1, maxNodes: 5 },
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
  // What exists before the first apply, in bootstrap order (README "Bootstrap"). `provides`
  // names what the stacks look up or reference; `{path}` is a value of this file.
  prerequisites: [
    {
      id: "aws-organization",
      what: "The AWS organization with all features, its management account, SCP and RCP policy types enabled on the root, and trusted access for CloudFormation StackSets, CloudTrail, Config, GuardDuty, Security Hub and Access Analyzer",
      how: "By an administrator of the management account in the AWS Organizations console (Policies, Services)",
      provides: ["aws-organization", "aws-account:{accounts.management.id}"],
    },
    {
      id: "platform-accounts",
      what: "The log archive, security, network, cluster and bastion accounts, their IDs written in accounts",
      how: "Created (or invited) once in AWS Organizations by an administrator of the management account",
      provides: ["aws-account:{accounts.logArchive.id}", "aws-account:{accounts.security.id}", "aws-account:{accounts.network.id}", "aws-account:{accounts.cluster.id}", "aws-account:{accounts.bastion.id}"],
    },
    {
      id: "hcp-terraform-organization",
      what: "The HCP Terraform organization, the project, the `workspaces` workspace with its TFE_TOKEN (a team token of the factories) and slack_webhook_url",
      how: "By an organization owner in HCP Terraform, then `terraform init` and the project import (README, Bootstrap step 10)",
      provides: ["tfe-organization:{terraformCloud.organization}", "tfe-project:{terraformCloud.organization}:{terraformCloud.project}", "tfe-workspace:{terraformCloud.organization}:workspaces"],
    },
    {
      id: "hcp-terraform-teams",
      what: "The HCP Terraform teams of the platform and the approvers, which the workspaces stack gives project access",
      how: "By an organization owner in HCP Terraform (Settings > Teams), named as github.platformTeam and github.approversTeam",
      provides: ["tfe-team:{terraformCloud.organization}:{github.platformTeam}", "tfe-team:{terraformCloud.organization}:{github.approversTeam}"],
    },
    {
      id: "management-oidc-trust",
      what: "The management account's HCP Terraform OIDC provider and the plan and apply roles of the organization, management and accounts-<n> workspaces",
      how: "`npm run oidc-bootstrap` writes the template and prints the one `aws cloudformation deploy` to run in the management account",
      provides: ["arn:aws:iam::{accounts.management.id}:oidc-provider/app.terraform.io", "arn:aws:iam::{accounts.management.id}:role/tfc-plan-*", "arn:aws:iam::{accounts.management.id}:role/tfc-apply-*"],
    },
    {
      id: "hcp-terraform-vcs-connection",
      what: "The HCP Terraform organization's VCS connection to the GitHub organization, an OAuth client named as terraformCloud.vcsOAuthClient, through which the team-owned workspaces read their repositories",
      how: "By an organization owner in HCP Terraform (Settings > Version control > Providers > GitHub.com), authorized by an owner of the GitHub organization",
      provides: ["tfe-oauth-client:{terraformCloud.organization}:{terraformCloud.vcsOAuthClient}"],
    },
    {
      id: "saml-provider",
      what: "The IAM SAML identity provider of the bastion account that every developer role trusts",
      how: "Registered once in the bastion account (IAM > Identity providers) from the identity provider's metadata, named as access.samlProvider",
      provides: ["arn:aws:iam::{accounts.bastion.id}:saml-provider/{access.samlProvider}"],
    },
    {
      id: "saas-organizations",
      what: "The GitHub organization, the Datadog organization with its roles, the PagerDuty account and the Slack workspace",
      how: "Exist already; their owners create the tokens of the next step",
      provides: ["github-organization:{github.organization}", "datadog-organization", "datadog-role:{datadog.roles}", "pagerduty-account", "slack-workspace"],
    },
    {
      id: "saas-tokens",
      what: "The values of the secret variable sets: GITHUB_TOKEN, DD_API_KEY and DD_APP_KEY, PAGERDUTY_TOKEN, SLACK_TOKEN, TFE_TOKEN",
      how: "Typed once into the variable sets the workspaces stack creates, by an organization owner of HCP Terraform",
      provides: [],
    },
    {
      id: "google-registry-project",
      what: "The Google Cloud project of Artifact Registry (registry.gar.project) and HCP Terraform's trust in it: the workload identity pool hcp-terraform with its app.terraform.io provider and the tfc-google-plan and tfc-google-apply service accounts",
      how: "Created once in Google Cloud by its administrator (README, Bootstrap step 8); the registry's own pool is created by the google stack",
      provides: ["gcp-project:{registry.gar.project}"],
    },
    {
      id: "google-gke-project",
      what: "The Google Cloud project of the shared GKE cluster (gke.project) with the Compute, Container and IAM APIs enabled, where the tfc-google-plan and tfc-google-apply service accounts hold the roles the gke stacks need",
      how: "Created once in Google Cloud by its administrator (README, Bootstrap step 8)",
      provides: ["gcp-project:{gke.project}"],
    },
    {
      id: "argocd",
      what: "Argo CD in the namespace argocd of the primary region's shared EKS cluster, signing in through GitHub (Dex's GitHub connector on github.organization, teams as groups \"<org>:<team slug>\"), with the global RBAC `npm run oidc-bootstrap` writes (argocd-rbac-cm.json), read access to this repository, and the other clusters registered under the names the Applications use (shared-<region> for each region's shared EKS cluster, gke-<gke.clusterName> for the shared GKE cluster)",
      how: "Installed by the platform team with Argo CD's Helm chart after cluster-<primary region> applies, before the first namespaces-<primary region>-<n> apply (README, Argo CD); each other cluster is registered with `argocd cluster add` once its stack has applied",
      provides: [],
    },
  ],
});
