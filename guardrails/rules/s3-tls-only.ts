import { statementsOf, type Statement } from "../policy.js";
import type { Rule } from "../rule.js";
import { targetsBucket } from "./s3-public-access-blocked.js";

/** A statement denying every principal any S3 action on requests that do not use TLS. */
export function deniesInsecureTransport(s: Statement): boolean {
  return s.effect === "Deny"
    && s.actions.some((a) => a === "*" || a === "s3:*")
    && s.principals.some((p) => p === "*" || p === "AWS:*")
    && s.conditions.some((c) => (c.test === "Bool" || c.test === "BoolIfExists") && c.variable === "aws:SecureTransport" && c.values.includes("false"));
}

/** Every S3 bucket has a bucket policy that denies requests without TLS. */
export const s3TlsOnly: Rule = {
  id: "security/s3-tls-only",
  pack: "security",
  severity: "error",
  description: "every S3 bucket's policy denies requests that do not use TLS (aws:SecureTransport = false)",
  check: (stack) =>
    stack.resources.filter((r) => r.type === "aws_s3_bucket").flatMap((bucket) => {
      const policies = stack.resources.filter((r) => r.type === "aws_s3_bucket_policy" && targetsBucket(r.config.bucket, bucket));
      if (policies.some((p) => statementsOf(stack, p.config.policy)?.some(deniesInsecureTransport))) return [];
      return [{
        path: bucket.path,
        message: policies.length === 0
          ? `aws_s3_bucket "${bucket.name}" has no bucket policy, so it accepts requests without TLS`
          : `the bucket policy of aws_s3_bucket "${bucket.name}" does not deny requests without TLS (or cannot be read from the synthesized JSON)`,
        fix: `add to its S3BucketPolicy a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket arn>, "<bucket arn>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }`,
      }];
    }),
};
