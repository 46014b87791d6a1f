import { DataGoogleContainerCluster } from "@cdktf/provider-google/lib/data-google-container-cluster";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { GkeWorkloadIdentity } from "../constructs/gke-workload-identity.js";
import { ServiceNamespace } from "../constructs/service-namespace.js";
import type { OrganizationModel, ServiceModel } from "../lib/config/model";
import { findByKey, recordedQuery } from "../lib/incremental/read-recorder";
import { WORKLOAD_SERVICE_ACCOUNT } from "../lib/plan/access";
import { GCP_CREDENTIALS_VARIABLE, KUBERNETES_CREDENTIALS_VARIABLE } from "../lib/plan/dynamic-credentials";
import { gkeNamespaceShardOf, gkeNamespacesStackName, gkeWorkloadPool, onGke, ownerGoogleIdentities, tenantServiceAccountId } from "../lib/plan/gke";
import { serviceTeamSlug } from "../lib/review/codeowners";
import { originalKey } from "../lib/plan/stack-plan";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** Services with a namespace on the shared GKE cluster, retired ones included (they keep their namespace). */
export function gkeTenantsOf(services: readonly ServiceModel[]): ServiceModel[] {
  return services.filter(onGke);
}

/**
 * The keys of a GKE namespaces shard's tenants, as one recorded answer
 * (lib/incremental/read-recorder.ts `recordedQuery`): a service added to another shard, or not
 * on GKE, leaves the shard as it was. A renamed service stays in the shard of its first key.
 */
const gkeShardTenantsOf = recordedQuery("gkeNamespaceShard", (model: OrganizationModel, stack: string) =>
  gkeTenantsOf(model.services).filter((s) => gkeNamespacesStackName(gkeNamespaceShardOf(model.platform, originalKey(s))) === stack).map((s) => s.key));

/**
 * One shard of the shared GKE cluster's tenants (`gke-namespaces-<n>`). Each tenant (service
 * hashed to this shard) gets the same five namespace objects as on EKS, with the `admin`
 * RoleBinding naming its owners' Google identities (GKE authenticates Google accounts itself,
 * so there is no access entry), and Workload Identity to a Google service account of its own.
 * A retired tenant keeps its namespace and loses the binding and its Google account.
 *
 * Lookups, by name (no cross-stack references):
 * - the cluster (`data google_container_cluster`, created by the gke stack) for the private
 *   endpoint and CA, read with the run phase's Google credentials (GCP dynamic credentials:
 *   `tfc-gke-namespaces-plan` / `-apply`);
 * - the Kubernetes token of the current run phase from HCP Terraform's Kubernetes dynamic
 *   credentials (audience `kubernetes:gke-<cluster>`, accepted by the cluster's Identity
 *   Service config from the bootstrap), read again at apply: no token minted at plan is used
 *   at apply.
 *
 * The endpoint is private: these workspaces run on the `<name>-gke` agent pool.
 */
export class GkeNamespacesStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const gke = p.gke!;
    const mine = (s: ServiceModel) => gkeNamespacesStackName(gkeNamespaceShardOf(p, originalKey(s))) === this.spec.name;
    const tenants = gkeShardTenantsOf(this.model, this.spec.name).map((key) => findByKey(this.model.services, key)!);
    // A removed tenant's namespace leaves the state through `removed` blocks, which need the providers.
    const forgotten = gkeTenantsOf(this.model.tombstones ?? []).filter(mine);
    if (tenants.length === 0 && forgotten.length === 0) return;

    this.credentialsVariable(GCP_CREDENTIALS_VARIABLE);
    new GoogleProvider(this, "google", { project: gke.project, region: gke.region, credentials: `\${var.${GCP_CREDENTIALS_VARIABLE}.default.credentials}` });
    const cluster = new DataGoogleContainerCluster(this, "cluster", { name: gke.clusterName, location: gke.region, project: gke.project });
    this.credentialsVariable(KUBERNETES_CREDENTIALS_VARIABLE);
    new KubernetesProvider(this, "kubernetes", {
      host: `https://${cluster.privateClusterConfig.get(0).privateEndpoint}`,
      clusterCaCertificate: Fn.base64decode(cluster.masterAuth.get(0).clusterCaCertificate),
      token: `\${file(var.${KUBERNETES_CREDENTIALS_VARIABLE}.default.token_path)}`,
    });

    for (const s of tenants) {
      const labels = { service: s.key, team: serviceTeamSlug(s.key), environment: s.segment };
      const namespace = new ServiceNamespace(this, `namespace-${s.key}`, {
        namespace: s.namespace,
        service: s.key,
        team: serviceTeamSlug(s.key),
        environment: s.segment,
        users: s.retired ? [] : ownerGoogleIdentities(s.owners, this.model.developers),
        quota: s.quota,
        defaultLimits: p.kubernetes.defaultLimits,
        defaultRequests: p.kubernetes.defaultRequests,
        ingressNamespace: p.kubernetes.ingressNamespace,
        retired: s.retired,
      });
      if (s.retired) continue;
      new GkeWorkloadIdentity(this, `workload-identity-${s.key}`, {
        accountId: tenantServiceAccountId(originalKey(s)),
        displayName: `Workloads of ${s.key} on GKE`,
        namespace: namespace.resource.metadata.name,
        serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
        workloadPool: gkeWorkloadPool(p),
        labels,
      });
    }
  }
}
