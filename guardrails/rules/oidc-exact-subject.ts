import { TFC_OIDC_HOST, templateTrustProblems, trustProblems } from "../../lib/plan/oidc";
import type { ResourceView, Rule } from "../rule.js";

type Finding = { path: string; message: string; fix: string };

const FIX = `trust one workspace and phase: StringEquals on ${TFC_OIDC_HOST}:aud = aws.workload.identity and ${TFC_OIDC_HOST}:sub = organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply> (build it with lib/plan/oidc.ts trustPolicy)`;

/** Trust policies of IAM roles, as literal JSON or from `aws_iam_policy_document` data sources. */
function roleFindings(r: ResourceView, json: Readonly<Record<string, any>>): Finding[] {
  const policy = r.config.assume_role_policy;
  if (typeof policy !== "string" || !policy.includes(TFC_OIDC_HOST) && !policy.includes("aws_iam_policy_document")) return [];
  const doc = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy);
  let parsed: unknown;
  if (doc) parsed = fromPolicyDocument(json.data?.aws_iam_policy_document?.[doc[1]!]);
  else {
    try {
      parsed = JSON.parse(policy);
    } catch {
      return [{ path: r.path, message: `the trust policy names ${TFC_OIDC_HOST} but is not literal JSON, so its subject cannot be checked`, fix: FIX }];
    }
  }
  return trustProblems(parsed).map((p) => ({ path: r.path, message: `role "${r.name}": ${p}`, fix: FIX }));
}

/** Converts an `aws_iam_policy_document` data source to the policy JSON it renders. */
function fromPolicyDocument(data: any): unknown {
  const statements = (data?.statement ?? []).map((s: any) => {
    const federated = (s.principals ?? []).filter((p: any) => p.type === "Federated").flatMap((p: any) => p.identifiers ?? []);
    const condition: Record<string, Record<string, unknown>> = {};
    for (const c of s.condition ?? []) {
      const values: unknown[] = c.values ?? [];
      (condition[c.test] ??= {})[c.variable] = values.length === 1 ? values[0] : values;
    }
    return { Principal: { Federated: federated }, Condition: condition };
  });
  return { Statement: statements };
}

/** Roles in CloudFormation templates deployed by Terraform (StackSets and stacks). */
function templateFindings(r: ResourceView): Finding[] {
  const body = r.config.template_body;
  if (typeof body !== "string" || !body.includes(TFC_OIDC_HOST)) return [];
  let template: unknown;
  try {
    template = JSON.parse(body);
  } catch {
    return [{ path: r.path, message: `the template names ${TFC_OIDC_HOST} but is not JSON, so its trust cannot be checked`, fix: "build the template as JSON in code (lib/plan/oidc.ts bootstrapTemplate)" }];
  }
  return templateTrustProblems(template).map((p) => ({ path: r.path, message: `template role ${p.resource}: ${p.problem}`, fix: FIX }));
}

/**
 * Every IAM role that trusts Terraform Cloud trusts exactly one workspace in one run phase of
 * our organization and project, and checks the audience. A wildcard in any part would let
 * another workspace (even one a developer creates) assume the role.
 */
export const oidcExactSubject: Rule = {
  id: "security/oidc-exact-subject",
  pack: "security",
  severity: "error",
  description: "every OIDC trust has an exact workspace sub and checks the audience",
  check: (stack) =>
    stack.resources.flatMap((r) => {
      if (r.type === "aws_iam_role") return roleFindings(r, stack.json);
      if (r.type === "aws_cloudformation_stack_set" || r.type === "aws_cloudformation_stack") return templateFindings(r);
      return [];
    }),
};
