import { ApiObject, Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { ResolvedManifests } from "../lib/manifests/resolve";
import { Workload } from "./workload.js";

export interface ServiceChartProps {
  /** The service's namespace; every object is placed in it (the namespace itself comes from Terraform). */
  readonly namespace: string;
  /** Labels every object carries (service, team, part-of; the overlay's cluster). */
  readonly labels: Readonly<Record<string, string>>;
  /** The workloads and objects of this base or overlay. */
  readonly manifests: ResolvedManifests;
  /** Name of the service account the workloads run as (the one the service's cloud identity trusts). */
  readonly serviceAccount: string;
  /**
   * Whether the chart creates that service account. On GKE the platform creates it (annotated
   * with the tenant's Google service account, constructs/gke-workload-identity.ts), and an object
   * must have one owner. @default true
   */
  readonly createServiceAccount?: boolean;
}

/**
 * The Kubernetes objects of one service on one cluster (or its base): the workloads' service
 * account, each workload's Deployment and Service, and the other objects it lists. Namespaced
 * objects only: the namespace, its quota, limits, RBAC and network policy belong to the
 * platform (constructs/service-namespace.ts) and the service's Argo CD project refuses them.
 */
export class ServiceChart extends Chart {
  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    // Names are the config's keys, never hashed: the YAML must stay stable and readable.
    super(scope, id, { namespace: props.namespace, labels: { ...props.labels }, disableResourceNameHashes: true });

    if (props.createServiceAccount ?? true) {
      new ApiObject(this, "service-account", {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: props.serviceAccount },
      });
    }
    for (const w of props.manifests.workloads) {
      new Workload(this, `workload-${w.name}`, { workload: w, serviceAccount: props.serviceAccount, labels: props.labels });
    }
    for (const o of props.manifests.objects) {
      const { apiVersion, kind, metadata, ...rest } = o.object;
      new ApiObject(this, `object-${o.name}`, { ...rest, apiVersion, kind, metadata: { ...metadata, name: o.name } });
    }
  }
}
