import type { ResourceView, Rule } from "../rule.js";

/** The objects every tenant namespace must have besides itself, by Terraform type. */
export const NAMESPACE_OBJECTS = {
  kubernetes_role_binding_v1: "the team's admin RoleBinding",
  kubernetes_resource_quota_v1: "a ResourceQuota",
  kubernetes_limit_range_v1: "a LimitRange",
  kubernetes_network_policy_v1: "a default-deny NetworkPolicy",
} as const;

/** Whether a `namespace` value (literal, or a reference to the namespace resource) means this namespace. */
function inNamespace(value: unknown, ns: ResourceView): boolean {
  const name = ns.config.metadata?.name;
  if (Array.isArray(value)) return value.some((v) => inNamespace(v, ns));
  return typeof value === "string" && (value === name || value.includes(`kubernetes_namespace_v1.${ns.name}.`));
}

/**
 * Every tenant namespace comes with all five objects (namespace, admin RoleBinding,
 * ResourceQuota, LimitRange, default-deny NetworkPolicy) and an EKS access policy scoped to it,
 * in the same stack, so no tenant ever exists without its limits, isolation and access.
 */
export const namespaceComplete: Rule = {
  id: "tenancy/namespace-complete",
  pack: "tenancy",
  severity: "error",
  description: "every namespace has its RoleBinding, ResourceQuota, LimitRange, default-deny NetworkPolicy and a namespace-scoped access policy",
  check: (stack) =>
    stack.resources
      .filter((r) => r.type === "kubernetes_namespace_v1")
      .flatMap((ns) => {
        const missing: string[] = [];
        for (const [type, what] of Object.entries(NAMESPACE_OBJECTS)) {
          if (!stack.resources.some((r) => r.type === type && inNamespace(r.config.metadata?.namespace, ns))) missing.push(what);
        }
        const scoped = stack.resources.some((r) => r.type === "aws_eks_access_policy_association" && r.config.access_scope?.type === "namespace" && inNamespace(r.config.access_scope?.namespaces, ns));
        if (!scoped) missing.push("an EKS access policy scoped to the namespace");
        return missing.map((m) => ({
          path: ns.path,
          message: `namespace "${ns.config.metadata?.name}" is missing ${m}`,
          fix: "create tenant namespaces only with the ServiceNamespace construct, which adds all five objects and the access entry",
        }));
      }),
};
