import type { Rule } from "../rule.js";

/** Resource types whose destruction loses data or identity that cannot be recreated. */
export const STATEFUL_TYPES = new Set([
  "aws_organizations_account",
  "aws_organizations_organizational_unit",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_ecr_repository",
  "aws_cloudtrail",
  "aws_dynamodb_table",
  "aws_db_instance",
  "aws_rds_cluster",
  "google_artifact_registry_repository",
  // Deleting a namespace deletes its PersistentVolumeClaims and, with the default reclaim policy, their volumes.
  "kubernetes_namespace_v1",
  "kubernetes_namespace",
]);

/** Stateful resources must carry `prevent_destroy`, so no config edit can silently destroy data. */
export const statefulProtected: Rule = {
  id: "security/stateful-protected",
  pack: "security",
  severity: "error",
  description: "stateful resources (accounts, buckets, keys, registries, trails, namespaces) are protected from destroy",
  check: (stack) =>
    stack.resources
      .filter((r) => STATEFUL_TYPES.has(r.type) && r.config.lifecycle?.prevent_destroy !== true)
      .map((r) => ({
        path: r.path,
        message: `${r.type} "${r.name}" can be destroyed by a config edit`,
        fix: "set lifecycle: { preventDestroy: true } on the resource (its construct should do this)",
      })),
};
