import type { RunPhase } from "../lib/plan/cluster";
import { AWS_CREDENTIALS_VARIABLE } from "../lib/plan/dynamic-credentials";
import { namespacesRoleName } from "../lib/plan/cluster";
import { roleName } from "../lib/plan/oidc";

/*
 * Checks over synthesized stacks (JSON by stack name) that every hop a provider makes works
 * in the run phase it happens in. Each returns problems as sentences; an empty list passes.
 */

const PHASE_CHOICE = new RegExp(
  `^\\$\\{strcontains\\(file\\(var\\.${AWS_CREDENTIALS_VARIABLE}\\.default\\.shared_config_file\\), ":role/([^"]+)"\\) \\? "([^"]+)" : "([^"]+)"\\}$`,
);

/** The role a workspace's phase runs as (its TFC_AWS_<PHASE>_ROLE_ARN's name). */
function sourceRoleName(stack: string, phase: RunPhase): string {
  const shard = stack.match(/^namespaces-(.+)-\d+$/);
  return shard ? namespacesRoleName(shard[1]!, phase) : roleName(stack, phase);
}

/** The role ARN an `assume_role` block names in each phase, read from its expression. */
export function assumedRoleByPhase(stack: string, roleArn: string): Record<RunPhase, string> | { problem: string } {
  const m = roleArn.match(PHASE_CHOICE);
  if (!m) return { plan: roleArn, apply: roleArn };
  if (m[1] !== sourceRoleName(stack, "apply")) return { problem: `picks its role by looking for ${m[1]}, which is not the workspace's apply role ${sourceRoleName(stack, "apply")}` };
  return { apply: m[2]!, plan: m[3]! };
}

function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(value);
}

/** Every IAM role of every stack by name, with its trust statements and its policies' actions. */
function rolesByName(stacks: Record<string, any>): Map<string, { trustPatterns: string[]; actions: string[] }> {
  const out = new Map<string, { trustPatterns: string[]; actions: string[] }>();
  for (const json of Object.values(stacks)) {
    const docs = json.data?.aws_iam_policy_document ?? {};
    const statementsOf = (doc: unknown): any[] => {
      if (typeof doc !== "string") return [];
      const ref = doc.match(/^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/);
      if (ref) return docs[ref[1]!]?.statement ?? [];
      try {
        return [JSON.parse(doc).Statement].flat();
      } catch {
        return [];
      }
    };
    const roles = json.resource?.aws_iam_role ?? {};
    for (const [id, role] of Object.entries<any>(roles)) {
      if (typeof role.name !== "string") continue;
      const trustPatterns = statementsOf(role.assume_role_policy).flatMap((s) => [
        ...(s.condition ?? []).filter((c: any) => c.variable === "aws:PrincipalArn").flatMap((c: any) => c.values),
        ...Object.values<any>(s.Condition ?? {}).flatMap((c) => [c["aws:PrincipalArn"] ?? []].flat()),
      ]);
      const actions = Object.values<any>(json.resource?.aws_iam_role_policy ?? {})
        .filter((p) => p.role === `\${aws_iam_role.${id}.name}` || p.role === role.name)
        .flatMap((p) => statementsOf(p.policy).flatMap((s) => [s.actions ?? s.Action ?? []].flat()));
      out.set(role.name, { trustPatterns, actions });
    }
  }
  return out;
}

/** Read-only actions: what a plan may do. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;

/**
 * For every AWS provider that chains into another role: in each phase the role it names
 * exists, trusts the role the workspace runs as in that phase, and in the plan phase may
 * only read.
 */
export function phaseHopProblems(stacks: Record<string, any>): string[] {
  const roles = rolesByName(stacks);
  const problems: string[] = [];
  for (const [stack, json] of Object.entries(stacks)) {
    for (const provider of [json.provider?.aws ?? []].flat() as any[]) {
      const arn = provider.assume_role?.[0]?.role_arn;
      if (typeof arn !== "string") continue;
      const where = `${stack}: provider aws.${provider.alias ?? "default"}`;
      const byPhase = assumedRoleByPhase(stack, arn);
      if ("problem" in byPhase) {
        problems.push(`${where} ${byPhase.problem}`);
        continue;
      }
      for (const phase of ["plan", "apply"] as const) {
        const target = byPhase[phase].split(":role/")[1] ?? "";
        const role = roles.get(target);
        const source = `arn:aws:iam::000000000000:role/${sourceRoleName(stack, phase)}`;
        if (!role) problems.push(`${where} assumes ${target} in the ${phase} phase, which no stack creates`);
        else if (!role.trustPatterns.some((p) => globMatches(p, source))) problems.push(`${where} assumes ${target} in the ${phase} phase, whose trust does not admit ${sourceRoleName(stack, phase)}`);
        else if (phase === "plan" && role.actions.some((a) => !READ_ONLY.test(a))) problems.push(`${where} assumes ${target} in the plan phase, which may write (${role.actions.filter((a) => !READ_ONLY.test(a)).join(", ")})`);
      }
    }
  }
  return problems;
}
