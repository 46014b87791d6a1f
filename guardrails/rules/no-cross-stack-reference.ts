import type { Rule, StackView } from "../rule.js";

/** `type.name` or `data.type.name` inside a Terraform expression; resource types contain "_". */
const REFERENCE = /(?<![\w.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
const EXPRESSION = /\$\{([^}]*)\}/g;

/**
 * Every Terraform expression inside a value, added to `out`. A plain recursion: as a recursive
 * generator (one generator object per nested value) it was a third of the guardrails' time.
 */
function expressions(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (value.includes("${")) for (const m of value.matchAll(EXPRESSION)) out.push(m[1]!);
  } else if (Array.isArray(value)) {
    for (const v of value) expressions(v, out);
  } else if (value !== null && typeof value === "object") {
    for (const key in value) expressions((value as Record<string, unknown>)[key], out);
  }
  return out;
}

function declared(stack: StackView): Set<string> {
  const names = new Set<string>();
  for (const r of stack.resources) names.add(`${r.type}.${r.name}`);
  for (const d of stack.data) names.add(`data.${d.type}.${d.name}`);
  return names;
}

/**
 * Every reference points at an element of the same stack. Stacks are separate Terraform Cloud
 * workspaces; a reference into another stack would fail at plan time (and the stacks skip
 * cdktf's cross-stack wiring on purpose, see PlatformStack.prepareStack).
 */
export const noCrossStackReference: Rule = {
  id: "network/no-cross-stack-reference",
  pack: "network",
  severity: "error",
  description: "every reference in a stack points at a resource or data source of the same stack",
  check: (stack) => {
    const known = declared(stack);
    const findings: Array<{ path: string; message: string; fix: string }> = [];
    for (const element of [...stack.resources, ...stack.data]) {
      const missing = new Set<string>();
      for (const expr of expressions(element.config)) {
        for (const m of expr.matchAll(REFERENCE)) {
          const ref = `${m[1] ?? ""}${m[2]}.${m[3]}`;
          if (!known.has(ref)) missing.add(ref);
        }
      }
      for (const ref of [...missing].sort()) {
        findings.push({
          path: element.path,
          message: `refers to ${ref}, which is not in stack ${stack.stack}`,
          fix: "pass the value as config data, a deterministic name, or a documented lookup (a data source in this stack); stacks never reference each other",
        });
      }
    }
    return findings;
  },
};
