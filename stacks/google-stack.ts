import { IamWorkloadIdentityPool } from "@cdktf/provider-google/lib/iam-workload-identity-pool";
import { IamWorkloadIdentityPoolProvider } from "@cdktf/provider-google/lib/iam-workload-identity-pool-provider";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import type { Construct } from "constructs";
import { RELEASE_WORKFLOW } from "../lib/plan/access";
import { nodeRoleName, sharedClusterName } from "../lib/plan/cluster";
import { GCP_CREDENTIALS_VARIABLE } from "../lib/plan/dynamic-credentials";
import { CLUSTER_ACCOUNT_PROVIDER_ID, GITHUB_POOL_ID, githubProviderCondition, githubProviderId, registryPoolId, serviceAccountId, terraformCloudPrincipal } from "../lib/plan/google";
import { originalKey, serviceStackName } from "../lib/plan/stack-plan";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";
import { findByKey, recordedQuery } from "../lib/incremental/read-recorder";
import type { OrganizationModel } from "../lib/config/model";

/**
 * The keys of the active services with Artifact Registry repositories (`holders`) and of those
 * of them with repositories that push (`pushers`), as one recorded answer
 * (lib/incremental/read-recorder.ts `recordedQuery`): adding a service on ECR leaves this stack
 * as it was, so incremental synthesis reuses it.
 */
const registryServicesOf = recordedQuery("artifactRegistryServices", (model: OrganizationModel) => {
  const holders = model.services.filter((s) => s.registry?.kind === "gar" && !s.retired);
  return { holders: holders.map((s) => s.key), pushers: holders.filter((s) => s.githubRepositories.length > 0).map((s) => s.key) };
});

/** What each phase of a registry workspace may do in the registry project. */
const REGISTRY_ROLES = {
  // Read repositories and their IAM policies, which a plan refreshes.
  plan: ["roles/artifactregistry.reader", "roles/iam.securityReviewer"],
  // Create repositories and grant pull and push on them.
  apply: ["roles/artifactregistry.admin"],
} as const;

/**
 * The Google side of the platform, in the registry project (`registry.gar`):
 * - the `registry.gar.workloadIdentityPool` pool with an AWS provider for the shared clusters'
 *   account, limited to the clusters' node roles: the principals the repositories grant pull
 *   to (constructs/container-repository.ts) exist only through it;
 * - the plan and apply service accounts of the workspaces that hold repositories (a service's
 *   primary stack), each impersonable only by that workspace's phase through HCP Terraform's
 *   pool (GCP dynamic credentials). The plan account reads, the apply account administers
 *   Artifact Registry and nothing else.
 * - the GitHub pool through which the services' release workflows push (githubPool);
 * - the GKE project's role of every developer with a Google identity (developers).
 * This stack itself runs as `tfc-google-plan` / `tfc-google-apply`, created with HCP
 * Terraform's pool by the one-time Google bootstrap (README "First apply").
 */
export class GoogleStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const gar = p.registry.gar!;
    this.credentialsVariable(GCP_CREDENTIALS_VARIABLE);
    new GoogleProvider(this, "google", { project: gar.project, region: gar.location, credentials: `\${var.${GCP_CREDENTIALS_VARIABLE}.default.credentials}` });

    const pool = new IamWorkloadIdentityPool(this, "registry-pool", {
      workloadIdentityPoolId: registryPoolId(p),
      displayName: "AWS accounts",
      description: "AWS roles of the organization that pull from (or push to) Artifact Registry",
      // Every repository's pull grant names this pool; a deleted pool's ID stays reserved for 30 days.
      lifecycle: { preventDestroy: true },
    });
    const nodeRoles = [...p.regions].sort().map((r) => `arn:aws:sts::${p.accounts.cluster.id}:assumed-role/${nodeRoleName(sharedClusterName(p, r))}`);
    new IamWorkloadIdentityPoolProvider(this, "cluster-account", {
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: CLUSTER_ACCOUNT_PROVIDER_ID,
      displayName: "Shared clusters' nodes",
      aws: { accountId: p.accounts.cluster.id },
      // aws_role is the assumed-role ARN without the session name, as the repositories' grants name it.
      attributeMapping: {
        "google.subject": "assertion.arn",
        "attribute.aws_role": "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
      },
      attributeCondition: `attribute.aws_role in [${nodeRoles.map((r) => `'${r}'`).join(", ")}]`,
    });

    this.githubPool();
    this.developers();

    // Ids follow the service's first key, so a rename changes the bound workspace in place.
    const holders = registryServicesOf(this.model, null).holders.map((key) => findByKey(this.model.services, key)!)
      .map((s) => ({ id: serviceStackName(originalKey(s), s.regions[0]!), workspace: serviceStackName(s.key, s.regions[0]!) }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const phase of ["plan", "apply"] as const) {
      const account = new ServiceAccount(this, `registry-${phase}`, {
        accountId: serviceAccountId("registry", phase),
        displayName: `HCP Terraform ${phase} phase of the workspaces that hold Artifact Registry repositories`,
      });
      for (const role of REGISTRY_ROLES[phase]) {
        new ProjectIamMember(this, `registry-${phase}-${role.split("/")[1]}`, { project: gar.project, role, member: account.member });
      }
      for (const { id, workspace } of holders) {
        new ServiceAccountIamMember(this, `registry-${phase}-${id}`, {
          serviceAccountId: account.name,
          role: "roles/iam.workloadIdentityUser",
          member: terraformCloudPrincipal(p, workspace, phase),
        });
      }
    }
  }

  /**
   * The pool through which GitHub Actions push images, and one OIDC provider per active
   * service with Artifact Registry repositories: it admits only tokens of the service's
   * repositories' release workflow on `main` (the same rule as the ECR CI role's trust), so
   * no other repository, branch or workflow ever becomes a Google identity. The repositories
   * grant push to `attribute.repository` (stacks/service-runtime.ts).
   */
  private githubPool(): void {
    const p = this.model.platform;
    const pushers = registryServicesOf(this.model, null).pushers.map((key) => findByKey(this.model.services, key)!);
    const pool = new IamWorkloadIdentityPool(this, "github-pool", {
      workloadIdentityPoolId: GITHUB_POOL_ID,
      displayName: "GitHub Actions",
      description: "Release workflows of the services' repositories, which push images to Artifact Registry",
      lifecycle: { preventDestroy: true },
    });
    for (const s of pushers) {
      // Id and provider id follow the first key: a deleted provider's id stays reserved for 30 days.
      new IamWorkloadIdentityPoolProvider(this, `github-${originalKey(s)}`, {
        workloadIdentityPoolId: pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: githubProviderId(originalKey(s)),
        displayName: `GitHub: ${s.key}`.slice(0, 32),
        oidc: { issuerUri: "https://token.actions.githubusercontent.com" },
        attributeMapping: {
          "google.subject": "assertion.sub",
          "attribute.repository": "assertion.repository",
          "attribute.ref": "assertion.ref",
        },
        attributeCondition: githubProviderCondition(p, s.githubRepositories, RELEASE_WORKFLOW),
      });
    }
  }

  /**
   * Every developer with a Google identity gets the platform's project-level role in the GKE
   * project (what `gcloud container clusters get-credentials` needs); their namespaces come
   * through RBAC in the GKE shards. A developer who leaves the map loses it with the next apply.
   */
  private developers(): void {
    const gke = this.model.platform.gke;
    if (!gke) return;
    for (const d of this.model.developers) {
      if (d.google === undefined) continue;
      new ProjectIamMember(this, `developer-${d.key}`, { project: gke.project, role: gke.developerRole, member: `user:${d.google}` });
    }
  }
}
