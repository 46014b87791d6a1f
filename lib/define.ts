import type { DeveloperInput, PlatformInput, ServiceInput, TombstoneInput } from "./config/schema";
import type { ManifestsInput } from "./manifests/schema";

/*
 * Identity helpers: they only give config files their types, so editors autocomplete every
 * field and flag typos. The values are checked again at run time by `validate.ts`, because a
 * type error does not stop `tsx` from running.
 */

/** Types `config/platform.ts`. */
export function definePlatform(platform: PlatformInput): PlatformInput {
  return platform;
}

/** Types `config/developers.ts`: key = a short, stable login-like name ("alice"). */
export function defineDevelopers<K extends string>(developers: Record<K, DeveloperInput>): Record<K, DeveloperInput> {
  return developers;
}

/** Types one `config/services/<name>.ts`; the file name is the service key. */
export function defineService(service: ServiceInput): ServiceInput {
  return service;
}

/**
 * Types `config/retired.ts`: key = the removed service's key -> its last (retired) entry plus
 * `removedOn` and `reason`. See README "Retire and remove a service".
 */
export function defineRetired<K extends string>(tombstones: Record<K, TombstoneInput>): Record<K, TombstoneInput> {
  return tombstones;
}

/**
 * Types `manifests/<service>/manifests.ts`: the service's Kubernetes workloads (base) and what
 * each cluster changes (overlays). `npm run manifests` renders them to plain YAML beside it.
 */
export function defineManifests(manifests: ManifestsInput): ManifestsInput {
  return manifests;
}
