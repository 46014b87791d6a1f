import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Construct } from "constructs";

export interface GkeClusterProps {
  readonly name: string;
  readonly project: string;
  /** Region of the (regional) cluster and its subnet. */
  readonly region: string;
  /** Kubernetes minor version, e.g. "1.33" (the REGULAR release channel keeps patches current). */
  readonly version: string;
  /** Primary range of the nodes' subnet. */
  readonly nodeCidr: string;
  /** Secondary range for pods. */
  readonly podCidr: string;
  /** Secondary range for Services. */
  readonly serviceCidr: string;
  /** The control plane's private /28. */
  readonly controlPlaneCidr: string;
  readonly machineType: string;
  /** Nodes per zone, at least and at most. */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Account id of the nodes' service account (repositories grant it pull by its email). */
  readonly nodeServiceAccountId: string;
  /** Labels of the cluster and its nodes. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A private, multi-tenant GKE cluster in a VPC of its own:
 * - the network: one subnet with secondary ranges for pods and Services (VPC-native), Private
 *   Google Access (nodes reach Artifact Registry without public addresses), flow logs, and a
 *   Cloud NAT for the nodes' other egress;
 * - the cluster: private nodes and a private control plane endpoint only, reachable from the
 *   subnet and the pods (where the HCP Terraform agents run); Dataplane V2, which enforces the
 *   namespaces' NetworkPolicies; Workload Identity, so pods act as Google service accounts and
 *   never read the node's; Identity Service, so the API server accepts HCP Terraform's OIDC
 *   tokens (its client config is applied at bootstrap, lib/plan/gke.ts);
 * - one autoscaled node pool running as a service account of its own with only the default
 *   node role (logs and metrics), Shielded VM and the GKE metadata server.
 * The cluster and the network are protected from destroy: tenants' volumes and addresses live there.
 */
export class GkeCluster extends Construct {
  readonly resource: ContainerCluster;
  readonly nodeServiceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const labels = { ...props.labels };
    const network = new ComputeNetwork(this, "network", {
      name: props.name,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      lifecycle: { preventDestroy: true },
    });
    const subnet = new ComputeSubnetwork(this, "subnet", {
      name: `${props.name}-nodes`,
      region: props.region,
      network: network.id,
      ipCidrRange: props.nodeCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: "pods", ipCidrRange: props.podCidr },
        { rangeName: "services", ipCidrRange: props.serviceCidr },
      ],
      logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    });
    const router = new ComputeRouter(this, "router", { name: props.name, region: props.region, network: network.id });
    new ComputeRouterNat(this, "nat", {
      name: props.name,
      region: props.region,
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });

    this.nodeServiceAccount = new ServiceAccount(this, "nodes", {
      accountId: props.nodeServiceAccountId,
      displayName: `Nodes of GKE cluster ${props.name}`,
    });
    // Google's minimal node role (write logs and metrics); pulls are granted per repository.
    new ProjectIamMember(this, "nodes-default-role", { project: props.project, role: "roles/container.defaultNodeServiceAccount", member: this.nodeServiceAccount.member });

    this.resource = new ContainerCluster(this, "Resource", {
      name: props.name,
      location: props.region,
      network: network.id,
      subnetwork: subnet.id,
      minMasterVersion: props.version,
      releaseChannel: { channel: "REGULAR" },
      // Node pools are managed below; GKE needs a default pool to create the cluster.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true, masterIpv4CidrBlock: props.controlPlaneCidr },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: [
          { cidrBlock: props.nodeCidr, displayName: "nodes" },
          { cidrBlock: props.podCidr, displayName: "pods (HCP Terraform agents)" },
        ],
      },
      datapathProvider: "ADVANCED_DATAPATH",
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      identityServiceConfig: { enabled: true },
      deletionProtection: true,
      resourceLabels: labels,
      lifecycle: { preventDestroy: true },
    });

    new ContainerNodePool(this, "nodes-pool", {
      name: "general",
      cluster: this.resource.id,
      location: props.region,
      autoscaling: { minNodeCount: props.minNodes, maxNodeCount: props.maxNodes },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: props.machineType,
        serviceAccount: this.nodeServiceAccount.email,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        labels,
      },
    });
  }
}
