import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { namespaceComplete } from "../guardrails/rules/namespace-complete.js";
import { registryImmutableScanned } from "../guardrails/rules/registry-immutable-scanned.js";

/** A stack in synthesized form from `{ type: { name: config } }`. */
function stack(resource: Record<string, Record<string, Record<string, unknown>>>) {
  const withMeta = Object.fromEntries(Object.entries(resource).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).map(([name, c]) => [name, { "//": { metadata: { path: `s/${name}/Resource` } }, ...c }]))]));
  return stackView("s", "namespaces", undefined, { resource: withMeta });
}

const ecr = (config: Record<string, unknown>) => stack({ aws_ecr_repository: { repo: config } });
const gar = (config: Record<string, unknown>) => stack({ google_artifact_registry_repository: { repo: config } });

describe("security/registry-immutable-scanned", () => {
  it("accepts an immutable ECR repository that scans on push", () => {
    expect(evaluate([registryImmutableScanned], ecr({ image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true } }))).toEqual([]);
  });

  it("flags an ECR repository with mutable tags", () => {
    expect(evaluate([registryImmutableScanned], ecr({ image_tag_mutability: "MUTABLE", image_scanning_configuration: { scan_on_push: true } }))).toEqual([
      expect.objectContaining({ ruleId: "security/registry-immutable-scanned", severity: "error", path: "s/repo/Resource", message: expect.stringContaining("mutable tags") }),
    ]);
  });

  it("flags an ECR repository that does not scan on push", () => {
    expect(evaluate([registryImmutableScanned], ecr({ image_tag_mutability: "IMMUTABLE" }))).toEqual([expect.objectContaining({ message: expect.stringContaining("does not scan") })]);
  });

  it("accepts an immutable Artifact Registry repository with inherited scanning", () => {
    expect(evaluate([registryImmutableScanned], gar({ docker_config: { immutable_tags: true }, vulnerability_scanning_config: { enablement_config: "INHERITED" } }))).toEqual([]);
  });

  it("flags an Artifact Registry repository with scanning disabled and mutable tags", () => {
    expect(evaluate([registryImmutableScanned], gar({ vulnerability_scanning_config: { enablement_config: "DISABLED" } })).map((f) => f.message)).toEqual([
      expect.stringContaining("mutable tags"), expect.stringContaining("scanning disabled"),
    ]);
  });
});

describe("tenancy/namespace-complete", () => {
  const ref = "${kubernetes_namespace_v1.ns.metadata[0].name}";
  const complete = {
    kubernetes_namespace_v1: { ns: { metadata: { name: "payments" } } },
    kubernetes_role_binding_v1: { rb: { metadata: { name: "team-admin", namespace: ref } } },
    kubernetes_resource_quota_v1: { q: { metadata: { name: "quota", namespace: ref } } },
    kubernetes_limit_range_v1: { l: { metadata: { name: "limits", namespace: ref } } },
    kubernetes_network_policy_v1: { np: { metadata: { name: "default-deny", namespace: "payments" } } },
    aws_eks_access_policy_association: { ap: { access_scope: { type: "namespace", namespaces: [ref] } } },
  };

  it("accepts a namespace with all five objects and a namespace-scoped access policy", () => {
    expect(evaluate([namespaceComplete], stack(complete))).toEqual([]);
  });

  it("flags a namespace without its NetworkPolicy, naming what is missing", () => {
    const rest: Record<string, Record<string, Record<string, unknown>>> = { ...complete };
    delete rest.kubernetes_network_policy_v1;
    expect(evaluate([namespaceComplete], stack(rest))).toEqual([
      expect.objectContaining({ ruleId: "tenancy/namespace-complete", severity: "error", path: "s/ns/Resource", message: 'namespace "payments" is missing a default-deny NetworkPolicy' }),
    ]);
  });

  it("flags a namespace whose access policy is cluster-wide instead of namespace-scoped", () => {
    const wide = { ...complete, aws_eks_access_policy_association: { ap: { access_scope: { type: "cluster" } } } };
    expect(evaluate([namespaceComplete], stack(wide))).toEqual([expect.objectContaining({ message: expect.stringContaining("access policy scoped to the namespace") })]);
  });

  it("accepts a retired namespace that keeps its quota, limits and isolation and grants no access", () => {
    const without = (...types: string[]) => Object.fromEntries(Object.entries(complete).filter(([t]) => !types.includes(t)));
    const kept = without("kubernetes_role_binding_v1", "aws_eks_access_policy_association");
    const retired = { ...kept, kubernetes_namespace_v1: { ns: { metadata: { name: "payments", labels: { retired: "true" } } } } };
    expect(evaluate([namespaceComplete], stack(retired))).toEqual([]);
  });

  it("flags a retired namespace that still grants access, and one that lost its isolation", () => {
    const leaky = { ...complete, kubernetes_namespace_v1: { ns: { metadata: { name: "payments", labels: { retired: "true" } } } } };
    expect(evaluate([namespaceComplete], stack(leaky)).map((f) => f.message).sort()).toEqual([
      'namespace "payments" is retired but still has an EKS access policy scoped to the namespace',
      `namespace "payments" is retired but still has the team's admin RoleBinding`,
    ]);
    const open = Object.fromEntries(Object.entries(complete).filter(([t]) => !["kubernetes_role_binding_v1", "aws_eks_access_policy_association", "kubernetes_network_policy_v1"].includes(t)));
    const unisolated = { ...open, kubernetes_namespace_v1: leaky.kubernetes_namespace_v1 };
    expect(evaluate([namespaceComplete], stack(unisolated)).map((f) => f.message)).toEqual(['namespace "payments" is missing a default-deny NetworkPolicy']);
  });

  it("does not count another namespace's objects", () => {
    const other = { ...complete, kubernetes_namespace_v1: { ...complete.kubernetes_namespace_v1, other: { metadata: { name: "ledger" } } } };
    expect(evaluate([namespaceComplete], stack(other))).toHaveLength(5);
  });
});
