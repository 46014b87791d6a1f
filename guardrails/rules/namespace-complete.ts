import { RETIRED_NAMESPACE_LABELS } from "../../lib/plan/cluster";
import type { ResourceView, Rule } from "../rule.js";

/** The objects every tenant namespace must have besides itself, by Terraform type. */
export const NAMESPACE_OBJECTS = {
  kubernetes_role_binding_v1: "the team's admin RoleBinding",
  kubernetes_resource_quota_v1: "a ResourceQuota",
  kubernetes_limit_range_v1: "a LimitRange",
  kubernetes_network_policy_v1: "a default-deny NetworkPolicy",
} as const;

/** The objects that grant access to a namespace; a retired service's namespace has none of them. */
const ACCESS_OBJECTS = new Set(["kubernetes_role_binding_v1"]);

function isRetired(ns: ResourceView): boolean {
  return Object.entries(RETIRED_NAMESPACE_LABELS).every(([k, v]) => ns.config.metadata?.labels?.[k] === v);
}

/** Whether a `namespace` value (literal, or a reference to the namespace resource) means this namespace. */
function inNamespace(value: unknown, ns: ResourceView): boolean {
  const name = ns.config.metadata?.name;
  if (Array.isArray(value)) return value.some((v) => inNamespace(v, ns));
  return typeof value === "string" && (value === name || value.includes(`kubernetes_namespace_v1.${ns.name}.`));
}

/**
 * Every tenant namespace comes with all five objects (namespace, admin RoleBinding,
 * ResourceQuota, LimitRange, default-deny NetworkPolicy) and, on EKS, an access policy scoped
 * to it (GKE authenticates the RoleBinding's Google identities itself), in the same stack, so no tenant ever exists without its limits, isolation and access. A
 * retired service's namespace (labelled `retired`) keeps its limits and isolation and must
 * grant no access: no RoleBinding, no access policy.
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
        const retired = isRetired(ns);
        const missing: string[] = [];
        const granted: string[] = [];
        for (const [type, what] of Object.entries(NAMESPACE_OBJECTS)) {
          const present = stack.resources.some((r) => r.type === type && inNamespace(r.config.metadata?.namespace, ns));
          if (retired && ACCESS_OBJECTS.has(type)) {
            if (present) granted.push(what);
          } else if (!present) missing.push(what);
        }
        const gke = stack.kind === "gke-namespaces";
        const scoped = stack.resources.some((r) => r.type === "aws_eks_access_policy_association" && r.config.access_scope?.type === "namespace" && inNamespace(r.config.access_scope?.namespaces, ns));
        if (retired && scoped) granted.push("an EKS access policy scoped to the namespace");
        if (!retired && !scoped && !gke) missing.push("an EKS access policy scoped to the namespace");
        return [
          ...missing.map((m) => ({
            path: ns.path,
            message: `namespace "${ns.config.metadata?.name}" is missing ${m}`,
            fix: "create tenant namespaces only with the ServiceNamespace construct, which adds all five objects and the access entry",
          })),
          ...granted.map((g) => ({
            path: ns.path,
            message: `namespace "${ns.config.metadata?.name}" is retired but still has ${g}`,
            fix: "create a retired service's namespace with ServiceNamespace and retired: true, which keeps the data and drops every access object",
          })),
        ];
      }),
};
