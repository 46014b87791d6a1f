import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { Construct } from "constructs";
import { GkeCluster } from "../constructs/gke-cluster.js";
import { GkeNamespaceProvisioner } from "../constructs/gke-namespace-provisioner.js";
import { GCP_CREDENTIALS_VARIABLE } from "../lib/plan/dynamic-credentials";
import { GKE_NODES_ACCOUNT_ID, gkeNamespacesAccountId, gkeNamespacesStackName, TENANT_ACCOUNT_PREFIX } from "../lib/plan/gke";
import { terraformCloudPrincipal } from "../lib/plan/google";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The platform's shared GKE cluster (`gke` in config/platform.ts), in its Google Cloud project
 * and region: the private cluster with its network and nodes' service account, and the Google
 * identities of the `gke-namespaces-<n>` shards that manage its tenants. Like the EKS cluster
 * stacks it reads nothing per service, so adding, changing or removing a GKE tenant never
 * re-plans it (tenants live in the shards).
 *
 * It runs as the `tfc-google-plan` / `tfc-google-apply` service accounts of the Google
 * bootstrap (README "Bootstrap"), through HCP Terraform's GCP dynamic credentials.
 */
export class GkeStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const gke = p.gke!;
    this.credentialsVariable(GCP_CREDENTIALS_VARIABLE);
    new GoogleProvider(this, "google", {
      project: gke.project,
      region: gke.region,
      credentials: `\${var.${GCP_CREDENTIALS_VARIABLE}.default.credentials}`,
      defaultLabels: { organization: p.name, "managed-by": "super-terraform", stack: this.spec.name },
    });

    new GkeCluster(this, "cluster", {
      name: gke.clusterName,
      project: gke.project,
      region: gke.region,
      version: gke.version,
      nodeCidr: gke.network.nodeCidr,
      podCidr: gke.network.podCidr,
      serviceCidr: gke.network.serviceCidr,
      controlPlaneCidr: gke.network.controlPlaneCidr,
      machineType: gke.nodePool.machineType,
      minNodes: gke.nodePool.minNodes,
      maxNodes: gke.nodePool.maxNodes,
      nodeServiceAccountId: GKE_NODES_ACCOUNT_ID,
    });

    const shards = Array.from({ length: gke.namespaceShards }, (_, n) => gkeNamespacesStackName(n));
    const members = (phase: "plan" | "apply") => Object.fromEntries(shards.map((w) => [w, terraformCloudPrincipal(p, w, phase)]));
    new GkeNamespaceProvisioner(this, "namespace-provisioner", {
      project: gke.project,
      accountIds: { plan: gkeNamespacesAccountId("plan"), apply: gkeNamespacesAccountId("apply") },
      members: { plan: members("plan"), apply: members("apply") },
      tenantAccountPrefix: TENANT_ACCOUNT_PREFIX,
    });
  }
}
