import { z } from "zod";

/**
 * Shapes of the config files. Every message is written as "<problem>. Fix: <fix>" so the
 * reporter can show the fix on its own line; `problems.ts` splits them.
 *
 * Zod checks one entry at a time; rules that compare entries live in `validate.ts`.
 */

/** Regions AWS offers; listing them gives editors autocompletion and catches typos early. */
export const AWS_REGIONS = [
  "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
  "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
  "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
  "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
  "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
  "us-west-2",
] as const;
export type AwsRegion = (typeof AWS_REGIONS)[number];

/** Kubernetes namespace names (DNS-1123 label). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** GitHub: alphanumerics and single hyphens, not at either end, at most 39 characters. */
export const GITHUB_USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Slack member IDs start with U or W followed by upper-case letters and digits. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{6,12}$/;
/** Slack user group handles: lower-case letters, digits, dots, hyphens, underscores. */
export const SLACK_HANDLE = /^[a-z0-9][a-z0-9._-]{0,20}$/;
export const AWS_ACCOUNT_ID = /^\d{12}$/;
/** A repository name on GitHub: letters, digits, ".", "-" and "_", at most 100 characters. */
export const GITHUB_REPOSITORY = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** A relative directory: "." or segments of letters, digits, ".", "-" and "_", never "..". */
export const RELATIVE_DIRECTORY = /^(\.|(?!\.\.?(\/|$))[A-Za-z0-9_-][A-Za-z0-9._-]*(\/(?!\.\.?(\/|$))[A-Za-z0-9_-][A-Za-z0-9._-]*)*)$/;
/** Google Cloud project IDs: 6-30 lower-case letters, digits and hyphens, starting with a letter. */
export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Google Cloud regions such as "asia-northeast1". */
export const GCP_REGION = /^[a-z]+-[a-z]+\d+$/;
/** A predefined or custom IAM role: "roles/<name>" or "projects/<project>/roles/<name>". */
export const GCP_ROLE = /^(roles\/[A-Za-z0-9_.]+|projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/roles\/[A-Za-z0-9_.]+)$/;
/** Practical email check: one @, a dot in the domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

const email = (example: string) =>
  z
    .string({ error: `must be an email address. Fix: write it as a string such as "${example}"` })
    .regex(EMAIL, { error: `is not a valid email address. Fix: use an address such as "${example}"` })
    .max(64, { error: `is longer than 64 characters, AWS's limit for account emails. Fix: use a shorter address` });

const key = (what: string) =>
  z
    .string()
    .max(40, { error: `is longer than 40 characters. Fix: shorten the ${what} name` })
    .regex(DNS_LABEL, {
      error: `is not a valid ${what} name. Fix: use lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. "payments-api")`,
    });

/** An IPv4 CIDR block; whether the address is the network address is checked in `validate.ts`. */
export const cidr = z.string().refine((v) => {
  const m = IPV4_CIDR.exec(v);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}, { error: `is not an IPv4 CIDR block. Fix: write it as "a.b.c.d/nn", e.g. "10.20.0.0/20"` });

const accountRef = z.strictObject({
  /** The 12-digit account ID; these accounts exist before this project applies anything. */
  id: z.string().regex(AWS_ACCOUNT_ID, { error: `is not a 12-digit AWS account ID. Fix: copy the ID from the AWS Organizations console, as a string` }),
  email: email("aws+platform@example.com"),
});

const quota = z.strictObject({
  /** CPU cores the namespace may request in total, as a Kubernetes quantity ("20", "500m"). */
  cpu: z.string().regex(/^\d+(\.\d+)?m?$/, { error: `is not a CPU quantity. Fix: use a number of cores such as "4" or millicores such as "500m"` }),
  /** Memory the namespace may request in total, as a Kubernetes quantity ("64Gi"). */
  memory: z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, { error: `is not a memory quantity. Fix: use a binary quantity such as "512Mi" or "64Gi"` }),
  /** Pods the namespace may run. */
  pods: z.number().int({ error: `must be a whole number. Fix: use an integer such as 100` }).positive({ error: `must be positive. Fix: use an integer such as 100` }),
});

const nodeGroup = z.strictObject({
  instanceTypes: z.array(z.string()).min(1, { error: `needs at least one instance type. Fix: add one such as "m7i.large"` }),
  minSize: z.number().int().nonnegative(),
  desiredSize: z.number().int().nonnegative(),
  maxSize: z.number().int().positive(),
});

/**
 * Something that must exist before the first stack applies and that no stack creates: the
 * management account, the SAML provider, the HCP Terraform organization and its tokens, ...
 * The rehearsal's contract check accepts a lookup or literal reference that one of these
 * `provides`; the README's bootstrap section lists the same ids.
 */
const prerequisite = z.strictObject({
  /** Stable id, lower-case with hyphens (e.g. "saml-provider"); the README's bootstrap table uses it. */
  id: key("prerequisite"),
  /** What must exist, in one sentence. */
  what: z.string().min(1, { error: `is empty. Fix: say in a sentence what must exist` }),
  /** How it is created (a command, a console step, who does it). */
  how: z.string().min(1, { error: `is empty. Fix: say how it is created (a command or a console step)` }),
  /**
   * Contract keys this prerequisite satisfies, as the rehearsal names what stacks need:
   * an ARN (`arn:aws:iam::<account>:saml-provider/<name>`), or `<kind>:<identifier>` such as
   * `aws-organization`, `aws-account:<id>`, `tfe-organization:<org>`, `tfe-team:<org>:<team>`,
   * `datadog-role:<name>` (lib/rehearsal/inventory.ts lists the kinds). `{path}` stands for a
   * value of this file (`{accounts.bastion.id}`; a list gives one key per element) and `*`
   * matches any text. @default []
   */
  provides: z.array(z.string().min(1)).default([]),
});

/**
 * The platform's shared GKE cluster: a private cluster (nodes without public addresses, the
 * control plane reached through its DNS endpoint under Google IAM) in one project and region.
 * Services choose it with `kubernetes.clusters: ["gke"]`.
 */
const gke = z.strictObject({
  /** Google Cloud project ID that holds the cluster, its network and the tenants' service accounts. */
  project: z.string().regex(GCP_PROJECT_ID, { error: `is not a Google Cloud project ID. Fix: copy the project ID (not the name or number) from the Google Cloud console, e.g. "example-gke"` }),
  /** Google Cloud region of the (regional) cluster, e.g. "asia-northeast1". */
  region: z.string().regex(GCP_REGION, { error: `is not a Google Cloud region. Fix: use a region code such as "asia-northeast1"` }),
  /** Cluster name. */
  clusterName: key("cluster"),
  /** Kubernetes minor version of the release channel's control plane, e.g. "1.33". */
  version: z.string().regex(/^1\.\d+$/, { error: `is not a Kubernetes minor version. Fix: use a version such as "1.33"` }),
  /**
   * Project-level role every developer with a `google` identity gets in `project` (what lets
   * `gcloud container clusters get-credentials` work); namespaces are granted through RBAC.
   * @default "roles/container.clusterViewer"
   */
  developerRole: z.string().regex(GCP_ROLE, { error: `is not an IAM role. Fix: use a role such as "roles/container.clusterViewer" or "projects/<project>/roles/<name>"` }).default("roles/container.clusterViewer"),
  /**
   * Number of `gke-namespaces-<n>` stacks the cluster's tenants are spread over (a service
   * lands in shard fnv1a(key) % namespaceShards). Fixed once chosen. @default 4
   */
  namespaceShards: z.number().int().min(1).max(64).default(4),
  /** Addresses of the cluster's VPC (created by the gke stack). */
  network: z.strictObject({
    /** Primary range of the nodes' subnet. */
    nodeCidr: cidr,
    /** Secondary range for pods (VPC-native cluster). */
    podCidr: cidr,
    /** Secondary range for Services. */
    serviceCidr: cidr,
    /** The control plane's private range, a /28 that overlaps nothing else. */
    controlPlaneCidr: cidr,
  }),
  /** The default node pool (autoscaled per zone). */
  nodePool: z.strictObject({
    machineType: z.string().regex(/^[a-z0-9]+-[a-z0-9-]+$/, { error: `is not a machine type. Fix: use one such as "e2-standard-4"` }),
    minNodes: z.number().int().nonnegative(),
    maxNodes: z.number().int().positive(),
  }),
});

export const platformSchema = z.strictObject({
  /** Short lower-case name used in resource names and tags. */
  name: key("organization"),
  /** The fixed accounts of the platform; service accounts are vended from config. */
  accounts: z.strictObject({
    management: accountRef,
    logArchive: accountRef,
    security: accountRef,
    network: accountRef,
    cluster: accountRef,
    bastion: accountRef,
  }),
  /** Allowed regions; the first is the primary region (organization trail, global resources). */
  regions: z
    .array(z.enum(AWS_REGIONS, { error: `is not an AWS region. Fix: use a region code such as "ap-northeast-1"` }))
    .min(1, { error: `lists no region. Fix: add at least one region such as "ap-northeast-1"` }),
  /** Organizational units: key = OU name; `segment` is the network segment its accounts join. */
  organizationalUnits: z.record(key("organizational unit"), z.strictObject({
    /** Whether service accounts may be placed here. */
    workloads: z.boolean(),
    /** Network segment of accounts in this OU. */
    segment: key("segment").optional(),
  })),
  /**
   * The OU the platform accounts (log archive, security, network, cluster, bastion) sit in, under
   * the platform guardrails (`lib/plan/organization-policies.ts` platformPolicies). It must not
   * hold service accounts. The management account stays at the root: SCPs never apply to it.
   * @default "platform"
   */
  platformOu: key("organizational unit").default("platform"),
  network: z.strictObject({
    /** Segments whose route tables keep prod and nonprod apart; "shared" reaches both. */
    segments: z.array(key("segment")).min(1),
    /** Address pools per region and segment that service CIDRs are allocated from. */
    pools: z.record(z.string(), z.record(z.string(), cidr)),
    /** The central egress VPC's CIDR per region. */
    egress: z.record(z.string(), cidr),
    /**
     * The shared cluster's VPC CIDR per region, inside the region's `shared` pool.
     * @default - the first /18 of the region's shared pool (the whole pool when it is smaller)
     */
    clusterCidrs: z.record(z.string(), cidr).default({}),
    /** Prefix length of an allocated service VPC. @default 20 */
    servicePrefixLength: z.number().int().min(16).max(28).default(20),
    /** Availability zones per service VPC. @default 2 */
    availabilityZones: z.number().int().min(1).max(6).default(2),
    onPremises: z.strictObject({
      cidrs: z.array(cidr).default([]),
      /** Direct Connect gateway to associate with each Transit Gateway. @default - none */
      directConnectGatewayId: z.string().optional(),
    }).default({ cidrs: [] }),
    /** Transit Gateway ASN per region. */
    asns: z.record(z.string(), z.number().int()).default({}),
  }),
  kubernetes: z.strictObject({
    version: z.string().regex(/^1\.\d+$/, { error: `is not a Kubernetes minor version. Fix: use a version such as "1.33"` }),
    /** The shared cluster's name per region is `<name>-<region>`. */
    clusterName: key("cluster"),
    nodeGroups: z.record(key("node group"), nodeGroup),
    /**
     * Number of `namespaces-<region>-<n>` stacks the shared cluster's tenants are spread over
     * (a service lands in shard fnv1a(key) % namespaceShards). Fixed once chosen, like
     * vendingShards: changing it moves namespaces between stacks. @default 4
     */
    namespaceShards: z.number().int().min(1).max(64).default(4),
    /** Namespace of the ingress controller; namespaces accept traffic from it. */
    ingressNamespace: key("namespace"),
    defaultQuota: quota,
    maximumQuota: quota,
    /** Default container requests/limits for the LimitRange. */
    defaultLimits: z.strictObject({ cpu: z.string(), memory: z.string() }),
    defaultRequests: z.strictObject({ cpu: z.string(), memory: z.string() }),
  }),
  registry: z.strictObject({
    /** Untagged/old images to keep; older ones expire. */
    keepImages: z.number().int().positive(),
    /** Google Cloud project and location for `kind: "gar"` services. */
    gar: z.strictObject({
      project: z.string(),
      location: z.string(),
      /**
       * Workload identity pool (with an AWS provider for the organization's accounts) through
       * which AWS roles act in Google Cloud: the EKS clusters' node roles pull (CI pushes through
       * the google stack's GitHub pool). Full name: "projects/<number>/locations/global/workloadIdentityPools/<id>".
       */
      workloadIdentityPool: z.string().regex(/^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}$/, {
        error: `is not a workload identity pool name. Fix: copy it from the Google Cloud console, as "projects/<project number>/locations/global/workloadIdentityPools/<pool id>"`,
      }),
    }).optional(),
  }),
  /** The shared GKE cluster; needed as soon as a service lists "gke" in kubernetes.clusters. @default - none */
  gke: gke.optional(),
  terraformCloud: z.strictObject({
    organization: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: `is not a Terraform Cloud organization name. Fix: use letters, digits, "-" and "_"` }),
    project: z.string().min(1),
    /** Number of `accounts-<n>` stacks that vend accounts; fixed once chosen (see README). */
    vendingShards: z.number().int().min(1).max(64).default(4),
    /**
     * Name of the organization's OAuth client for GitHub (HCP Terraform > Settings > Version
     * control > Providers), the VCS connection of the team-owned workspaces (a prerequisite).
     * @default "github"
     */
    vcsOAuthClient: z.string().min(1, { error: `is empty. Fix: write the name of the GitHub OAuth client shown in HCP Terraform > Settings > Version control` }).default("github"),
  }),
  github: z.strictObject({
    organization: z.string().regex(GITHUB_USERNAME, { error: `is not a GitHub organization name. Fix: use the name from github.com/<org>` }),
    /** This repository, which gets a ruleset requiring code-owner review. */
    repository: z.string().min(1),
    /** Developer keys allowed to be organization admins. */
    admins: z.array(z.string()).default([]),
    /** Slug of the platform team. */
    platformTeam: key("team"),
    /** Developer keys in the platform team (CODEOWNERS gives it everything not owned by a service). @default [] */
    platformTeamMembers: z.array(z.string()).default([]),
    /** Slug of the approvers team. */
    approversTeam: key("team"),
    /** Slug of the team of every developer in config/developers.ts (write access to this repository). @default "developers" */
    developersTeam: key("team").default("developers"),
  }),
  datadog: z.strictObject({
    /** Roles a developer may ask for. */
    roles: z.array(z.string()).min(1),
    apiUrl: z.string().url().default("https://api.datadoghq.com/"),
  }),
  pagerduty: z.strictObject({
    /** Roles a developer may ask for (PagerDuty user roles). */
    roles: z.array(z.enum(["admin", "limited_user", "observer", "owner", "read_only_user", "restricted_access", "read_only_limited_user", "user"])).min(1),
  }),
  slack: z.strictObject({
    /** Channel for failed/drifted run notifications (an incoming webhook URL comes from a sensitive variable). */
    notificationChannel: z.string().regex(/^#[a-z0-9._-]+$/, { error: `is not a Slack channel. Fix: write it as "#channel-name"` }),
  }),
  /** How developers reach AWS: a SAML identity provider into the bastion account, then role chaining. */
  access: z.strictObject({
    /**
     * Name of the IAM SAML identity provider in the bastion account (registered once from the
     * identity provider's metadata); every bastion role trusts only it.
     * @default "corporate-idp"
     */
    samlProvider: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, { error: `is not an IAM SAML provider name. Fix: use letters, digits, ".", "_" and "-" (the name shown in IAM > Identity providers)` }).default("corporate-idp"),
    /** Longest session of a bastion role, in seconds (1 to 12 hours). @default 3600 */
    maxSessionSeconds: z.number().int().min(3600).max(43200).default(3600),
  }).default({ samlProvider: "corporate-idp", maxSessionSeconds: 3600 }),
  /** Retention of the log archive. */
  logArchive: z.strictObject({
    /** Days a log object stays in S3 Standard before it moves to Glacier Instant Retrieval. @default 90 */
    transitionDays: z.number().int().min(1).default(90),
    /** Days each trail log file is locked in compliance mode: nobody, not even root, can delete it earlier. @default 365 */
    lockDays: z.number().int().min(1).max(36500).default(365),
  }).default({ transitionDays: 90, lockDays: 365 }),
  /** Tags every taggable resource must carry. */
  tags: z.record(z.string(), z.string()).default({}),
  /**
   * What must exist before the platform's first apply, in bootstrap order, each with how it is
   * created and the contract keys it provides (see the README's bootstrap). @default []
   */
  prerequisites: z.array(prerequisite).default([]),
});

export const developerSchema = z.strictObject({
  /** Full name, as shown in Datadog and PagerDuty. */
  name: z.string().min(1, { error: `is empty. Fix: write the developer's full name` }).max(100, { error: `is longer than 100 characters. Fix: shorten it` }),
  email: email("alice@example.com"),
  /** GitHub username (not the display name). */
  github: z.string().regex(GITHUB_USERNAME, { error: `is not a valid GitHub username. Fix: use the username from github.com/<username> (letters, digits, single hyphens, at most 39 characters)` }),
  /** Slack member ID (Profile > ⋮ > Copy member ID), e.g. "U01ABCDEF". */
  slack: z.string().regex(SLACK_USER_ID, { error: `is not a Slack member ID. Fix: copy it from your Slack profile (⋮ > Copy member ID); it looks like "U01ABCDEF"` }),
  /** One of the platform's `datadog.roles`. */
  datadogRole: z.string(),
  /** One of the platform's `pagerduty.roles`. */
  pagerdutyRole: z.string(),
  /**
   * Google identity (the email of a Google account or Workspace user). It gets the platform's
   * `gke.developerRole` in the GKE project and RBAC in the namespaces of the developer's GKE
   * services; a developer owning a GKE service needs it. @default - none
   */
  google: z
    .string({ error: `must be an email address. Fix: write the Google account's email as a string, such as "alice@example.com"` })
    .regex(EMAIL, { error: `is not a valid email address. Fix: use the Google account's email, such as "alice@example.com"` })
    .optional(),
  /** Approvers review `config/developers.ts` changes. @default false */
  approver: z.boolean().default(false),
});

export const serviceSchema = z.strictObject({
  description: z.string().min(1, { error: `is empty. Fix: describe the service in a few words` }).max(200),
  /** Keys of `config/developers.ts`; they get the service's teams and access. */
  owners: z.array(z.string()).min(1, { error: `lists no owner. Fix: add at least one developer key from config/developers.ts; when offboarding the last owner, hand the service to another developer in the same change` }),
  account: z.strictObject({
    /** Root email of the service's AWS account; unique across the organization. */
    email: email("aws+payments@example.com"),
    /** Organizational unit (a key of the platform's `organizationalUnits`). */
    ou: z.string(),
  }),
  /** Regions the service runs in; the first is its primary region. */
  regions: z
    .array(z.enum(AWS_REGIONS, { error: `is not an AWS region. Fix: use a region code such as "ap-northeast-1"` }))
    .min(1, { error: `lists no region. Fix: add at least one of the platform's regions` }),
  network: z.strictObject({
    /** VPC CIDR per region. @default - allocated from the platform pool of the segment */
    cidrs: z.record(z.string(), cidr).default({}),
  }).default({ cidrs: {} }),
  kubernetes: z.strictObject({
    tenancy: z.enum(["shared", "dedicated"], { error: `is not a tenancy. Fix: use "shared" (a namespace on the platform cluster) or "dedicated" (a cluster of your own)` }),
    /** Namespace name. @default - the service key */
    namespace: z.string().optional(),
    /**
     * Clusters the namespace is created on: the platform's shared EKS cluster in each of the
     * service's regions ("eks") and/or the shared GKE cluster ("gke", only for tenancy "shared").
     * @default ["eks"]
     */
    clusters: z.array(z.enum(["eks", "gke"], { error: `is not a cluster. Fix: use "eks" (the shared EKS cluster) or "gke" (the shared GKE cluster)` }))
      .min(1, { error: `lists no cluster. Fix: list "eks", "gke" or both; leave the field out for ["eks"]` })
      .default(["eks"]),
    /** Resource quota. @default - the platform's `kubernetes.defaultQuota` */
    quota: quota.partial().optional(),
  }),
  registry: z.strictObject({
    kind: z.enum(["ecr", "gar"], { error: `is not a registry kind. Fix: use "ecr" (Amazon ECR) or "gar" (Google Artifact Registry)` }),
    repositories: z.array(key("repository")).min(1, { error: `lists no repository. Fix: name at least one, such as "api"` }),
  }).optional(),
  /**
   * GitHub repositories (in the platform's organization) of the service: their Actions may push
   * images, and the service's owners administer them. @default []
   */
  githubRepositories: z.array(z.string()).default([]),
  /**
   * What the team role may do in the service's account (README "Service teams"). Outside the
   * prod segment the team is `admin` (inside the permissions boundary); in it, `prod` decides.
   * @default { prod: "operator" }
   */
  access: z.strictObject({
    /**
     * The team role in a prod-segment account: "operator" (read, restart, scale, fail over; changes
     * go through the team's Terraform) or "admin" (build directly, inside the boundary). @default "operator"
     */
    prod: z.enum(["operator", "admin"], { error: `is not a prod access level. Fix: use "operator" (read and operate; changes go through Terraform) or "admin" (build directly, inside the permissions boundary)` }).default("operator"),
  }).default({ prod: "operator" }),
  /**
   * The team's own Terraform: a directory of a repository in the platform's GitHub organization
   * that a VCS-driven HCP Terraform workspace (`<service>-infrastructure`) plans and applies in
   * the service's account, as `infra-plan-<service>` (read-only) and `infra-apply-<service>`
   * (inside the permissions boundary). @default - none
   */
  infrastructure: z.strictObject({
    /** Repository name in the platform's GitHub organization (not "org/name"). */
    repository: z.string().regex(GITHUB_REPOSITORY, { error: `is not a GitHub repository name. Fix: use the name from github.com/<organization>/<name>, such as "payments-infrastructure" (the organization is config/platform.ts github.organization)` }),
    /** Directory of the Terraform configuration, relative to the repository root. @default "." */
    directory: z.string().regex(RELATIVE_DIRECTORY, { error: `is not a directory inside the repository. Fix: write a relative path such as "terraform" or "infra/prod" (no leading "/", no "..", no spaces)` }).default("."),
  }).optional(),
  slack: z.strictObject({
    handle: z.string().regex(SLACK_HANDLE, { error: `is not a Slack user group handle. Fix: use lower-case letters, digits, ".", "-" or "_" (at most 21 characters)` }),
  }),
  pagerduty: z.strictObject({
    /** Escalation rules in order; each lists developer keys. @default - one rule with all owners */
    escalation: z.array(z.strictObject({
      targets: z.array(z.string()).min(1),
      delayMinutes: z.number().int().min(1).default(30),
    })).optional(),
  }).optional(),
  /** Keeps data-bearing resources and the account, drops access. @default false */
  retired: z.boolean().default(false),
  /**
   * The key this service had before a rename (its first key). Synthesis emits `moved` blocks
   * from the old addresses, and the vending and namespace shards and the names AWS cannot
   * change in place (account, registries, cluster, namespace, VPC CIDR allocation) keep
   * following it, so it stays for good (README "Rename a service"). @default - none
   */
  previousName: key("service").optional(),
});

/**
 * An entry of `config/retired.ts`: the service's last entry (retired, as it was applied)
 * plus when and why it was removed. Its resources leave Terraform's state through `removed`
 * blocks and stay in AWS; the key, the account email and the workspaces stay reserved.
 */
export const tombstoneSchema = serviceSchema.extend({
  retired: z.literal(true, { error: `must be true: only a retired service can be removed. Fix: set retired: true in config/services/<name>.ts, apply it, and move the entry here in a later pull request` }),
  /** The day the entry moved here, "YYYY-MM-DD". */
  removedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: `is not a date. Fix: write the day as "YYYY-MM-DD"` }),
  /** Why the service was removed, for the next reader (at least 10 characters). */
  reason: z.string().min(10, { error: `is too short to explain the removal. Fix: say in a sentence why the service was removed` }).max(300),
});

export type PlatformInput = z.input<typeof platformSchema>;
export type Prerequisite = z.output<typeof prerequisite>;
export type Platform = z.output<typeof platformSchema>;
export type DeveloperInput = z.input<typeof developerSchema>;
export type Developer = z.output<typeof developerSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;
export type Service = z.output<typeof serviceSchema>;
export type TombstoneInput = z.input<typeof tombstoneSchema>;
export type Tombstone = z.output<typeof tombstoneSchema>;
