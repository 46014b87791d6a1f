import type { ResourceView, Rule, StackView } from "../rule.js";

/** Whether a resource's `bucket` argument names this bucket (by reference or by literal name). */
function targets(r: ResourceView, bucket: ResourceView): boolean {
  const b = r.config.bucket;
  return b === `\${aws_s3_bucket.${bucket.name}.id}` || b === `\${aws_s3_bucket.${bucket.name}.bucket}` || (typeof bucket.config.bucket === "string" && b === bucket.config.bucket);
}

function statements(policy: unknown): any[] {
  if (typeof policy !== "string") return [];
  try {
    const doc = JSON.parse(policy);
    return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch {
    return [];
  }
}

const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]);

/** A Deny of every S3 action to everyone when the request is not over TLS. */
function deniesInsecureTransport(s: any): boolean {
  return s.Effect === "Deny" && s.Principal === "*" && list(s.Action).includes("s3:*") && s.Condition?.Bool?.["aws:SecureTransport"] === "false";
}

function deniesDeletes(s: any): boolean {
  const actions = list(s.Action);
  return s.Effect === "Deny" && s.Principal === "*" && !s.Condition && ["s3:DeleteObject", "s3:DeleteObjectVersion"].every((a) => actions.includes(a) || actions.includes("s3:*"));
}

function check(stack: StackView, bucket: ResourceView): Array<{ path: string; message: string; fix: string }> {
  const of = (type: string) => stack.resources.filter((r) => r.type === type && targets(r, bucket));
  const problems: Array<[string, string]> = [];
  const pab = of("aws_s3_bucket_public_access_block");
  if (!pab.some((r) => ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((k) => r.config[k] === true))) {
    problems.push(["does not block public access", "add an aws_s3_bucket_public_access_block with all four settings true"]);
  }
  const policy = of("aws_s3_bucket_policy").flatMap((r) => statements(r.config.policy));
  if (!policy.some(deniesInsecureTransport)) {
    problems.push(["does not deny requests without TLS", `add a bucket policy statement: Deny, Principal "*", Action "s3:*", Condition Bool aws:SecureTransport "false"`]);
  }
  if (!policy.some(deniesDeletes)) {
    problems.push(["does not deny deleting log objects", `add a bucket policy statement: Deny, Principal "*", Action s3:DeleteObject and s3:DeleteObjectVersion, without conditions`]);
  }
  if (!of("aws_s3_bucket_versioning").some((r) => r.config.versioning_configuration?.status === "Enabled")) {
    problems.push(["is not versioned", "add an aws_s3_bucket_versioning with status Enabled"]);
  }
  if (!of("aws_s3_bucket_server_side_encryption_configuration").some((r) => list(r.config.rule).some((x: any) => x.apply_server_side_encryption_by_default?.sse_algorithm === "aws:kms"))) {
    problems.push(["is not encrypted with KMS by default", "add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and the log archive key"]);
  }
  return problems.map(([message, fix]) => ({
    path: bucket.path,
    message: `log archive bucket "${bucket.config.bucket ?? bucket.name}" ${message}`,
    fix: `${fix} (constructs/log-archive-bucket.ts does all of this)`,
  }));
}

/**
 * Every bucket of the log archive is private, TLS-only, versioned, KMS-encrypted and denies
 * deletes, so the organization's audit trail cannot leak or be erased.
 */
export const logArchiveBucket: Rule = {
  id: "security/log-archive-bucket",
  pack: "security",
  severity: "error",
  description: "every log archive bucket blocks public access, denies non-TLS requests and deletes, is versioned and KMS-encrypted",
  check: (stack) => (stack.kind === "log-archive" ? stack.resources.filter((r) => r.type === "aws_s3_bucket").flatMap((b) => check(stack, b)) : []),
};
