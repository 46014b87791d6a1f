import type { ResourceView, StackView } from "./rule.js";

/*
 * Readers for the shapes IAM policies take in synthesized Terraform JSON, shared by the rules
 * that look inside policies. A policy attribute is either a JSON string (JSON.stringify of an
 * object whose tokens resolved to "${...}" strings) or a reference to an
 * `aws_iam_policy_document` data source in the same stack.
 */

/** One policy statement, normalized from either shape. */
export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  /** Principals as "type:identifier" ("*" for Principal "*"). */
  readonly principals: readonly string[];
  readonly conditions: ReadonlyArray<{ readonly test: string; readonly variable: string; readonly values: readonly string[] }>;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

const DOCUMENT_REF = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.(json|minified_json)\}$/;

/** Whether a string is exactly one Terraform reference to the attribute of a resource, e.g. `${aws_s3_bucket.logs.id}`. */
export function refersTo(value: unknown, type: string, name: string, attributes: readonly string[]): boolean {
  return typeof value === "string" && attributes.some((a) => value === `\${${type}.${name}.${a}}`);
}

function fromJson(doc: any): Statement[] {
  const statements: any[] = doc?.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.map((s: any): Statement => ({
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      actions: list(s.Action),
      notActions: list(s.NotAction),
      resources: list(s.Resource),
      principals: s.Principal === "*" ? ["*"] : Object.entries<unknown>(s.Principal ?? {}).flatMap(([t, ids]) => list(ids).map((id) => `${t}:${id}`)),
      conditions: Object.entries<Record<string, unknown>>(s.Condition ?? {}).flatMap(([test, byVar]) =>
        Object.entries(byVar ?? {}).map(([variable, values]) => ({ test, variable, values: list(values) }))),
    }));
}

function fromDocument(stack: StackView, name: string, seen: Set<string>): Statement[] | undefined {
  if (seen.has(name)) return [];
  seen.add(name);
  const doc = stack.data.find((d) => d.type === "aws_iam_policy_document" && d.name === name);
  if (!doc) return undefined;
  const statements: any[] = Array.isArray(doc.config.statement) ? doc.config.statement : [];
  const own = statements.map((s): Statement => ({
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: list(s.actions),
    notActions: list(s.not_actions),
    resources: list(s.resources),
    principals: (s.principals ?? []).flatMap((p: any) => list(p.identifiers).map((id) => (p.type === "*" ? "*" : `${p.type}:${id}`))),
    conditions: (s.condition ?? []).map((c: any) => ({ test: String(c.test), variable: String(c.variable), values: list(c.values) })),
  }));
  // Documents merged in by reference contribute their statements too.
  const merged = [...list(doc.config.source_policy_documents), ...list(doc.config.override_policy_documents)].flatMap((v) => statementsOf(stack, v, seen) ?? []);
  return [...own, ...merged];
}

/**
 * The statements of a policy attribute, or undefined when they cannot be read offline
 * (an expression such as `${jsonencode(...)}` or a document from another stack).
 */
export function statementsOf(stack: StackView, policy: unknown, seen = new Set<string>()): Statement[] | undefined {
  if (typeof policy !== "string") return policy && typeof policy === "object" ? fromJson(policy) : undefined;
  const ref = DOCUMENT_REF.exec(policy);
  if (ref) return fromDocument(stack, ref[1]!, seen);
  try {
    return fromJson(JSON.parse(policy));
  } catch {
    return undefined;
  }
}

/** IAM resources that carry a permission policy, with the attribute holding it. */
export function permissionPolicies(stack: StackView): Array<{ resource: ResourceView; policy: unknown }> {
  const out: Array<{ resource: ResourceView; policy: unknown }> = [];
  for (const r of stack.resources) {
    if (["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"].includes(r.type)) out.push({ resource: r, policy: r.config.policy });
    if (r.type === "aws_iam_role" && Array.isArray(r.config.inline_policy)) {
      for (const inline of r.config.inline_policy) out.push({ resource: r, policy: inline?.policy });
    }
  }
  return out;
}
