import { bastionRoleName, teamRoleName } from "../../lib/access.js";
import type { Rule } from "../rule.js";

/** An exact IAM role ARN of a developer's bastion role: no wildcard, no account root. */
const BASTION_ROLE_ARN = new RegExp(`^arn:aws:iam::\\d{12}:role/${bastionRoleName("")}[a-z0-9-]+$`);

/**
 * A service team role may be assumed only by named developers' bastion roles. Trusting an
 * account root, a wildcard, a service or a federated identity would let people who are not the
 * service's owners in, and would survive their offboarding.
 */
export const teamRoleTrust: Rule = {
  id: "security/team-role-trust",
  pack: "security",
  severity: "error",
  description: "a service team role trusts only exact ARNs of developers' bastion roles",
  check: (stack) => {
    if (stack.kind !== "service" || !stack.service) return [];
    const name = teamRoleName(stack.service);
    return stack.resources
      .filter((r) => r.type === "aws_iam_role" && r.config.name === name)
      .flatMap((r) => {
        const wrong = untrusted(r.config.assume_role_policy);
        return wrong.length === 0 ? [] : [{
          path: r.path,
          message: `team role "${name}" trusts ${wrong.join(", ")}`,
          fix: `trust only the owners' bastion roles by exact ARN (arn:aws:iam::<bastion account>:role/${bastionRoleName("<developer>")}); the ServiceTeamRole construct does this`,
        }];
      });
  },
};

/** Everything a trust policy allows besides exact bastion role ARNs, described for a finding. */
function untrusted(policy: unknown): string[] {
  let doc: any;
  try {
    doc = typeof policy === "string" ? JSON.parse(policy) : policy;
  } catch {
    return ["a policy that is not literal JSON (it cannot be checked)"];
  }
  const statements: any[] = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  if (statements.length === 0) return ["a policy without statements"];
  const wrong: string[] = [];
  for (const s of statements) {
    if (s.Effect !== "Allow") continue;
    const principal = s.Principal;
    if (principal === "*" || typeof principal !== "object" || principal === null) {
      wrong.push(`principal ${JSON.stringify(principal)}`);
      continue;
    }
    for (const [kind, value] of Object.entries(principal)) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (kind !== "AWS" || typeof v !== "string" || !BASTION_ROLE_ARN.test(v)) wrong.push(`${kind} principal ${JSON.stringify(v)}`);
      }
    }
  }
  return wrong;
}
