import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { SlackProvider } from "../constructs/slack/slack-provider.js";
import { SlackUsergroup } from "../constructs/slack/slack-usergroup.js";
import { validateStack } from "../lib/rehearsal/validity";
import { providerSchema, providerSchemasJson, schemaCoverage, typeSchema, typesUsedBy } from "../lib/rehearsal/provider-schema";

describe("provider schemas derived from the installed cdktf packages", () => {
  it("gives a resource's arguments, computed attributes and nested blocks with Terraform's flags", () => {
    const eks = typeSchema("hashicorp/aws", "resource", "aws_eks_cluster")!;
    expect(eks.block.attributes!.name).toEqual({ type: "string", required: true });
    expect(eks.block.attributes!.arn).toEqual({ type: "string", computed: true });
    expect(eks.block.attributes!.enabled_cluster_log_types).toEqual({ type: ["set", "string"], optional: true });
    expect(eks.block.attributes!.certificate_authority).toEqual({ type: ["list", ["object", { data: "string" }]], computed: true });
    // vpc_config is a required block of at most one item.
    expect(eks.block.block_types!.vpc_config).toMatchObject({ nesting_mode: "list", min_items: 1, max_items: 1 });
    expect(eks.block.block_types!.vpc_config!.block.attributes!.subnet_ids).toEqual({ type: ["set", "string"], required: true });
    expect(eks.block.block_types!.timeouts!.nesting_mode).toBe("single");
  });

  it("gives data sources and the provider block (whose nested blocks have no generator comments)", () => {
    const subnets = typeSchema("hashicorp/aws", "data", "aws_subnets")!;
    expect(subnets.block.attributes!.ids).toEqual({ type: ["list", "string"], computed: true });
    expect(subnets.block.block_types!.filter!.nesting_mode).toBe("set");
    // A computed map the generator reads through cdktf's own StringMap class.
    expect(typeSchema("hashicorp/aws", "data", "aws_cloudformation_stack")!.block.attributes!.outputs).toEqual({ type: ["map", "string"], computed: true });
    const aws = typeSchema("hashicorp/aws", "provider", "")!;
    expect(aws.block.attributes!.alias).toBeUndefined();
    expect(aws.block.block_types!.assume_role!.block.attributes!.role_arn).toEqual({ type: "string", optional: true });
    expect(typeSchema("integrations/github", "resource", "github_team")!.block.attributes!.name).toEqual({ type: "string", required: true });
  });

  it("finds the nested blocks of a type whose structs the generator moved into index-structs/ (google_container_cluster)", () => {
    const gke = typeSchema("hashicorp/google", "resource", "google_container_cluster")!;
    expect(gke.block.block_types!.private_cluster_config!.block.attributes!.enable_private_endpoint).toEqual({ type: "bool", optional: true });
    expect(gke.block.block_types!.workload_identity_config!.block.attributes!.workload_pool).toEqual({ type: "string", optional: true });
    const data = typeSchema("hashicorp/google", "data", "google_container_cluster")!;
    expect(data.block.attributes!.master_auth!.type).toEqual(["list", ["object", expect.objectContaining({ cluster_ca_certificate: "string" })]]);
  });

  it("answers undefined for a type the provider does not have", () => {
    expect(typeSchema("hashicorp/aws", "resource", "aws_no_such_thing")).toBeUndefined();
    expect(typeSchema("hashicorp/aws", "data", "aws_eks_cluster_typo")).toBeUndefined();
  });

  it("knows which providers it can model", () => {
    expect(schemaCoverage("registry.terraform.io/hashicorp/aws")).toBe("full");
    expect(schemaCoverage("DataDog/datadog")).toBe("full");
    expect(schemaCoverage("pablovarela/slack")).toBe("partial");
    expect(schemaCoverage("example/unknown")).toBeUndefined();
    expect(() => providerSchema("example/unknown", { resources: [] })).toThrow(/no schema for provider example\/unknown/);
  });

  it("prints the asked-for types in the shape of `terraform providers schema -json`", () => {
    const json = providerSchemasJson({ "hashicorp/tfe": { resources: ["tfe_workspace", "tfe_nope"], dataSources: ["tfe_outputs"] }, "pablovarela/slack": { resources: ["slack_usergroup"] } });
    expect(json.format_version).toBe("1.0");
    const tfe = json.provider_schemas["registry.terraform.io/hashicorp/tfe"]!;
    expect(Object.keys(tfe.resource_schemas)).toEqual(["tfe_workspace"]);
    expect(tfe.data_source_schemas.tfe_outputs!.block.attributes!.values).toMatchObject({ computed: true });
    expect(tfe.provider.block.attributes!.token).toMatchObject({ optional: true });
    expect(json.provider_schemas["registry.terraform.io/pablovarela/slack"]!.resource_schemas.slack_usergroup!.block.attributes!.name).toEqual({ type: "string", required: true });
  });

  it("lists the providers and types a synthesized stack uses, aliased providers included", () => {
    const stack = {
      terraform: { required_providers: { aws: { source: "aws" }, slack: { source: "pablovarela/slack" } } },
      provider: { aws: [{}, { alias: "network" }] },
      resource: { aws_iam_role: { a: {} }, aws_vpc: { b: { provider: "aws.network" } }, slack_usergroup: { c: {} } },
      data: { aws_caller_identity: { d: {} } },
    };
    expect(typesUsedBy(stack)).toEqual({
      "hashicorp/aws": { resources: ["aws_iam_role", "aws_vpc"], dataSources: ["aws_caller_identity"] },
      "pablovarela/slack": { resources: ["slack_usergroup"], dataSources: [] },
    });
  });

  it("agrees with the hand-written Slack binding: every argument it synthesizes is in the schema, and a missing name is caught", () => {
    const stack = new TerraformStack(Testing.app(), "slack");
    new SlackProvider(stack, "slack", { token: "${var.slack_token}" });
    new SlackUsergroup(stack, "team", { name: "Team", description: "d", handle: "team", users: ["U1"], channels: ["C1"] });
    const json = JSON.parse(Testing.synth(stack));
    json.variable = { slack_token: { type: "string", sensitive: true } };
    const spec = { name: "slack", kind: "people", account: "none", workspaceFactory: "workspaces" } as const;
    expect(validateStack({ spec, json, wave: 0 })).toEqual([]);
    delete json.resource.slack_usergroup.team.name;
    expect(validateStack({ spec, json, wave: 0 }).map((f) => f.message)).toEqual(['Missing required argument: the argument "name" is required, but no definition was found']);
  });
});
