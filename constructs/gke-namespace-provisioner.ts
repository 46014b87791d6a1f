import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { Construct } from "constructs";
import type { RunPhase } from "../lib/plan/cluster";

export interface GkeNamespaceProvisionerProps {
  /** Project of the cluster, where tenants' service accounts are created. */
  readonly project: string;
  /** Account ids (before `@`) of the run phases' service accounts. */
  readonly accountIds: Readonly<Record<RunPhase, string>>;
  /**
   * IAM members of each phase's HCP Terraform identities (`principal://.../subject/<sub>` of
   * the HCP Terraform pool), by `gke-namespaces-<n>` workspace name.
   */
  readonly members: Readonly<Record<RunPhase, Readonly<Record<string, string>>>>;
  /** Prefix of the tenants' service account ids (e.g. "wl-"); the apply phase administers only those. */
  readonly tenantAccountPrefix: string;
}

/** Read what a shard manages in Google: the cluster (for its endpoint) and the tenants' accounts and grants. */
const PLAN_ROLES = ["roles/container.clusterViewer", "roles/iam.serviceAccountViewer", "roles/iam.securityReviewer"] as const;

/**
 * The Google identities of the `gke-namespaces-<n>` workspaces: one service account per run
 * phase, impersonable only by those workspaces' phase through HCP Terraform's pool (GCP dynamic
 * credentials). The plan account reads; the apply account creates service accounts and
 * administers only the tenants' own (`<prefix>*`, an IAM condition), so it cannot grant
 * itself or anyone the nodes' or the platform's accounts. Neither gets a Kubernetes role
 * through IAM: the shards reach the Kubernetes API with their own Kubernetes dynamic
 * credentials (RBAC from the bootstrap, lib/plan/gke.ts).
 *
 * The number of resources is fixed by the number of shards, whatever the number of tenants.
 */
export class GkeNamespaceProvisioner extends Construct {
  readonly accounts: Readonly<Record<RunPhase, ServiceAccount>>;

  constructor(scope: Construct, id: string, props: GkeNamespaceProvisionerProps) {
    super(scope, id);
    const make = (phase: RunPhase) => {
      const account = new ServiceAccount(this, phase, {
        accountId: props.accountIds[phase],
        displayName: `HCP Terraform ${phase} phase of the GKE namespace shards`,
      });
      for (const [workspace, member] of Object.entries(props.members[phase]).sort(([a], [b]) => (a < b ? -1 : 1))) {
        new ServiceAccountIamMember(this, `${phase}-${workspace}`, { serviceAccountId: account.name, role: "roles/iam.workloadIdentityUser", member });
      }
      return account;
    };
    this.accounts = { plan: make("plan"), apply: make("apply") };

    for (const role of PLAN_ROLES) {
      new ProjectIamMember(this, `plan-${role.split("/")[1]}`, { project: props.project, role, member: this.accounts.plan.member });
    }
    new ProjectIamMember(this, "apply-clusterViewer", { project: props.project, role: "roles/container.clusterViewer", member: this.accounts.apply.member });
    new ProjectIamMember(this, "apply-serviceAccountCreator", { project: props.project, role: "roles/iam.serviceAccountCreator", member: this.accounts.apply.member });
    new ProjectIamMember(this, "apply-tenant-accounts", {
      project: props.project,
      role: "roles/iam.serviceAccountAdmin",
      member: this.accounts.apply.member,
      condition: {
        title: "tenant service accounts only",
        description: `Service accounts whose id starts with ${props.tenantAccountPrefix}`,
        expression: `resource.type == 'iam.googleapis.com/ServiceAccount' && resource.name.extract('serviceAccounts/{id}@').startsWith('${props.tenantAccountPrefix}')`,
      },
    });
  }
}
