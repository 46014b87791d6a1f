import type { PolicyKind } from "./iam-policy.js";

/*
 * Which arguments of which AWS resources hold an IAM policy document, and of which kind: the
 * validity check parses exactly these (a `policy` argument of another type, such as an ECR
 * lifecycle policy, is no IAM document).
 */

/** Resource types whose `policy` argument is an IAM policy document, and which kind. */
const POLICY_ARGUMENTS: Readonly<Record<string, PolicyKind>> = {
  aws_iam_policy: "identity",
  aws_iam_role_policy: "identity",
  aws_iam_user_policy: "identity",
  aws_iam_group_policy: "identity",
  aws_s3_bucket_policy: "resource",
  aws_kms_key: "resource",
  aws_kms_key_policy: "resource",
  aws_ecr_repository_policy: "attached",
  aws_ecr_registry_policy: "resource",
  aws_sns_topic_policy: "resource",
  aws_sqs_queue_policy: "resource",
  aws_secretsmanager_secret_policy: "resource",
  aws_cloudwatch_event_bus_policy: "resource",
};

/** One policy document argument of a resource. */
export interface PolicyDocument {
  readonly argument: string;
  readonly doc: unknown;
  readonly kind: PolicyKind;
}

/** The IAM policy documents a resource's arguments hold. */
export function policyDocuments(type: string, body: any): PolicyDocument[] {
  const docs: PolicyDocument[] = [];
  if (typeof body.assume_role_policy === "string") docs.push({ argument: "assume_role_policy", doc: body.assume_role_policy, kind: "trust" });
  const kind = POLICY_ARGUMENTS[type];
  if (kind && body.policy !== undefined) docs.push({ argument: "policy", doc: body.policy, kind });
  for (const p of ([] as any[]).concat(body.inline_policy ?? [])) if (p?.policy !== undefined) docs.push({ argument: "inline_policy.policy", doc: p.policy, kind: "identity" });
  if (type === "aws_organizations_policy" && body.content !== undefined) {
    // Tag, backup and AI opt-out policies are other languages; only SCPs and RCPs are IAM.
    const policyType = body.type ?? "SERVICE_CONTROL_POLICY";
    if (policyType === "SERVICE_CONTROL_POLICY") docs.push({ argument: "content", doc: body.content, kind: "scp" });
    if (policyType === "RESOURCE_CONTROL_POLICY") docs.push({ argument: "content", doc: body.content, kind: "rcp" });
  }
  return docs;
}
