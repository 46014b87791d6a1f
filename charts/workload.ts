import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { ResolvedWorkload } from "../lib/manifests/resolve";

export interface WorkloadProps {
  /** The workload as this cluster runs it (base and overlay merged, defaults filled). */
  readonly workload: ResolvedWorkload;
  /** Service account the pods run as: the one the service's Pod Identity (EKS) or Workload Identity (GKE) trusts. */
  readonly serviceAccount: string;
  /** Labels of the service; with the workload's name they select its pods. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One Deployment and, when the workload has a port, the ClusterIP Service in front of it. The
 * pods' requests are always written out (the LimitRange's defaults filled in), so the rendered
 * YAML shows exactly what counts against the namespace quota.
 */
export class Workload extends Construct {
  /** The Deployment. */
  readonly deployment: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const w = props.workload;
    const selector = { "app.kubernetes.io/name": w.name, service: props.labels.service ?? "" };
    const env = Object.entries(w.env).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({ name, value }));

    this.deployment = new ApiObject(this, "Resource", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: w.name, labels: { "app.kubernetes.io/name": w.name } },
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...props.labels, ...selector } },
          spec: {
            serviceAccountName: props.serviceAccount,
            containers: [{
              name: w.name,
              image: w.image,
              ...(w.args === undefined ? {} : { args: [...w.args] }),
              ...(env.length === 0 ? {} : { env }),
              ...(w.port === undefined ? {} : { ports: [{ name: "http", containerPort: w.port }] }),
              resources: { requests: { ...w.requests }, limits: { ...w.limits } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            }],
          },
        },
      },
    });

    if (w.port !== undefined) {
      new ApiObject(this, "Service", {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: w.name, labels: { "app.kubernetes.io/name": w.name } },
        spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http" }] },
      });
    }
  }
}
