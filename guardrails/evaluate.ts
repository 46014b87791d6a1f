import type { Finding, ResourceView, Rule, StackView } from "./rule.js";
import { MIN_REASON_LENGTH, type Suppression } from "./suppress.js";

/** Rule id of findings about suppressions themselves; these cannot be suppressed. */
export const SUPPRESSION_RULE_ID = "guardrails/suppression";

function views(stack: string, block: Record<string, Record<string, any>> | undefined): ResourceView[] {
  const out: ResourceView[] = [];
  for (const [type, byName] of Object.entries<Record<string, any>>(block ?? {})) {
    for (const [name, body] of Object.entries<Record<string, any>>(byName)) {
      const { "//": meta, ...config } = body;
      out.push({ stack, type, name, path: meta?.metadata?.path ?? `${stack}/${name}`, config });
    }
  }
  return out;
}

/** Builds the rules' view of one synthesized stack; `placement` tells region-aware rules where it runs. */
export function stackView(stack: string, kind: string, service: string | undefined, json: Record<string, any>, placement: { readonly region?: string; readonly primary?: boolean } = {}): StackView {
  return { stack, kind, service, ...placement, resources: views(stack, json.resource), data: views(stack, json.data), json };
}

/** Runs rules over one stack and returns their findings, tagged with rule id and severity. */
export function evaluate(rules: readonly Rule[], view: StackView): Finding[] {
  return rules.flatMap((rule) => rule.check(view).map((f) => ({ ...f, ruleId: rule.id, severity: rule.severity })));
}

/** Whether a suppression added at `at` covers a finding at `path` (the construct or below it). */
function covers(at: string, path: string): boolean {
  return path === at || path.startsWith(`${at}/`);
}

/**
 * Runs rules over one stack and applies the suppressions found in its construct tree:
 * an excused finding is kept (marked `suppressed`) so the synth output lists it; a suppression
 * with an unknown rule id or a short reason is an error; one that excuses nothing is a warning
 * (it is stale, or it sits on the wrong construct).
 */
export function evaluateStack(rules: readonly Rule[], view: StackView, suppressions: readonly Suppression[]): Finding[] {
  const known = new Set(rules.map((r) => r.id));
  const valid: Suppression[] = [];
  const problems: Finding[] = [];
  for (const s of suppressions) {
    if (!known.has(s.ruleId)) {
      problems.push({
        ruleId: SUPPRESSION_RULE_ID, severity: "error", path: s.path,
        message: `suppresses "${s.ruleId}", which is not a guardrail rule`,
        fix: `use one of the rule ids: ${[...known].sort().join(", ")}`,
      });
    } else if (s.reason.trim().length < MIN_REASON_LENGTH) {
      problems.push({
        ruleId: SUPPRESSION_RULE_ID, severity: "error", path: s.path,
        message: `suppresses "${s.ruleId}" with the reason ${JSON.stringify(s.reason)}, which says too little to review`,
        fix: `give a reason of at least ${MIN_REASON_LENGTH} characters saying why this resource may break the rule`,
      });
    } else {
      valid.push(s);
    }
  }
  const used = new Set<Suppression>();
  const findings = evaluate(rules, view).map((f): Finding => {
    const s = valid.find((x) => x.ruleId === f.ruleId && covers(x.path, f.path));
    if (!s) return f;
    used.add(s);
    return { ...f, suppressed: { reason: s.reason.trim(), at: s.path } };
  });
  const unused = valid.filter((s) => !used.has(s)).map((s): Finding => ({
    ruleId: SUPPRESSION_RULE_ID, severity: "warning", path: s.path,
    message: `suppresses "${s.ruleId}" but excuses no finding`,
    fix: "remove the suppression, or move it to the construct whose finding it excuses",
  }));
  return [...problems, ...findings, ...unused];
}

/** Whether any finding fails synth: an error that no suppression excuses. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "error" && !f.suppressed);
}

/** Report for the terminal: errors first, each with its path and fix; then warnings; then every suppression. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines: string[] = [];
  const active = findings.filter((f) => !f.suppressed);
  const errors = active.filter((f) => f.severity === "error");
  const warnings = active.filter((f) => f.severity === "warning");
  const suppressed = findings.filter((f) => f.suppressed);
  if (errors.length > 0) lines.push(`Guardrails found ${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was synthesized.`, "");
  for (const f of [...errors, ...warnings]) {
    lines.push(`${f.severity} ${f.ruleId} at ${f.path}`, `  problem: ${f.message}`, `  fix:     ${f.fix}`, "");
  }
  if (suppressed.length > 0) {
    lines.push(`Suppressed guardrail findings (${suppressed.length}):`);
    for (const f of suppressed) lines.push(`  suppressed ${f.ruleId} at ${f.path}`, `    reason: ${f.suppressed!.reason}${f.suppressed!.at === f.path ? "" : ` (suppression on ${f.suppressed!.at})`}`);
    lines.push("");
  }
  return lines.join("\n");
}

/** Guardrail errors found while synthesizing; nothing is written when it is thrown. */
export class GuardrailError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(`${findings.length} guardrail finding(s)`);
    this.name = "GuardrailError";
  }
}
