import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Fn, Lazy, TerraformIterator, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { withFastResolve } from "../stacks/fast-resolve.js";
import { stackJson } from "../stacks/stack-json.js";
import { PlatformStack } from "../stacks/platform-stack.js";
import { buildApp } from "../synth.js";
import { exampleModel } from "./helpers.js";

/**
 * A stack's JSON as cdktf builds and resolves it, and as PlatformStack builds it: with the fast
 * resolver, cdktf's build (`fast`) and the project's own (`own`, stacks/stack-json.ts).
 */
function bothWays(stack: TerraformStack): { cdktf: string; fast: string; own: string } {
  const plain = () => JSON.stringify(TerraformStack.prototype.toTerraform.call(stack), null, 2);
  return { cdktf: plain(), fast: withFastResolve(plain), own: withFastResolve(() => JSON.stringify(stackJson(stack), null, 2)) };
}

describe("withFastResolve", () => {
  it("writes every stack of the fixture organization byte for byte as cdktf's resolver does", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fast-resolve-"));
    try {
      const app = buildApp(exampleModel(), dir);
      const stacks = app.node.children.filter((c): c is PlatformStack => c instanceof PlatformStack);
      expect(stacks.length).toBeGreaterThan(30);
      for (const stack of stacks) {
        const { cdktf, fast, own } = bothWays(stack);
        expect(fast, stack.spec.name).toBe(cdktf);
        expect(own, stack.spec.name).toBe(cdktf);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("hands tokens of every kind to cdktf: references, lazy values, numbers, lists, maps, functions, escapes", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "fast-resolve-")), skipValidation: true });
    const stack = new TerraformStack(app, "tokens");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const names = new TerraformVariable(stack, "names", { type: "list(string)" });
    const tags = new TerraformVariable(stack, "tags", { type: "map(string)" });
    const count = new TerraformVariable(stack, "count", { type: "number" });
    const role = new IamRole(stack, "role", {
      name: `prefix-${Fn.element(names.listValue, 0)}`,
      assumeRolePolicy: Fn.jsonencode({ Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      maxSessionDuration: Token.asNumber(count.value),
      tags: tags.value as Record<string, string>,
      description: Lazy.stringValue({ produce: () => "made late" }),
      path: "/literal/${not.a.token}/",
      managedPolicyArns: names.listValue,
    });
    role.addOverride("inline_policy", [{ name: "x", policy: Lazy.anyValue({ produce: () => ({ a: [1, 2.5e3, undefined, "1e5"] }) }) }]);
    new TerraformLocal(stack, "mixed", { list: [names.listValue, Token.asList(Fn.keys(tags.value))], n: [1, Token.asNumber(count.value)], plain: { a: undefined, b: null, c: false, d: "x" } });
    new TerraformOutput(stack, "arn", { value: `${role.arn}:${Fn.upper(role.name)}` });
    const { cdktf, fast, own } = bothWays(stack);
    expect(fast).toBe(cdktf);
    expect(own).toBe(cdktf);
    // The stack really held tokens: cdktf turned them into Terraform expressions.
    expect(cdktf).toContain("${element(var.names, 0)}");
    expect(cdktf).toContain("made late");
  });

  it("builds elements with every meta-argument, overrides, dynamic blocks, moves and imports as cdktf does", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "fast-resolve-")), skipValidation: true });
    const stack = new TerraformStack(app, "meta");
    new AwsProvider(stack, "aws", { region: "eu-west-1", defaultTags: [{ tags: { OwnerTeam: "a", costCenter: "b" } }], assumeRole: [{ roleArn: "arn:aws:iam::1:role/x", sessionName: "s" }] });
    const aliased = new AwsProvider(stack, "aws-us", { region: "us-east-1", alias: "us" });
    aliased.addOverride("skip_region_validation", true);
    const names = new TerraformVariable(stack, "names", { type: "list(string)" });
    const first = new S3Bucket(stack, "first", { bucket: "first", tags: { camelKey: "kept" } });
    const identity = new DataAwsCallerIdentity(stack, "me", { provider: aliased, dependsOn: [first] });
    const iterator = TerraformIterator.fromList(names.listValue);
    new S3Bucket(stack, "each", { forEach: iterator, bucket: iterator.value, provider: aliased });
    const second = new S3Bucket(stack, "second", {
      bucket: `second-${identity.accountId}`,
      count: 2,
      dependsOn: [first],
      lifecycle: { createBeforeDestroy: true, preventDestroy: false, ignoreChanges: ["tags"], replaceTriggeredBy: [first], precondition: [{ condition: "true", errorMessage: "never" }] },
    });
    second.addOverride("lifecycle.ignore_changes", ["bucket"]);
    second.addOverride("versioning.enabled", true);
    const policies = TerraformIterator.fromList(names.listValue);
    new IamRole(stack, "dynamic", { assumeRolePolicy: "{}", inlinePolicy: policies.dynamic({ name: policies.value, policy: "{}" }) });
    const moved = new S3Bucket(stack, "moved", { bucket: "moved" });
    new S3Bucket(stack, "target", { bucket: "target" }).addMoveTarget("there");
    moved.moveTo("there");
    new S3Bucket(stack, "imported", { bucket: "imported" }).importFrom("imported");
    const { cdktf, own } = bothWays(stack);
    expect(own).toBe(cdktf);
    // Each feature really reached the JSON.
    for (const part of ['"depends_on"', '"for_each"', '"create_before_destroy"', '"error_message"', '"replace_triggered_by"', '"dynamic"', '"moved"', '"import"', '"alias": "us"', '"skip_region_validation"', '"OwnerTeam"', '"role_arn"', '"camelKey"']) expect(cdktf).toContain(part);
  });

  it("leaves a stack with overrides of its own to cdktf", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "fast-resolve-")), skipValidation: true });
    const stack = new TerraformStack(app, "overridden");
    new TerraformOutput(stack, "o", { value: "v" });
    expect(stackJson(stack)).toBeDefined();
    stack.addOverride("terraform.required_version", ">= 1.5");
    expect(stackJson(stack)).toBeUndefined();
  });

  it("puts cdktf's resolver back, also when the work throws", () => {
    const original = Tokenization.resolve;
    expect(() => withFastResolve(() => {
      expect(Tokenization.resolve).not.toBe(original);
      throw new Error("inside");
    })).toThrow("inside");
    expect(Tokenization.resolve).toBe(original);
  });
});
