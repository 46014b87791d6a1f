import { App, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { SLACK_PROVIDER, SlackProvider } from "../constructs/slack/slack-provider.js";
import { SlackUsergroup } from "../constructs/slack/slack-usergroup.js";
import { SlackUserGroup } from "../constructs/slack-user-group.js";

/*
 * The binding follows pablovarela/terraform-provider-slack v1.2.2: provider schema in
 * slack/provider.go (one argument, `token`, defaulting to SLACK_TOKEN), resource schema in
 * slack/resource_usergroup.go (`name` required; `description`, `handle` strings; `users`,
 * `channels` sets of strings).
 */

/** A synthesized block's arguments, without cdktf's "//" metadata. */
function args(block: Record<string, unknown>): Record<string, unknown> {
  const out = { ...block };
  delete out["//"];
  return out;
}

function synth(build: (stack: TerraformStack) => void): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

describe("Slack provider binding", () => {
  it("requires the pablovarela/slack provider at an exact version", () => {
    const json = synth((s) => new SlackProvider(s, "slack"));
    expect(json.terraform.required_providers).toEqual({ slack: { source: "pablovarela/slack", version: SLACK_PROVIDER.version } });
    expect(SLACK_PROVIDER.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("writes an empty provider block so the token comes from SLACK_TOKEN", () => {
    expect(synth((s) => new SlackProvider(s, "slack")).provider).toEqual({ slack: [{}] });
  });

  it("writes the schema's arguments and an alias when they are given", () => {
    const json = synth((s) => new SlackProvider(s, "other", { alias: "other", token: "${var.slack_token}" }));
    expect(json.provider.slack).toEqual([{ alias: "other", token: "${var.slack_token}" }]);
  });
});

describe("slack_usergroup binding", () => {
  it("synthesizes every argument of the schema under its Terraform name", () => {
    const json = synth((s) => {
      new SlackProvider(s, "slack");
      new SlackUsergroup(s, "group", { name: "TestGroup", handle: "test", description: "Test user group", users: ["USER00"], channels: ["CHANNEL00"] });
    });
    expect(args(json.resource.slack_usergroup.group)).toEqual({ name: "TestGroup", handle: "test", description: "Test user group", users: ["USER00"], channels: ["CHANNEL00"] });
  });

  it("omits optional arguments that are not given", () => {
    const json = synth((s) => new SlackUsergroup(s, "group", { name: "only-name" }));
    expect(args(json.resource.slack_usergroup.group)).toEqual({ name: "only-name" });
  });

  it("exposes the group's attributes as Terraform references", () => {
    const json = synth((s) => {
      const group = new SlackUsergroup(s, "group", { name: "a" });
      new SlackUsergroup(s, "copy", { name: "b", users: group.users, description: group.id });
    });
    expect(json.resource.slack_usergroup.copy).toMatchObject({ users: "${slack_usergroup.group.users}", description: "${slack_usergroup.group.id}" });
  });

  it("passes meta-arguments (provider alias, lifecycle) through", () => {
    const json = synth((s) => {
      const provider = new SlackProvider(s, "slack-b", { alias: "b" });
      new SlackUsergroup(s, "group", { name: "a", provider, lifecycle: { preventDestroy: true } });
    });
    expect(json.resource.slack_usergroup.group).toMatchObject({ provider: "slack.b", lifecycle: { prevent_destroy: true } });
  });

  it("synthesizes the same arguments as HCL", () => {
    const app = new App({ hclOutput: true });
    const stack = new TerraformStack(app, "test");
    new SlackProvider(stack, "slack");
    new SlackUsergroup(stack, "group", { name: "TestGroup", handle: "test", users: ["USER00"] });
    const hcl = Testing.synthHcl(stack) as string;
    expect(hcl).toMatch(/resource "slack_usergroup" "group" \{[^}]*name\s*= "TestGroup"[^}]*\}/s);
    expect(hcl).toMatch(/users\s*=\s*\[\s*"USER00"\s*\]/);
    expect(hcl).toMatch(/source\s*= "pablovarela\/slack"/);
  });
});

describe("SlackUserGroup construct", () => {
  it("sorts members, since the provider stores a set and order must not cause diffs", () => {
    const json = synth((s) => new SlackUserGroup(s, "team", { name: "n", handle: "h", description: "d", members: ["U2BBBBBBB", "U1AAAAAAA"] }));
    expect(Object.values<any>(json.resource.slack_usergroup)[0].users).toEqual(["U1AAAAAAA", "U2BBBBBBB"]);
  });
});
