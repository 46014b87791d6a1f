import type { ResourceView, Rule, StackView } from "../rule.js";

/** Stack kinds that run in an AWS account and so must carry that account's baseline. */
export const BASELINE_KINDS = new Set(["management", "log-archive", "security", "network", "cluster", "bastion", "service"]);

/**
 * A log archive bucket, by name, or (in the log archive's own stack, which creates it) by a
 * reference to a bucket of that stack whose name is a log archive name.
 */
function isLogArchiveBucket(value: unknown, stack: StackView): boolean {
  if (typeof value !== "string") return false;
  if (value.startsWith("log-archive-")) return true;
  const ref = /^\$\{aws_s3_bucket\.([\w-]+)\.bucket\}$/.exec(value);
  return ref !== null && stack.resources.some((r) => r.type === "aws_s3_bucket" && r.name === ref[1] && String(r.config.bucket ?? "").startsWith("log-archive-"));
}

/** Regional parts: each must be present, and switched on, in every region the stack covers. */
const REGIONAL: ReadonlyArray<{ type: string; on: (c: Record<string, any>, stack: StackView) => boolean; what: string }> = [
  { type: "aws_ebs_encryption_by_default", on: (c) => c.enabled === true, what: "EBS encryption by default" },
  { type: "aws_config_configuration_recorder", on: (c) => c.recording_group?.all_supported === true, what: "an AWS Config recorder of all supported resources" },
  { type: "aws_config_delivery_channel", on: (c, stack) => isLogArchiveBucket(c.s3_bucket_name, stack), what: "an AWS Config delivery channel to the log archive" },
  { type: "aws_config_configuration_recorder_status", on: (c) => c.is_enabled === true, what: "AWS Config recording switched on" },
];

/** Account-global parts: present once per account, in its primary stack. */
const GLOBAL: ReadonlyArray<{ type: string; on: (c: Record<string, any>) => boolean; what: string }> = [
  {
    type: "aws_s3_account_public_access_block",
    on: (c) => c.block_public_acls === true && c.block_public_policy === true && c.ignore_public_acls === true && c.restrict_public_buckets === true,
    what: "the S3 account public access block (all four settings on)",
  },
  { type: "aws_iam_account_password_policy", on: () => true, what: "the IAM account password policy" },
];

function regionOf(r: ResourceView, stack: StackView): string {
  return (r.config.region as string | undefined) ?? stack.region ?? "(provider region)";
}

/**
 * Every account-level stack carries the account baseline: the regional parts in each region it
 * covers, the global parts in the account's primary stack. A stack without it leaves an account
 * that a team could weaken, or that records nothing into the log archive.
 */
export const accountBaseline: Rule = {
  id: "security/account-baseline",
  pack: "security",
  severity: "error",
  description: "every account stack has the account baseline (EBS encryption, AWS Config to the log archive; S3 public access block and password policy once per account)",
  check: (stack) => {
    if (!BASELINE_KINDS.has(stack.kind)) return [];
    const findings: Array<{ path: string; message: string; fix: string }> = [];
    const fix = "instantiate constructs/account-baseline.ts (AccountBaseline) in this stack, with accountGlobal set in the account's primary region";
    // The regions the stack covers: its own, plus any a regional baseline part names.
    const regions = new Set<string>([stack.region ?? "(provider region)"]);
    for (const part of REGIONAL) for (const r of stack.resources) if (r.type === part.type) regions.add(regionOf(r, stack));
    for (const region of [...regions].sort()) {
      for (const part of REGIONAL) {
        const found = stack.resources.filter((r) => r.type === part.type && regionOf(r, stack) === region);
        if (!found.some((r) => part.on(r.config, stack))) {
          findings.push({ path: stack.stack, message: `stack ${stack.stack} lacks ${part.what} in ${region}`, fix });
        }
      }
    }
    if (stack.primary) {
      for (const part of GLOBAL) {
        if (!stack.resources.some((r) => r.type === part.type && part.on(r.config))) {
          findings.push({ path: stack.stack, message: `stack ${stack.stack} is its account's primary stack but lacks ${part.what}`, fix });
        }
      }
    }
    return findings;
  },
};
