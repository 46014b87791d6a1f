import type { Rule } from "../rule.js";

/** Tags that say whose a resource is; the catalog and cost reports group by them. */
export const OWNERSHIP_TAGS = ["service", "owners"] as const;

/** The default tags of each AWS provider of a stack, by the `provider` value resources use ("aws" or "aws.<alias>"). */
function defaultTags(json: Readonly<Record<string, any>>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const p of (json.provider?.aws ?? []) as any[]) {
    const tags = Object.assign({}, ...((p.default_tags ?? []) as any[]).map((d) => d?.tags ?? {}));
    out.set(p.alias ? `aws.${p.alias}` : "aws", tags);
  }
  return out;
}

/**
 * In a service stack every AWS resource carries `service` (the stack's service) and `owners`:
 * through the provider's default tags (how the platform does it) or its own `tags`.
 */
export const serviceOwnerTags: Rule = {
  id: "tagging/service-owner-tags",
  pack: "tagging",
  severity: "error",
  description: "every AWS resource in a service stack carries the service and owners tags",
  check: (stack) => {
    if (stack.kind !== "service" || !stack.service) return [];
    const providers = defaultTags(stack.json);
    const missing = (tags: Record<string, unknown>) =>
      OWNERSHIP_TAGS.filter((t) => typeof tags[t] !== "string" || tags[t] === "" || (t === "service" && tags[t] !== stack.service));
    const findings = [...providers].filter(([, tags]) => missing(tags).length > 0).map(([name, tags]) => ({
      // Providers carry no construct path in the JSON; PlatformStack.awsProvider names them "aws" / "aws-<alias>".
      path: `${stack.stack}/${name.replace(".", "-")}`,
      message: `provider ${name} does not give every resource the tags ${missing(tags).join(", ")}`,
      fix: `create the provider with PlatformStack.awsProvider, whose default tags carry service: "${stack.service}" and owners`,
    }));
    for (const r of stack.resources) {
      if (!r.type.startsWith("aws_")) continue;
      const provider = providers.get(r.config.provider ?? "aws") ?? {};
      // Resources without `tags` get the provider's; resources setting tags are merged over them.
      const own = r.config.tags && typeof r.config.tags === "object" ? r.config.tags : {};
      const effective = { ...provider, ...own };
      const lacking = missing(effective);
      if (lacking.length === 0 || (r.config.tags === undefined && missing(provider).length > 0)) continue;
      findings.push({
        path: r.path,
        message: `${r.type} "${r.name}" does not carry the tags ${lacking.join(", ")} (its own tags override the provider's)`,
        fix: `do not set or blank ${lacking.join(", ")} in the resource's tags; the provider's default tags give service: "${stack.service}" and owners`,
      });
    }
    return findings;
  },
};
