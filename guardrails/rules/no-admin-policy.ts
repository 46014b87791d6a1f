import { permissionPolicies, statementsOf, type Statement } from "../policy.js";
import type { Rule } from "../rule.js";

/** AWS's managed full-access policy; attaching it is the same as allowing "*" on "*". */
const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

/** A statement allowing every action on every resource. */
export function allowsEverything(s: Statement): boolean {
  return s.effect === "Allow" && s.actions.some((a) => a === "*" || a === "*:*") && s.resources.includes("*");
}

const ATTACHMENTS = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"];
const FIX = "grant the actions the workload needs on its own resources (e.g. \"s3:GetObject\" on the bucket's ARN); administration of service accounts belongs to the platform's roles";

/**
 * No IAM policy in a workload (service) stack allows "*" on "*": the service account's roles
 * are the service's, and full access there would bypass every other guardrail.
 */
export const noAdminPolicy: Rule = {
  id: "security/no-admin-policy",
  pack: "security",
  severity: "error",
  description: "no IAM policy in a service (workload) stack allows \"*\" on \"*\" or attaches AdministratorAccess",
  check: (stack) => {
    if (stack.kind !== "service") return [];
    const inline = permissionPolicies(stack)
      .filter(({ policy }) => statementsOf(stack, policy)?.some(allowsEverything))
      .map(({ resource }) => ({ path: resource.path, message: `${resource.type} "${resource.name}" allows every action ("*") on every resource ("*")`, fix: FIX }));
    const attached = stack.resources
      .filter((r) =>
        (ATTACHMENTS.includes(r.type) && ADMIN_POLICY.test(String(r.config.policy_arn)))
        || (r.type === "aws_iam_role" && (r.config.managed_policy_arns ?? []).some((a: unknown) => ADMIN_POLICY.test(String(a))))
        || (r.type === "aws_iam_role_policy_attachments_exclusive" && (r.config.policy_arns ?? []).some((a: unknown) => ADMIN_POLICY.test(String(a)))))
      .map((r) => ({ path: r.path, message: `${r.type} "${r.name}" attaches AdministratorAccess`, fix: FIX }));
    return [...inline, ...attached];
  },
};
