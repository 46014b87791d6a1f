import type { Developer, Platform, Service } from "./schema";

/** A service after validation, with everything derived that stacks need. */
export interface ServiceModel extends Service {
  /** The service key (= file name in `config/services/`). */
  readonly key: string;
  /** Kubernetes namespace (shared tenancy) or cluster name prefix (dedicated). */
  readonly namespace: string;
  /** VPC CIDR per region: stated in config or allocated from the segment's pool (`lib/plan/cidr.ts`); never moved by other services. */
  readonly vpcCidrs: Readonly<Record<string, string>>;
  /** Network segment, from the service's organizational unit. */
  readonly segment: string;
  /** Resource quota with platform defaults filled in. */
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

export interface DeveloperModel extends Developer {
  readonly key: string;
}

/**
 * The validated organization. Maps are sorted by key so that every loop over them, and so
 * every synthesized file, is independent of the order entries were written in.
 */
export interface OrganizationModel {
  readonly platform: Platform;
  readonly developers: readonly DeveloperModel[];
  readonly services: readonly ServiceModel[];
  /**
   * Removed services (`config/retired.ts`), sorted by key: their stacks only emit `removed`
   * blocks, so their resources leave Terraform's state and stay in AWS. @default - none
   */
  readonly tombstones?: readonly TombstoneModel[];
}

/** A removed service: its last, retired entry and what the tombstone adds. */
export interface TombstoneModel extends ServiceModel {
  readonly retired: true;
  readonly removedOn: string;
  readonly reason: string;
}
