import type { Platform } from "../config/schema";

/*
 * Names of the log archive's objects, shared by the stacks that create them (log-archive-<region>)
 * and the stacks that deliver to them (organization trail, every account's Config recorder).
 * They are built from config (account ID, region), never read from another stack.
 *
 * Bucket names carry the log archive account's ID: S3 names are global, and the ID is unique
 * to this organization and short enough that every name stays within S3's 63 characters.
 */

/** The region of the organization trail and its bucket: the platform's primary region. */
export function trailRegion(platform: Platform): string {
  return platform.regions[0]!;
}

/** Name of the organization trail in the management account. */
export function trailName(platform: Platform): string {
  return `${platform.name}-organization`;
}

export function trailArn(platform: Platform): string {
  return `arn:aws:cloudtrail:${trailRegion(platform)}:${platform.accounts.management.id}:trail/${trailName(platform)}`;
}

/** The one bucket the multi-region organization trail delivers to (primary region only). */
export function trailBucketName(platform: Platform): string {
  return `log-archive-${platform.accounts.logArchive.id}-trail-${trailRegion(platform)}`;
}

/** The bucket each region's AWS Config delivery channels deliver to (one per region). */
export function configBucketName(platform: Platform, region: string): string {
  return `log-archive-${platform.accounts.logArchive.id}-config-${region}`;
}

/** Alias of the log archive's KMS key; KMS keys are regional, so each region has one. */
export const LOG_ARCHIVE_KEY_ALIAS = "alias/log-archive";

/**
 * The alias ARN of a region's log archive key. KMS accepts it across accounts where the key
 * policy allows, so the organization stack can resolve it without a cross-stack reference.
 */
export function logArchiveKeyAliasArn(platform: Platform, region: string): string {
  return `arn:aws:kms:${region}:${platform.accounts.logArchive.id}:${LOG_ARCHIVE_KEY_ALIAS}`;
}

/**
 * IAM name pattern of the log archive stacks' apply roles (`tfc-apply-log-archive-<region>`):
 * with break glass, the only principals that manage the log keys and bucket settings.
 */
export function logArchivePipelinePattern(): string {
  return "tfc-apply-log-archive-*";
}
