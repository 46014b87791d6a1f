import { bastionRoleName, teamRoleName } from "../../lib/plan/access";
import type { ResourceView, Rule, StackView } from "../rule.js";

const TEAM_PREFIX = teamRoleName("");
/** A bastion role: `arn:aws:iam::<account>:role/developer-<key>`. */
const BASTION_ROLE_ARN = new RegExp(`^arn:aws:iam::(\\d{12}):role/${bastionRoleName("")}[A-Za-z0-9_+=,.@-]+$`);

interface Trust {
  readonly effect: string;
  /** Principal type -> identifiers ("*" for a bare wildcard). */
  readonly principals: ReadonlyArray<{ type: string; ids: readonly string[] }>;
}

const list = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : x === undefined ? [] : [String(x)]);

/** Reads the trust statements from literal JSON or from an aws_iam_policy_document data source. */
function trustOf(role: ResourceView, stack: StackView): Trust[] | undefined {
  const policy = role.config.assume_role_policy;
  if (typeof policy !== "string") return undefined;
  const ref = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy);
  if (ref) {
    const doc = stack.json.data?.aws_iam_policy_document?.[ref[1]!];
    if (!doc) return undefined;
    return (doc.statement ?? []).map((s: any) => ({
      effect: s.effect ?? "Allow",
      principals: (s.principals ?? []).map((p: any) => ({ type: p.type, ids: list(p.identifiers) })),
    }));
  }
  try {
    const doc = JSON.parse(policy);
    return (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map((s: any) => ({
      effect: s.Effect,
      principals: s.Principal === "*" ? [{ type: "*", ids: ["*"] }] : Object.entries(s.Principal ?? {}).map(([type, ids]) => ({ type, ids: list(ids) })),
    }));
  } catch {
    return undefined;
  }
}

/**
 * A service's human-access role (`team-<service>`) trusts only developers' bastion roles,
 * never a whole account, a federation provider, a service or "*": people reach workload
 * accounts through the bastion account alone. (An RCP enforces the same in AWS.)
 */
export const teamRoleTrust: Rule = {
  id: "security/team-role-trusts-bastion",
  pack: "security",
  severity: "error",
  description: "team-<service> roles trust only bastion roles (developer-<key>) of one account",
  check: (stack) => {
    const findings: Array<{ path: string; message: string; fix: string }> = [];
    const fix = "trust only bastionRoleArn(platform, developer) of the service's owners (lib/plan/access.ts), with Principal { AWS: [...] }";
    for (const role of stack.resources.filter((r) => r.type === "aws_iam_role" && typeof r.config.name === "string" && r.config.name.startsWith(TEAM_PREFIX))) {
      const trust = trustOf(role, stack);
      if (!trust) {
        findings.push({ path: role.path, message: `role ${role.config.name} has a trust policy that cannot be read at synth`, fix: `write the trust policy as literal JSON or an aws_iam_policy_document; ${fix}` });
        continue;
      }
      const accounts = new Set<string>();
      for (const s of trust.filter((t) => t.effect === "Allow")) {
        for (const p of s.principals) {
          for (const id of p.ids) {
            const m = p.type === "AWS" ? BASTION_ROLE_ARN.exec(id) : null;
            if (m) accounts.add(m[1]!);
            else findings.push({ path: role.path, message: `role ${role.config.name} trusts ${p.type} principal "${id}", which is not a bastion role`, fix });
          }
        }
      }
      if (accounts.size > 1) findings.push({ path: role.path, message: `role ${role.config.name} trusts roles in ${accounts.size} accounts; bastion roles live in one`, fix });
    }
    return findings;
  },
};
