import type { KubernetesObject, Manifests, WorkloadPatch } from "./schema";

/** CPU and memory of a container, every field filled. */
export interface Resources {
  readonly cpu: string;
  readonly memory: string;
}

/** A workload as one cluster runs it: base and overlay merged, defaults filled. */
export interface ResolvedWorkload {
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly port?: number;
  readonly requests: Resources;
  readonly limits: Resources;
  readonly env: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  /** Where each value that counts against the quota was written (a dotted path in the source). */
  readonly from: { readonly image: string; readonly replicas: string; readonly cpu: string; readonly memory: string };
}

/** Another object as one cluster gets it, with where it was written. */
export interface ResolvedObject {
  readonly name: string;
  readonly object: KubernetesObject;
  readonly from: string;
}

export interface ResolvedManifests {
  readonly workloads: readonly ResolvedWorkload[];
  readonly objects: readonly ResolvedObject[];
}

/** Defaults a container gets from the namespace's LimitRange when it states none. */
export interface ContainerDefaults {
  readonly requests: Resources;
  readonly limits: Resources;
}

const byName = <T>(record: Readonly<Record<string, T>>): [string, T][] => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The manifests one cluster gets: the base with the overlay `env` applied (no overlay: the
 * base alone). A field an overlay sets replaces the base's; `requests`, `limits` and `env` are
 * merged key by key. A workload only the overlay names needs its own image (checked by
 * `manifestProblems`; here it is rendered with an empty one).
 */
export function resolveManifests(source: Manifests, env: string | undefined, defaults: ContainerDefaults): ResolvedManifests {
  const overlay = env === undefined ? undefined : source.overlays[env];
  const names = [...new Set([...Object.keys(source.workloads), ...Object.keys(overlay?.workloads ?? {})])].sort();
  const workloads = names.map((name): ResolvedWorkload => {
    const base = source.workloads[name];
    const patch: WorkloadPatch = overlay?.workloads[name] ?? {};
    const at = (field: string, set: boolean) => (set ? `overlays.${env}.workloads.${name}.${field}` : `workloads.${name}.${field}`);
    return {
      name,
      image: patch.image ?? base?.image ?? "",
      replicas: patch.replicas ?? base?.replicas ?? 1,
      ...((patch.port ?? base?.port) === undefined ? {} : { port: patch.port ?? base?.port }),
      requests: { ...defaults.requests, ...strip(base?.requests), ...strip(patch.requests) },
      limits: { ...defaults.limits, ...strip(base?.limits), ...strip(patch.limits) },
      env: { ...base?.env, ...patch.env },
      ...((patch.args ?? base?.args) === undefined ? {} : { args: patch.args ?? base?.args }),
      from: {
        image: at("image", patch.image !== undefined || base === undefined),
        replicas: at("replicas", patch.replicas !== undefined || base === undefined),
        cpu: at("requests.cpu", patch.requests?.cpu !== undefined || base === undefined),
        memory: at("requests.memory", patch.requests?.memory !== undefined || base === undefined),
      },
    };
  });
  const objects: ResolvedObject[] = byName({ ...source.objects, ...overlay?.objects }).map(([name, object]) => ({
    name,
    object,
    from: overlay?.objects[name] ? `overlays.${env}.objects.${name}` : `objects.${name}`,
  }));
  return { workloads, objects };
}

/** The fields that are set (zod leaves unset optional fields undefined, which must not override). */
function strip(r: { cpu?: string; memory?: string } | undefined): Partial<Resources> {
  return Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== undefined));
}
