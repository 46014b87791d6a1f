import { IamWorkloadIdentityPool } from "@cdktf/provider-google/lib/iam-workload-identity-pool";
import { IamWorkloadIdentityPoolProvider } from "@cdktf/provider-google/lib/iam-workload-identity-pool-provider";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import type { Construct } from "constructs";
import { nodeRoleName, sharedClusterName, terraformCloudSubject } from "../lib/plan/cluster";
import { GCP_CREDENTIALS_VARIABLE } from "../lib/plan/dynamic-credentials";
import { CLUSTER_ACCOUNT_PROVIDER_ID, projectNumber, registryPoolId, serviceAccountId, TERRAFORM_CLOUD_POOL_ID } from "../lib/plan/google";
import { serviceStackName } from "../lib/plan/stack-plan";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

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

    const holders = this.model.services.filter((s) => s.registry?.kind === "gar" && !s.retired).map((s) => serviceStackName(s.key, s.regions[0]!)).sort();
    const tfcPool = `projects/${projectNumber(p)}/locations/global/workloadIdentityPools/${TERRAFORM_CLOUD_POOL_ID}`;
    for (const phase of ["plan", "apply"] as const) {
      const account = new ServiceAccount(this, `registry-${phase}`, {
        accountId: serviceAccountId("registry", phase),
        displayName: `HCP Terraform ${phase} phase of the workspaces that hold Artifact Registry repositories`,
      });
      for (const role of REGISTRY_ROLES[phase]) {
        new ProjectIamMember(this, `registry-${phase}-${role.split("/")[1]}`, { project: gar.project, role, member: account.member });
      }
      for (const workspace of holders) {
        new ServiceAccountIamMember(this, `registry-${phase}-${workspace}`, {
          serviceAccountId: account.name,
          role: "roles/iam.workloadIdentityUser",
          member: `principal://iam.googleapis.com/${tfcPool}/subject/${terraformCloudSubject(p, workspace, phase)}`,
        });
      }
    }
  }
}
