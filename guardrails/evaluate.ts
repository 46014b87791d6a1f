import type { Finding, ResourceView, Rule, StackView } from "./rule.js";

/** Builds the rules' view of one synthesized stack; `placement` tells region-aware rules where it runs. */
export function stackView(stack: string, kind: string, service: string | undefined, json: Record<string, any>, placement: { readonly region?: string; readonly primary?: boolean } = {}): StackView {
  const resources: ResourceView[] = [];
  for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    for (const [name, body] of Object.entries<Record<string, any>>(byName)) {
      const { "//": meta, ...config } = body;
      resources.push({ stack, type, name, path: meta?.metadata?.path ?? `${stack}/${name}`, config });
    }
  }
  return { stack, kind, service, ...placement, resources, json };
}

/** Runs rules over one stack and returns their findings, tagged with rule id and severity. */
export function evaluate(rules: readonly Rule[], view: StackView): Finding[] {
  return rules.flatMap((rule) => rule.check(view).map((f) => ({ ...f, ruleId: rule.id, severity: rule.severity })));
}

/** Report for the terminal: errors first, each with its path and fix. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines: string[] = [];
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) lines.push(`Guardrails found ${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was synthesized.`, "");
  for (const f of [...errors, ...findings.filter((x) => x.severity === "warning")]) {
    lines.push(`${f.severity} ${f.ruleId} at ${f.path}`, `  problem: ${f.message}`, `  fix:     ${f.fix}`, "");
  }
  return lines.join("\n");
}
