import { permissionPolicies, statementsOf, type Statement } from "../policy.js";
import type { Rule } from "../rule.js";

/** AWS's managed full-access policy; attaching it is the same as allowing "*" on "*". */
const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

/** A statement allowing every action on every resource. */
export function allowsEverything(s: Statement): boolean {
  return s.effect === "Allow" && s.actions.some((a) => a === "*" || a === "*:*") && s.resources.includes("*");
}

const ATTACHMENTS = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"];
const FIX = "grant the actions the workload needs on its own resources (e.g. \"s3:GetObject\" on the bucket's ARN), or, for a team's own administrator role, set its permissions_boundary to the account's team-boundary (lib/plan/team-access.ts)";

/** The role an attachment's `role` names (`${aws_iam_role.<name>.name}`), if it is in this stack. */
const ROLE_REF = /^\$\{aws_iam_role\.([^.]+)\.(?:name|id)\}$/;
/** A policy named by a role's permissions boundary (`${aws_iam_policy.<name>.arn}`). */
const POLICY_REF = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/;

/**
 * No IAM policy in a workload (service) stack allows "*" on "*" to a role without a permissions
 * boundary: full access outside the fence would bypass every other guardrail. A team role (or
 * team workspace role) under the account's boundary may be an administrator, since the
 * boundary caps it and everything it creates; the boundary policy itself grants nothing.
 */
export const noAdminPolicy: Rule = {
  id: "security/no-admin-policy",
  pack: "security",
  severity: "error",
  description: "no IAM policy in a service (workload) stack allows \"*\" on \"*\" or attaches AdministratorAccess, except to a role under a permissions boundary",
  check: (stack) => {
    if (stack.kind !== "service") return [];
    const roles = new Map(stack.resources.filter((r) => r.type === "aws_iam_role").map((r) => [r.name, r]));
    const bounded = (roleRef: unknown) => {
      const role = roles.get(ROLE_REF.exec(String(roleRef))?.[1] ?? "");
      return role !== undefined && typeof role.config.permissions_boundary === "string" && role.config.permissions_boundary !== "";
    };
    const boundaries = new Set([...roles.values()].map((r) => POLICY_REF.exec(String(r.config.permissions_boundary ?? ""))?.[1]).filter((n): n is string => n !== undefined));
    const inline = permissionPolicies(stack)
      .filter(({ resource }) => !(resource.type === "aws_iam_policy" && boundaries.has(resource.name)))
      .filter(({ resource }) => !(resource.type === "aws_iam_role_policy" && bounded(resource.config.role)))
      .filter(({ policy }) => statementsOf(stack, policy)?.some(allowsEverything))
      .map(({ resource }) => ({ path: resource.path, message: `${resource.type} "${resource.name}" allows every action ("*") on every resource ("*")`, fix: FIX }));
    const attached = stack.resources
      .filter((r) =>
        (ATTACHMENTS.includes(r.type) && ADMIN_POLICY.test(String(r.config.policy_arn)) && !(r.type === "aws_iam_role_policy_attachment" && bounded(r.config.role)))
        || (r.type === "aws_iam_role" && (r.config.managed_policy_arns ?? []).some((a: unknown) => ADMIN_POLICY.test(String(a))))
        || (r.type === "aws_iam_role_policy_attachments_exclusive" && (r.config.policy_arns ?? []).some((a: unknown) => ADMIN_POLICY.test(String(a)))))
      .map((r) => ({ path: r.path, message: `${r.type} "${r.name}" attaches AdministratorAccess`, fix: FIX }));
    return [...inline, ...attached];
  },
};
