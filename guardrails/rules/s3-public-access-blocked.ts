import { refersTo } from "../policy.js";
import type { ResourceView, Rule, StackView } from "../rule.js";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

/** Whether a resource's `bucket` attribute points at this bucket (by reference or by literal name). */
export function targetsBucket(value: unknown, bucket: ResourceView): boolean {
  if (refersTo(value, "aws_s3_bucket", bucket.name, ["id", "bucket"])) return true;
  return typeof value === "string" && typeof bucket.config.bucket === "string" && !bucket.config.bucket.includes("${") && value === bucket.config.bucket;
}

const allBlocked = (r: ResourceView) => FLAGS.every((f) => r.config[f] === true);

function missingFlags(stack: StackView, bucket: ResourceView): string[] | undefined {
  // An account-wide block in the same stack covers every bucket of the account.
  if (stack.resources.some((r) => r.type === "aws_s3_account_public_access_block" && allBlocked(r))) return [];
  const blocks = stack.resources.filter((r) => r.type === "aws_s3_bucket_public_access_block" && targetsBucket(r.config.bucket, bucket));
  if (blocks.length === 0) return undefined;
  return FLAGS.filter((f) => !blocks.some((b) => b.config[f] === true));
}

/** Every S3 bucket has a public access block with all four settings on. */
export const s3PublicAccessBlocked: Rule = {
  id: "security/s3-public-access-blocked",
  pack: "security",
  severity: "error",
  description: "every S3 bucket blocks public access (all four public access block settings)",
  check: (stack) =>
    stack.resources.filter((r) => r.type === "aws_s3_bucket").flatMap((bucket) => {
      const missing = missingFlags(stack, bucket);
      if (missing && missing.length === 0) return [];
      return [{
        path: bucket.path,
        message: missing
          ? `aws_s3_bucket "${bucket.name}" has a public access block without ${missing.join(", ")}`
          : `aws_s3_bucket "${bucket.name}" has no aws_s3_bucket_public_access_block`,
        fix: `add an S3BucketPublicAccessBlock with bucket: <bucket>.id and ${FLAGS.map((f) => `${f}: true`).join(", ")}`,
      }];
    }),
};
