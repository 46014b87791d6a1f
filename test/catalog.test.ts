import { describe, expect, it } from "vitest";
import { buildCatalog } from "../lib/review/catalog";
import { escapeHtml, renderCatalogHtml, scriptJson } from "../lib/review/catalog-html";
import { planStacks, vendingStackOf } from "../lib/plan/stack-plan";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

const model = exampleModel();
const catalog = buildCatalog(model);

describe("the resource catalog", () => {
  it("lists every service with owners, account, regions, CIDRs, cluster, registries, teams and workspaces", () => {
    const payments = catalog.services.find((s) => s.key === "payments")!;
    expect(payments).toMatchObject({
      owners: [{ key: "alice", name: "Alice Tanaka" }, { key: "bob", name: "Bob Sato" }],
      account: { email: "aws+payments@example.com", ou: "workloads-prod", segment: "prod", vendedBy: vendingStackOf(model.platform, "payments") },
      regions: ["ap-northeast-1", "ap-northeast-3"],
      cidrs: [{ region: "ap-northeast-1", cidr: "10.16.0.0/20" }, { region: "ap-northeast-3", cidr: "10.64.0.0/20" }],
      // On the shared EKS cluster of each region and on the GKE cluster; images in Artifact Registry.
      kubernetes: { tenancy: "shared", namespace: "payments", clusters: [{ region: "ap-northeast-1", name: "shared-ap-northeast-1" }, { region: "ap-northeast-3", name: "shared-ap-northeast-3" }, { region: "asia-northeast1", name: "gke-shared" }] },
      registries: [{ kind: "gar", name: "payments-api" }, { kind: "gar", name: "payments-worker" }],
      teams: { github: "payments-owners", slack: "payments-team" },
      workspaces: ["service-payments-ap-northeast-1", "service-payments-ap-northeast-3"],
    });
  });

  it("takes every service's workspaces from the stack plan", () => {
    const planned = planStacks(model).filter((s) => s.service).map((s) => s.name).sort();
    expect(catalog.services.flatMap((s) => s.workspaces).sort()).toEqual(planned);
  });

  it("gives a dedicated-tenancy service its own cluster and no shared namespace", () => {
    expect(catalog.services.find((s) => s.key === "ledger")!.kubernetes).toMatchObject({ tenancy: "dedicated", namespace: undefined, clusters: [{ name: "ledger-ap-northeast-1" }] });
  });

  it("lists every developer with the services they own and are on call for, and their approver role", () => {
    expect(catalog.developers.map((d) => [d.key, d.owns, d.onCall, d.approver])).toEqual([
      ["alice", ["payments"], ["payments"], true],
      ["bob", ["ledger", "payments"], ["ledger", "payments"], true],
      ["carol", ["ledger"], ["ledger", "payments"], false],
      ["dave", ["recommendations"], ["recommendations"], false],
      ["erin", ["recommendations"], ["recommendations"], false],
    ]);
  });

  it("groups service accounts by organizational unit", () => {
    expect(catalog.accounts).toEqual([
      { ou: "sandbox", segment: "nonprod", services: [] },
      { ou: "workloads-nonprod", segment: "nonprod", services: ["recommendations"] },
      { ou: "workloads-prod", segment: "prod", services: ["ledger", "payments"] },
    ]);
  });

  it("renders the same bytes from the same config", () => {
    expect(renderCatalogHtml(buildCatalog(exampleModel()))).toBe(renderCatalogHtml(catalog));
  });

  it("loads nothing from anywhere: no external URL, and a policy that forbids requests", () => {
    const html = renderCatalogHtml(catalog);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/\b(src|href)=/);
  });
});

describe("catalog escaping", () => {
  it("escapes text for elements and attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("embeds JSON that cannot close its script element and parses back to the same data", () => {
    const value = { text: "</script><!-- \u2028 & >" };
    const embedded = scriptJson(value);
    expect(embedded).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(embedded)).toEqual(value);
  });
});

describe("the catalog against the synthesized stacks", () => {
  const stacks = exampleStacks();

  it("names the teams and repositories exactly as the service stacks create them", () => {
    for (const s of catalog.services) {
      const primary = stacks[`service-${s.key}-${s.regions[0]}`];
      expect(Object.values(resources(primary, "datadog_team")).map((t: any) => t.name)).toEqual([s.teams.datadog]);
      expect(Object.values(resources(primary, "pagerduty_team")).map((t: any) => t.name)).toEqual([s.teams.pagerduty]);
      expect(Object.values(resources(primary, "github_team")).map((t: any) => t.name)).toEqual([s.teams.github]);
      const repos = [...Object.values(resources(primary, "aws_ecr_repository")).map((r: any) => r.name), ...Object.values(resources(primary, "google_artifact_registry_repository")).map((r: any) => r.repository_id)];
      expect(repos.sort()).toEqual(s.registries.map((r) => r.name).sort());
    }
  });
});
