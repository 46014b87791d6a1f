import type { OrganizationModel, ServiceModel } from "../config/model";
import type { Platform } from "../config/schema";
import { GKE_STACK, gkeNamespacesStackName } from "./gke";

/** Terraform Cloud workspace names: letters, digits, "-" and "_", at most 90 characters. */
export const WORKSPACE_NAME = /^[A-Za-z0-9_-]{1,90}$/;

/** The platform's fixed accounts, as named in `config/platform.ts`. */
export type PlatformAccount = keyof Platform["accounts"];

/**
 * Kinds of stack, in the order Terraform Cloud applies them (run triggers follow it). The
 * bastion and people stacks come before services: a service's team role trusts its owners'
 * bastion roles (IAM rejects trust in roles that do not exist yet), and its teams look up the
 * owners' Datadog and PagerDuty users by email. Namespace shards come last: they read each
 * tenant's account ID from its service stack. The GKE stacks (`gke`, `gke-namespaces-<n>`) exist
 * only when the platform configures `gke`.
 */
export const STACK_KINDS = ["workspaces", "organization", "accounts", "log-archive", "management", "security", "network", "cluster", "bastion", "people", "service", "namespaces", "google", "gke", "gke-namespaces"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** One stack to synthesize; also one Terraform Cloud workspace of the same name. */
export interface StackSpec {
  readonly name: string;
  readonly kind: StackKind;
  /** A platform account, or "service" for the service's own vended account. */
  readonly account: PlatformAccount | "service" | "none";
  readonly region?: string;
  readonly service?: string;
  /**
   * Whether this stack holds its account's global objects (IAM, S3 account settings): the
   * first region of the account's stacks. Guardrails read it to know what the stack must hold.
   */
  readonly primary?: boolean;
  /** Which stack creates this stack's workspace (the workspace factory for it). */
  readonly workspaceFactory: string;
  /**
   * A removed service's stack (`config/retired.ts`): it holds nothing and only emits `removed`
   * blocks for what it held, and its factory only forgets its workspace. @default false
   */
  readonly tombstoned?: boolean;
}

/**
 * The key a service was first applied under (`previousName ?? key`): shards, the VPC CIDR
 * allocation and the names AWS cannot change in place follow it, so a rename moves no account
 * between stacks and replaces no stateful resource.
 */
export function originalKey(s: { readonly key: string; readonly previousName?: string }): string {
  return s.previousName ?? s.key;
}

/** A stable 32-bit FNV-1a hash; its value never depends on other entries. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The `accounts-<n>` stack that vends a service's account. Depends only on the service's own
 * key and the fixed shard count, so adding or removing a service never moves another one.
 */
export function vendingStackOf(platform: Platform, serviceKey: string): string {
  return `accounts-${fnv1a(serviceKey) % platform.terraformCloud.vendingShards}`;
}

/**
 * The `namespaces-<region>-<n>` shard holding a shared-tenancy service's namespace on the
 * shared cluster. Like account vending, it depends only on the service's own key, so adding
 * a tenant changes one shard per region and never the `cluster-<region>` stack.
 */
export function namespaceShardOf(platform: Platform, serviceKey: string): number {
  return fnv1a(serviceKey) % platform.kubernetes.namespaceShards;
}

export function namespacesStackName(region: string, shard: number): string {
  return `namespaces-${region}-${shard}`;
}

/** Stack name of the shared cluster account in one region. */
export function clusterStackName(region: string): string {
  return `cluster-${region}`;
}

/** Stack name of one region of a service. */
export function serviceStackName(serviceKey: string, region: string): string {
  return `service-${serviceKey}-${region}`;
}

/** Every stack name a service produces (used to check workspace-name limits before synth). */
export function stackNames(_platform: Platform, service: Pick<ServiceModel, "key" | "regions">): string[] {
  return service.regions.map((r) => serviceStackName(service.key, r));
}

/** The people stacks: one per SaaS organization. */
export const PEOPLE_STACKS = ["github", "datadog", "pagerduty"] as const;

/**
 * All stacks of the organization in a fixed order. The app, the workspace factory, CODEOWNERS
 * and the change summary all read this one list, so none of them can miss a stack.
 */
export function planStacks(model: OrganizationModel): StackSpec[] {
  const p = model.platform;
  const specs: StackSpec[] = [
    { name: "workspaces", kind: "workspaces", account: "none", workspaceFactory: "workspaces" },
    // The management account's global objects (baseline) are in the `management` stack.
    { name: "organization", kind: "organization", account: "management", region: p.regions[0], workspaceFactory: "workspaces" },
  ];
  for (let n = 0; n < p.terraformCloud.vendingShards; n++) {
    specs.push({ name: `accounts-${n}`, kind: "accounts", account: "management", region: p.regions[0], workspaceFactory: "workspaces" });
  }
  for (const region of p.regions) {
    const primary = region === p.regions[0];
    specs.push({ name: `log-archive-${region}`, kind: "log-archive", account: "logArchive", region, primary, workspaceFactory: "workspaces" });
    specs.push({ name: `security-${region}`, kind: "security", account: "security", region, primary, workspaceFactory: "workspaces" });
    specs.push({ name: `network-${region}`, kind: "network", account: "network", region, primary, workspaceFactory: "workspaces" });
    specs.push({ name: clusterStackName(region), kind: "cluster", account: "cluster", region, primary, workspaceFactory: "workspaces" });
  }
  // The organization trail and the management account's baseline, after the log archive.
  specs.push({ name: "management", kind: "management", account: "management", region: p.regions[0], primary: true, workspaceFactory: "workspaces" });
  // One stack for every region of the bastion account: it holds IAM roles only (global).
  specs.push({ name: "bastion", kind: "bastion", account: "bastion", region: p.regions[0], primary: true, workspaceFactory: "workspaces" });
  for (const name of PEOPLE_STACKS) specs.push({ name, kind: "people", account: "none", workspaceFactory: "workspaces" });
  // Google Cloud: Artifact Registry's pool for AWS roles and the registry workspaces' identities.
  if (p.registry.gar) specs.push({ name: "google", kind: "google", account: "none", workspaceFactory: "workspaces" });
  // The shared GKE cluster: no AWS account; it reaches Google through GCP dynamic credentials.
  if (p.gke) specs.push({ name: GKE_STACK, kind: "gke", account: "none", workspaceFactory: "workspaces" });
  for (const s of model.services) {
    for (const region of s.regions) {
      specs.push({ name: serviceStackName(s.key, region), kind: "service", account: "service", region, primary: region === s.regions[0], service: s.key, workspaceFactory: vendingStackOf(p, originalKey(s)) });
    }
  }
  // Removed services keep their stacks: they carry the `removed` blocks to their workspaces.
  for (const s of model.tombstones ?? []) {
    for (const region of s.regions) {
      specs.push({ name: serviceStackName(s.key, region), kind: "service", account: "service", region, primary: region === s.regions[0], service: s.key, workspaceFactory: vendingStackOf(p, originalKey(s)), tombstoned: true });
    }
  }
  // After the service stacks: a shard reads each tenant's account ID from its service stack.
  for (const region of p.regions) {
    for (let n = 0; n < p.kubernetes.namespaceShards; n++) {
      specs.push({ name: namespacesStackName(region, n), kind: "namespaces", account: "cluster", region, workspaceFactory: "workspaces" });
    }
  }
  // The GKE tenants' shards, a fixed number like the EKS ones: a new tenant changes one shard.
  for (let n = 0; n < (p.gke?.namespaceShards ?? 0); n++) {
    specs.push({ name: gkeNamespacesStackName(n), kind: "gke-namespaces", account: "none", workspaceFactory: "workspaces" });
  }
  return specs;
}

/**
 * A rough resource count per stack, used only to split synthesis evenly between processes.
 * It never affects what is synthesized.
 */
export function estimatedSize(model: OrganizationModel, spec: StackSpec): number {
  switch (spec.kind) {
    case "service": return 60;
    case "people":
    case "bastion": return model.developers.length + 10;
    case "namespaces": return 10 * model.services.length / Math.max(1, model.platform.kubernetes.namespaceShards * model.platform.regions.length);
    case "gke-namespaces": return 10 * model.services.length / Math.max(1, model.platform.gke?.namespaceShards ?? 1);
    case "accounts": return 12 * model.services.length / Math.max(1, model.platform.terraformCloud.vendingShards);
    default: return 50;
  }
}
