import type { Rule } from "../rule.js";

/** Every symmetric KMS key rotates its key material. */
export const kmsKeyRotation: Rule = {
  id: "security/kms-key-rotation",
  pack: "security",
  severity: "error",
  description: "every symmetric KMS key has automatic key rotation enabled",
  check: (stack) =>
    stack.resources
      // AWS can rotate only symmetric encryption keys; asymmetric and HMAC keys are exempt.
      .filter((r) => r.type === "aws_kms_key" && (r.config.customer_master_key_spec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT")
      .filter((r) => r.config.enable_key_rotation !== true)
      .map((r) => ({
        path: r.path,
        message: `aws_kms_key "${r.name}" does not rotate its key material`,
        fix: "set enableKeyRotation: true on the KmsKey",
      })),
};
