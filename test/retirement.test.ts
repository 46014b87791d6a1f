import { describe, expect, it } from "vitest";
import { STATEFUL_TYPES } from "../guardrails/rules/stateful-protected.js";
import { compareSynths, renderSummary } from "../lib/review/change-summary";
import { namespaceShardOf, namespacesStackName, vendingStackOf } from "../lib/plan/stack-plan";
import { validate } from "../lib/config/validate";
import { gkeNamespaceShardOf, gkeNamespacesStackName } from "../lib/plan/gke";
import { exampleModel, exampleStacks, exampleRaw, synthStacks } from "./helpers.js";
import { addresses, at, retire, tombstone, typeOf } from "./state-helpers.js";

/*
 * Step 1 of removing a service: `retired: true`. Given the example organization, when
 * `payments` is retired, then exactly its access objects go and its data-bearing resources
 * (and the account) stay at the same addresses, protected from destroy.
 */

const model = exampleModel();
const p = model.platform;
const before = exampleStacks();
const after = synthStacks(validate(retire(exampleRaw(), "payments")));
const isStateful = (t: string) => STATEFUL_TYPES.has(t);

/** Per stack: addresses only before (removed), only after (added), and in both. */
function diff(a: Record<string, any>, b: Record<string, any>) {
  const out: Record<string, { removed: string[]; added: string[]; kept: string[] }> = {};
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = new Set(addresses(a[name]));
    const y = new Set(addresses(b[name]));
    out[name] = { removed: [...x].filter((r) => !y.has(r)), added: [...y].filter((r) => !x.has(r)), kept: [...x].filter((r) => y.has(r)) };
  }
  return out;
}
const changes = diff(before, after);
const types = (list: string[]) => [...new Set(list.map(typeOf))].sort();
const primary = "service-payments-ap-northeast-1";
const secondary = "service-payments-ap-northeast-3";
const shards = p.regions.map((r) => namespacesStackName(r, namespaceShardOf(p, "payments")));
const gkeShard = gkeNamespacesStackName(gkeNamespaceShardOf(p, "payments"));

describe("retiring a service (payments, shared tenancy on EKS and GKE, two regions, Artifact Registry)", () => {
  it("removes resources only from its own service stacks, its namespace shards, its GitHub provider and registry identity in the google stack and (its team's access to its own workspace) its vending shard, and adds none anywhere", () => {
    const touched = Object.entries(changes).filter(([, c]) => c.removed.length > 0).map(([n]) => n).sort();
    expect(touched).toEqual([...shards, gkeShard, "google", primary, secondary, vendingStackOf(p, "payments")].sort());
    expect(types(changes[vendingStackOf(p, "payments")]!.removed)).toEqual(["tfe_team", "tfe_team_access", "tfe_team_organization_members"]);
    expect(Object.values(changes).flatMap((c) => c.added)).toEqual([]);
  });

  it("removes the team: its role, and its GitHub (with its write access), Datadog, PagerDuty teams with their memberships and the Slack group", () => {
    expect(types(changes[primary]!.removed).filter((t) => !t.startsWith("aws_"))).toEqual([
      "datadog_team", "datadog_team_membership", "github_team", "github_team_members", "github_team_repository",
      // The push grants of its GitHub repositories on its Artifact Registry repositories.
      "google_artifact_registry_repository_iam_member",
      "pagerduty_escalation_policy", "pagerduty_team", "pagerduty_team_membership", "slack_usergroup",
    ]);
    expect(changes[primary]!.removed).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role\.team-role_/)]));
  });

  it("removes its CI and workload roles and, in every region, its Transit Gateway attachment (with its segment tag) and the route to it", () => {
    expect(types(changes[primary]!.removed).filter((t) => t.startsWith("aws_"))).toEqual([
      "aws_ec2_tag", "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation", "aws_ec2_transit_gateway_vpc_attachment",
      "aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_route",
    ]);
    // The inline policies removed are the team's operator actions and the team plan role's data-read
    // deny; none is the CI role's: Artifact Registry is pushed to through the GitHub pool, not ECR.
    expect(changes[primary]!.removed.filter((a) => typeOf(a) === "aws_iam_role_policy").some((a) => a.includes("ci-role"))).toBe(false);
    expect(changes[primary]!.removed.filter((a) => typeOf(a) === "aws_iam_role").map((a) => a.replace(/_[0-9A-F]+$/, ""))).toEqual(["aws_iam_role.ci-role", "aws_iam_role.infrastructure-roles_apply-role", "aws_iam_role.infrastructure-roles_plan-role", "aws_iam_role.team-role", "aws_iam_role.workload-role"]);
    expect(types(changes[secondary]!.removed)).toEqual([
      "aws_ec2_tag", "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation", "aws_ec2_transit_gateway_vpc_attachment", "aws_route",
    ]);
  });

  it("removes only access from the shared cluster in every region: RoleBinding, access entry, Pod Identity, and in the primary region's shard its Argo CD project and applications", () => {
    for (const shard of shards) {
      const argo = shard === shards[0] ? ["kubernetes_manifest"] : [];
      expect(types(changes[shard]!.removed), shard).toEqual([
        "aws_eks_access_entry", "aws_eks_access_policy_association", "aws_eks_pod_identity_association", "aws_iam_role", "aws_iam_role_policy",
        ...argo, "kubernetes_role_binding_v1",
      ]);
    }
    const manifests = changes[shards[0]!]!.removed.filter((a) => typeOf(a) === "kubernetes_manifest");
    expect(manifests.map((a) => String((at(before[shards[0]!], a).manifest as { kind: string }).kind)).sort()).toEqual(["AppProject", "Application", "Application", "Application"]);
  });

  it("keeps its namespace, with its volumes, quota, limits and default-deny policy, protected from destroy, in every region", () => {
    for (const shard of shards) {
      const kept = changes[shard]!.kept.filter((a) => a.includes("payments"));
      expect(types(kept), shard).toEqual(["kubernetes_limit_range_v1", "kubernetes_namespace_v1", "kubernetes_network_policy_v1", "kubernetes_resource_quota_v1"]);
      const ns = kept.find((a) => typeOf(a) === "kubernetes_namespace_v1")!;
      expect(at(after[shard], ns).lifecycle?.prevent_destroy, shard).toBe(true);
    }
  });

  it("keeps the account, registries, their keys, the VPCs with their subnets and flow logs, and the account baseline with its permissions boundary", () => {
    const shard = vendingStackOf(p, "payments");
    expect(changes[shard]!.kept).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_organizations_account\.account-payments_/)]));
    expect(types(changes[primary]!.kept)).toEqual([
      "aws_config_configuration_recorder", "aws_config_configuration_recorder_status", "aws_config_delivery_channel", "aws_ebs_encryption_by_default",
      "aws_flow_log", "aws_iam_account_password_policy", "aws_iam_policy", "aws_iam_service_linked_role",
      "aws_route_table", "aws_route_table_association", "aws_s3_account_public_access_block", "aws_subnet", "aws_vpc",
      // Its Artifact Registry repositories, and the clusters' nodes' pull grants on them.
      "google_artifact_registry_repository", "google_artifact_registry_repository_iam_member",
    ]);
    expect(changes[primary]!.kept.filter((a) => typeOf(a) === "google_artifact_registry_repository")).toHaveLength(2);
    expect(types(changes[secondary]!.kept)).toEqual(expect.arrayContaining(["aws_flow_log", "aws_subnet", "aws_vpc"]));
  });

  it("protects every kept stateful resource with prevent_destroy", () => {
    const kept = Object.entries(changes).flatMap(([name, c]) => c.kept.filter((a) => isStateful(typeOf(a))).map((a) => ({ name, a })));
    expect(kept.length).toBeGreaterThanOrEqual(5);
    for (const { name, a } of kept) expect(at(after[name], a).lifecycle?.prevent_destroy, `${name} ${a}`).toBe(true);
  });

  it("leaves no role name of the service's people, CI or workloads anywhere in the organization", () => {
    for (const [name, stack] of Object.entries(after)) {
      const text = JSON.stringify(stack.resource ?? {});
      for (const role of ["role/team-payments", "role/ci-payments", "role/workload-payments", "\"team-payments\"", "\"ci-payments\""]) expect(text, `${name}: ${role}`).not.toContain(role);
    }
  });

  it("counts a namespace as stateful: a change that deleted it (the old retirement) is called out as destroying data", () => {
    const shard = shards[0]!;
    const withoutNamespace = structuredClone(after);
    const namespaces = withoutNamespace[shard].resource.kubernetes_namespace_v1;
    const [name] = Object.entries(namespaces).find(([, n]: [string, any]) => n.metadata.name === "payments")!;
    delete namespaces[name];
    // Without prevent_destroy too: the type alone makes it stateful.
    const unprotected = structuredClone(after);
    delete unprotected[shard].resource.kubernetes_namespace_v1[name].lifecycle;
    const summary = compareSynths(unprotected, withoutNamespace, { isStateful });
    expect(summary.flatMap((c) => c.resources.filter((r) => r.dangerous).map((r) => r.address))).toEqual([`kubernetes_namespace_v1.${name}`]);
    expect(renderSummary(summary, "main")).toMatch(/CAUTION/);
  });

  it("destroys nothing stateful, by the change summary", () => {
    const summary = compareSynths(before, after, { isStateful });
    expect(summary.flatMap((c) => c.resources.filter((r) => r.dangerous))).toEqual([]);
    expect(renderSummary(summary, "main")).not.toMatch(/CAUTION/);
  });
});

describe("retiring each kind of service", () => {
  for (const key of ["ledger", "recommendations"]) {
    it(`keeps every stateful resource of ${key} at its address, protected, and drops its access`, () => {
      const retired = synthStacks(validate(retire(exampleRaw(), key)));
      const d = diff(before, retired);
      const lost = Object.entries(d).flatMap(([name, c]) => c.removed.filter((a) => isStateful(typeOf(a))).map((a) => `${name} ${a}`));
      expect(lost).toEqual([]);
      for (const [name, c] of Object.entries(d)) {
        for (const a of c.kept.filter((x) => isStateful(typeOf(x)))) expect(at(retired[name], a).lifecycle?.prevent_destroy, `${name} ${a}`).toBe(true);
      }
      const removed = Object.values(d).flatMap((c) => c.removed.map(typeOf));
      expect(removed).toEqual(expect.arrayContaining(["aws_iam_role", "github_team", "slack_usergroup", "aws_ec2_transit_gateway_vpc_attachment"]));
      const all = JSON.stringify(Object.values(retired).map((s) => s.resource ?? {}));
      expect(all).not.toContain(`role/team-${key}`);
      expect(all).not.toContain(`role/ci-${key}`);
    });
  }
});

describe("removing a retired service with a tombstone (config/retired.ts)", () => {
  const tombstoned = synthStacks(validate(tombstone(retire(exampleRaw(), "payments"), "payments")));
  const shard = vendingStackOf(p, "payments");

  it("keeps the service's stacks, holding no resource, with a removed block (destroy = false) for everything they held when retired", () => {
    for (const name of [primary, secondary]) {
      expect(addresses(tombstoned[name]), name).toEqual([]);
      expect(tombstoned[name].removed.map((r: any) => r.from), name).toEqual(addresses(after[name]));
      for (const r of tombstoned[name].removed) expect(r.lifecycle).toEqual({ destroy: false });
      expect(tombstoned[name].terraform.cloud.workspaces.name).toBe(name);
      expect(tombstoned[name].provider.aws).toBeDefined();
    }
  });

  it("makes the vending shard forget the account, its trust and the service's workspaces (its team's own included), leaving them in AWS and Terraform Cloud", () => {
    const forgotten = tombstoned[shard].removed.map((r: any) => r.from);
    const held = addresses(after[shard]).filter((a) => !addresses(tombstoned[shard]).includes(a));
    expect(forgotten).toEqual(held);
    expect(types(forgotten)).toEqual(["aws_cloudformation_stack_instances", "aws_organizations_account", "tfe_notification_configuration", "tfe_run_trigger", "tfe_variable", "tfe_workspace"]);
    expect(forgotten.filter((a: string) => typeOf(a) === "tfe_workspace")).toHaveLength(3);
  });

  it("makes the namespace shards forget the namespace it kept while retired, leaving it (and its volumes) in the cluster", () => {
    for (const name of shards) {
      const forgotten = tombstoned[name].removed.map((r: any) => r.from);
      expect(forgotten, name).toEqual(addresses(after[name]).filter((a) => !addresses(tombstoned[name]).includes(a)));
      expect(types(forgotten), name).toEqual(["kubernetes_limit_range_v1", "kubernetes_namespace_v1", "kubernetes_network_policy_v1", "kubernetes_resource_quota_v1"]);
      for (const r of tombstoned[name].removed) expect(r.lifecycle).toEqual({ destroy: false });
      expect(tombstoned[name].provider.kubernetes, name).toBeDefined();
    }
  });

  it("changes no other stack", () => {
    const changed = Object.keys(after).filter((n) => JSON.stringify(after[n]) !== JSON.stringify(tombstoned[n])).sort();
    expect(changed).toEqual([shard, primary, secondary, ...shards, gkeShard].sort());
  });

  it("shows removed blocks and no destroy in the change summary", () => {
    const summary = compareSynths(after, tombstoned, { isStateful });
    const all = summary.flatMap((c) => c.resources);
    expect(all.filter((r) => r.action === "destroy")).toEqual([]);
    expect(all.filter((r) => r.action === "forget").map((r) => r.address)).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_organizations_account\.account-payments_/), expect.stringMatching(/^google_artifact_registry_repository\./)]));
    const md = renderSummary(summary, "main");
    expect(md).not.toMatch(/CAUTION/);
    expect(md).toMatch(/0 to destroy, \d+ to remove from Terraform's state \(kept in the cloud\)/);
    expect(md).toMatch(/- `\.` `aws_organizations_account\.account-payments_[0-9A-F]+` \(removed from Terraform's state; stays in the cloud\)/);
  });

  it("is what a deleted file is not: deleting the retired service outright shows the account and registries destroyed, loudly", () => {
    const raw = retire(exampleRaw(), "payments");
    delete raw.index.payments;
    delete raw.serviceFiles.payments;
    const md = renderSummary(compareSynths(after, synthStacks(validate(raw)), { isStateful }), "main");
    const caution = md.slice(0, md.indexOf("| workspace"));
    expect(caution).toMatch(/\[!CAUTION\]/);
    expect(caution).toMatch(/stateful or protected resources? would be DESTROYED/);
    expect(caution).toMatch(/aws_organizations_account\.account-payments_/);
    expect(caution).toMatch(/Workspaces removed\*\*: `service-payments-ap-northeast-1`/);
  });
});
