import { describe, expect, it } from "vitest";
import { planStacks } from "../lib/plan/stack-plan";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();

describe("synthesis of the example organization", () => {
  it("writes exactly one stack per planned account/region and SaaS organization", () => {
    expect(Object.keys(stacks)).toEqual(planStacks(model).map((s) => s.name).sort());
    expect(Object.keys(stacks)).toEqual(expect.arrayContaining([
      "organization", "log-archive-ap-northeast-1", "security-ap-northeast-3", "network-ap-northeast-1",
      "cluster-ap-northeast-1", "service-payments-ap-northeast-1", "service-payments-ap-northeast-3",
      "service-ledger-ap-northeast-1", "github", "datadog", "pagerduty", "workspaces",
    ]));
  });

  it("gives every stack a Terraform Cloud workspace of its own name in the platform's project", () => {
    for (const [name, stack] of Object.entries(stacks)) {
      expect(stack.terraform.cloud).toEqual({ organization: "example", workspaces: { name, project: "super-terraform" } });
    }
  });

  it("pins each platform account's provider to that account's ID", () => {
    expect(stacks["network-ap-northeast-3"].provider.aws[0]).toMatchObject({ region: "ap-northeast-3", allowed_account_ids: ["100000000004"] });
    expect(stacks["organization"].provider.aws[0]).toMatchObject({ allowed_account_ids: ["100000000001"] });
  });

  it("configures no credentials in any provider block (a credential may only be read at run time, from a data source or HCP Terraform's dynamic credentials)", () => {
    const secretKeys = /"(token|access_key|secret_key|api_key|app_key|password|credentials)"\s*:\s*(?!"\$\{(data\.|file\(var\.tfc_[a-z]+_dynamic_credentials\.|var\.tfc_gcp_dynamic_credentials\.))/;
    // An empty GKE shard configures no provider at all.
    for (const stack of Object.values(stacks)) expect(JSON.stringify(stack.provider ?? {})).not.toMatch(secretKeys);
  });

  it("tags a service stack's resources with the service and its owners", () => {
    expect(stacks["service-ledger-ap-northeast-1"].provider.aws[0].default_tags[0].tags).toMatchObject({ service: "ledger", owners: "carol bob", organization: "example" });
  });

  it("vends one protected account per service in its OU", () => {
    // The organization stack also adopts the platform accounts (test/organization.test.ts); services are vended by the shards.
    const accounts = Object.entries(stacks).filter(([name]) => name.startsWith("accounts-")).flatMap(([, s]) => Object.values(resources(s, "aws_organizations_account")));
    expect(accounts.map((a) => a.name).sort()).toEqual(["ledger", "payments", "recommendations"]);
    for (const a of accounts) {
      expect(a).toMatchObject({ close_on_deletion: false, lifecycle: { prevent_destroy: true, ignore_changes: ["role_name"] } });
    }
  });

  it("creates the platform's organizational units under the organization root", () => {
    const ous = resources(stacks["organization"], "aws_organizations_organizational_unit");
    expect(Object.values(ous).map((o: any) => o.name).sort()).toEqual(["platform", "sandbox", "workloads-nonprod", "workloads-prod"]);
  });
});
