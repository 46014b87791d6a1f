/*
 * Kubernetes API versions removed from the API server, from the upstream deprecation guide
 * (kubernetes.io/docs/reference/using-api/deprecation-guide). A manifest using one of them
 * cannot be applied to a cluster at or above `removedIn`. `kind` narrows an entry when a group
 * version lost its kinds in different releases.
 */
interface RemovedApi {
  readonly apiVersion: string;
  readonly kind?: string;
  readonly removedIn: string;
  /** The version to move to. */
  readonly use: string;
}

const REMOVED: readonly RemovedApi[] = [
  { apiVersion: "extensions/v1beta1", kind: "Ingress", removedIn: "1.22", use: "networking.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", kind: "NetworkPolicy", removedIn: "1.16", use: "networking.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", removedIn: "1.16", use: "apps/v1" },
  { apiVersion: "apps/v1beta1", removedIn: "1.16", use: "apps/v1" },
  { apiVersion: "apps/v1beta2", removedIn: "1.16", use: "apps/v1" },
  { apiVersion: "networking.k8s.io/v1beta1", removedIn: "1.22", use: "networking.k8s.io/v1" },
  { apiVersion: "rbac.authorization.k8s.io/v1beta1", removedIn: "1.22", use: "rbac.authorization.k8s.io/v1" },
  { apiVersion: "scheduling.k8s.io/v1beta1", removedIn: "1.22", use: "scheduling.k8s.io/v1" },
  { apiVersion: "coordination.k8s.io/v1beta1", removedIn: "1.22", use: "coordination.k8s.io/v1" },
  { apiVersion: "admissionregistration.k8s.io/v1beta1", removedIn: "1.22", use: "admissionregistration.k8s.io/v1" },
  { apiVersion: "apiextensions.k8s.io/v1beta1", removedIn: "1.22", use: "apiextensions.k8s.io/v1" },
  { apiVersion: "certificates.k8s.io/v1beta1", removedIn: "1.22", use: "certificates.k8s.io/v1" },
  { apiVersion: "storage.k8s.io/v1beta1", kind: "CSIStorageCapacity", removedIn: "1.27", use: "storage.k8s.io/v1" },
  { apiVersion: "storage.k8s.io/v1beta1", removedIn: "1.22", use: "storage.k8s.io/v1" },
  { apiVersion: "batch/v1beta1", removedIn: "1.25", use: "batch/v1" },
  { apiVersion: "discovery.k8s.io/v1beta1", removedIn: "1.25", use: "discovery.k8s.io/v1" },
  { apiVersion: "events.k8s.io/v1beta1", removedIn: "1.25", use: "events.k8s.io/v1" },
  { apiVersion: "autoscaling/v2beta1", removedIn: "1.25", use: "autoscaling/v2" },
  { apiVersion: "policy/v1beta1", removedIn: "1.25", use: "policy/v1" },
  { apiVersion: "node.k8s.io/v1beta1", removedIn: "1.25", use: "node.k8s.io/v1" },
  { apiVersion: "autoscaling/v2beta2", removedIn: "1.26", use: "autoscaling/v2" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", removedIn: "1.26", use: "flowcontrol.apiserver.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", removedIn: "1.29", use: "flowcontrol.apiserver.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", removedIn: "1.32", use: "flowcontrol.apiserver.k8s.io/v1" },
];

/** Minor version number of "1.33". */
function minor(version: string): number {
  return Number(version.split(".")[1]);
}

/**
 * The removal an object's API version meets on a cluster of `version`, or undefined when the
 * cluster still serves it.
 */
export function removedApi(apiVersion: string, kind: string, version: string): { removedIn: string; use: string } | undefined {
  const entry = REMOVED.find((r) => r.apiVersion === apiVersion && (r.kind === undefined || r.kind === kind));
  if (!entry || minor(version) < minor(entry.removedIn)) return undefined;
  return { removedIn: entry.removedIn, use: entry.use };
}
