import { z } from "zod";
import { DNS_LABEL } from "../config/schema";

/*
 * Shape of a service's typed manifests (`manifests/<service>/manifests.ts`): the base, which
 * every cluster gets, and one overlay per cluster the service runs on (`eks-<region>`,
 * `gke-<region>`) that changes only what differs there. Messages are "<problem>. Fix: <fix>",
 * as in lib/config/schema.ts.
 */

const name = (what: string) =>
  z.string().max(63, { error: `is longer than 63 characters. Fix: shorten the ${what} name` }).regex(DNS_LABEL, {
    error: `is not a valid ${what} name. Fix: use lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. "api")`,
  });

/** CPU and memory as Kubernetes quantities, the same forms as a service's `kubernetes.quota`. */
const resources = z.strictObject({
  cpu: z.string().regex(/^\d+(\.\d+)?m?$/, { error: `is not a CPU quantity. Fix: use cores such as "1" or millicores such as "250m"` }).optional(),
  memory: z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, { error: `is not a memory quantity. Fix: use a binary quantity such as "256Mi" or "2Gi"` }).optional(),
});

const workloadFields = {
  /** Container image: a full reference with a tag or digest ("<registry>/<repository>:<tag>"). */
  image: z.string().min(1, { error: `is empty. Fix: give the image reference, e.g. "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/payments/api:1.4.2"` }),
  /** Pods to run. @default 1 */
  replicas: z.number().int({ error: `must be a whole number. Fix: use an integer such as 2` }).min(0, { error: `must not be negative. Fix: use 0 or more` }),
  /** Port the container listens on; a ClusterIP Service of the workload's name exposes it. @default - no Service */
  port: z.number().int().min(1).max(65535, { error: `is not a port. Fix: use a number from 1 to 65535` }),
  /** What each pod asks the scheduler for; counts against the namespace quota. @default - the platform's kubernetes.defaultRequests */
  requests: resources,
  /** What each container may use at most. @default - the platform's kubernetes.defaultLimits */
  limits: resources,
  /** Environment variables (no secrets: mount those from a Secret). @default {} */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: `is not an environment variable name. Fix: use letters, digits and "_", not starting with a digit` }), z.string()),
  /** Container arguments. @default - the image's */
  args: z.array(z.string()),
};

/** One Deployment (and its Service when it has a port). */
const workload = z.strictObject({
  ...workloadFields,
  replicas: workloadFields.replicas.default(1),
  port: workloadFields.port.optional(),
  requests: resources.default({}),
  limits: resources.default({}),
  env: workloadFields.env.default({}),
  args: workloadFields.args.optional(),
});

/** What an overlay changes in a workload; every field is optional. */
const workloadPatch = z.strictObject({
  image: workloadFields.image.optional(),
  replicas: workloadFields.replicas.optional(),
  port: workloadFields.port.optional(),
  requests: resources.optional(),
  limits: resources.optional(),
  env: workloadFields.env.optional(),
  args: workloadFields.args.optional(),
});

/**
 * Any other namespaced Kubernetes object, written as its manifest without `metadata.name` and
 * `metadata.namespace` (the key is the name; the namespace is the service's).
 */
const object = z.looseObject({
  apiVersion: z.string().regex(/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/, { error: `is not a Kubernetes API version. Fix: write it as "<group>/<version>" or "v1", e.g. "policy/v1"` }),
  kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, { error: `is not a Kubernetes kind. Fix: write it in PascalCase, e.g. "PodDisruptionBudget"` }),
  metadata: z.strictObject({
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }).optional(),
});

const overlay = z.strictObject({
  /** Changes to base workloads, or workloads only this cluster runs (then with an image). @default {} */
  workloads: z.record(name("workload"), workloadPatch).default({}),
  /** Objects only this cluster gets (or replacing a base object of the same key). @default {} */
  objects: z.record(name("object"), object).default({}),
});

export const manifestsSchema = z.strictObject({
  /** Deployments of the service, by name. */
  workloads: z.record(name("workload"), workload).default({}),
  /** Other namespaced objects, by name (a PodDisruptionBudget, a HorizontalPodAutoscaler, a ConfigMap, ...). @default {} */
  objects: z.record(name("object"), object).default({}),
  /** Per-cluster changes, keyed by the cluster's overlay name (`eks-<aws region>`, `gke-<google region>`). @default {} */
  overlays: z.record(z.string(), overlay).default({}),
});

export type ManifestsInput = z.input<typeof manifestsSchema>;
export type Manifests = z.output<typeof manifestsSchema>;
export type Workload = z.output<typeof workload>;
export type WorkloadPatch = z.output<typeof workloadPatch>;
export type KubernetesObject = z.output<typeof object>;
