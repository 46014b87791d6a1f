import { describe, expect, it } from "vitest";
import type { StackSpec } from "../lib/plan/stack-plan";
import type { RehearsalFinding } from "../lib/rehearsal/types";
import { validateStack } from "../lib/rehearsal/validity";

/*
 * Small synthesized stacks, each compliant or broken in one way the validity check owns; the
 * broken ones must fail with the message Terraform (or AWS) would give.
 */

const spec: StackSpec = { name: "fixture", kind: "network", account: "network", region: "ap-northeast-1", workspaceFactory: "workspaces" };

const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }] });

/** A small valid stack: a role, a policy naming the role, a cluster reading both, a lookup and an output. */
function stack(): any {
  return {
    terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } },
    provider: { aws: [{ region: "ap-northeast-1" }, { alias: "network", region: "ap-northeast-1" }] },
    variable: { suffix: { type: "string" } },
    data: { aws_subnets: { private: { filter: [{ name: "tag:tier", values: ["private"] }] } } },
    resource: {
      aws_iam_role: { cluster: { name: "cluster-${var.suffix}", assume_role_policy: TRUST } },
      aws_iam_role_policy: {
        logs: {
          role: "${aws_iam_role.cluster.name}",
          policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: "arn:aws:logs:*:*:log-group:${aws_iam_role.cluster.name}:*" }] }),
        },
      },
      aws_eks_cluster: {
        main: {
          name: "main",
          role_arn: "${aws_iam_role.cluster.arn}",
          vpc_config: [{ subnet_ids: "${data.aws_subnets.private.ids}" }],
          depends_on: ["aws_iam_role_policy.logs"],
          provider: "aws.network",
        },
      },
      aws_cloudformation_stack_set: { trust: { name: "trust", template_body: "{\"Fn::Sub\": \"role-$${Suffix}\"}" } },
    },
    output: { ca: { value: "${aws_eks_cluster.main.certificate_authority[0].data}" }, sg: { value: "${aws_eks_cluster.main.vpc_config[0].cluster_security_group_id}" } },
    moved: [{ from: "aws_iam_role.old", to: "aws_iam_role.cluster" }],
    import: [{ to: "aws_eks_cluster.main", id: "main" }],
  };
}

function findings(json: any): RehearsalFinding[] {
  return validateStack({ spec, json, wave: 0 });
}

function messages(json: any): string[] {
  return findings(json).map((f) => `${f.address}: ${f.message}`);
}

describe("the validity check", () => {
  it("passes a valid stack: references to resources, data sources, variables, nested computed attributes, aliases, moved and import", () => {
    expect(messages(stack())).toEqual([]);
  });

  it("reports a reference to an undeclared resource, and to an attribute its type does not have", () => {
    const json = stack();
    json.resource.aws_eks_cluster.main.role_arn = "${aws_iam_role.clustr.arn}";
    json.output.ca.value = "${aws_eks_cluster.main.certificate_authority[0].dta}";
    expect(messages(json)).toEqual([
      'aws_eks_cluster.main: Bad reference "aws_iam_role.clustr.arn" in "role_arn": Reference to undeclared resource "aws_iam_role.clustr" (did you mean "aws_iam_role.cluster"?)',
      'output.ca: Bad reference "aws_eks_cluster.main.certificate_authority[0].dta" in "value": Unsupported attribute: this object does not have an attribute named "dta" (did you mean "data"?)',
    ]);
    expect(findings(json)[0]).toMatchObject({ class: "validity", stack: "fixture" });
  });

  it("reports an unknown argument, a read-only one, and an unknown argument inside a nested block", () => {
    const json = stack();
    json.resource.aws_eks_cluster.main.vpc_config[0].subnet_id = [];
    json.resource.aws_eks_cluster.main.nme = "x";
    json.resource.aws_eks_cluster.main.arn = "arn:aws:eks:ap-northeast-1:1:cluster/main";
    expect(messages(json)).toEqual([
      'aws_eks_cluster.main: Unsupported argument: an argument named "vpc_config.subnet_id" is not expected here (did you mean "subnet_ids"?)',
      'aws_eks_cluster.main: Unsupported argument: an argument named "nme" is not expected here (did you mean "name"?)',
      'aws_eks_cluster.main: Invalid argument "arn": it is read-only (computed by the provider) and cannot be set',
    ]);
  });

  it("reports a literal value of the wrong shape for its argument's type", () => {
    const json = stack();
    json.resource.aws_eks_cluster.main.enabled_cluster_log_types = "api";
    json.resource.aws_eks_cluster.main.tags = { team: ["platform"] };
    json.resource.aws_eks_cluster.main.name = ["main"];
    expect(messages(json)).toEqual([
      'aws_eks_cluster.main: Incorrect attribute value type for "name": string required, a list given',
      'aws_eks_cluster.main: Incorrect attribute value type for "enabled_cluster_log_types": set required, a string given',
      'aws_eks_cluster.main: Incorrect attribute value type for "tags": string required, a list given',
    ]);
  });

  it("reports a missing required argument and a missing required block", () => {
    const json = stack();
    delete json.resource.aws_eks_cluster.main.role_arn;
    delete json.resource.aws_eks_cluster.main.vpc_config;
    expect(messages(json)).toEqual([
      'aws_eks_cluster.main: Missing required argument: the argument "role_arn" is required, but no definition was found',
      'aws_eks_cluster.main: Insufficient "vpc_config" blocks: at least 1 required, 0 given',
    ]);
  });

  it("reports a literal ${ that Terraform would read as an interpolation (CloudFormation's ${Suffix})", () => {
    const json = stack();
    json.resource.aws_cloudformation_stack_set.trust.template_body = "{\"Fn::Sub\": \"role-${Suffix}\"}";
    expect(messages(json)).toEqual([
      'aws_cloudformation_stack_set.trust: Bad escaping in "template_body": "${Suffix}" is read by Terraform as an interpolation (Invalid reference); a literal "${" must be written "$${" in the JSON',
    ]);
  });

  it("reports malformed IAM policy JSON and a statement AWS would refuse", () => {
    const json = stack();
    json.resource.aws_iam_role.cluster.assume_role_policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\"}";
    json.resource.aws_iam_role_policy.logs.policy = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Permit", Action: "logs:PutLogEvents" } });
    const found = messages(json);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^aws_iam_role.cluster: Malformed policy document in "assume_role_policy": not valid JSON/);
    expect(found.slice(1)).toEqual([
      'aws_iam_role_policy.logs: Malformed policy document in "policy": Statement[0]: "Effect" is "Permit"; it must be "Allow" or "Deny"',
      'aws_iam_role_policy.logs: Malformed policy document in "policy": Statement[0]: has neither "Resource" nor "NotResource", which an identity policy requires',
    ]);
  });

  it("reports a trust policy without a principal and an identity policy with one", () => {
    const json = stack();
    json.resource.aws_iam_role.cluster.assume_role_policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole" }] });
    json.resource.aws_iam_role_policy.logs.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] });
    expect(messages(json)).toEqual([
      'aws_iam_role.cluster: Malformed policy document in "assume_role_policy": Statement[0]: has neither "Principal" nor "NotPrincipal", which a role trust policy requires',
      'aws_iam_role_policy.logs: Malformed policy document in "policy": Statement[0]: has a Principal, which an identity policy must not have',
    ]);
  });

  it("reports unknown types, undeclared provider aliases and bad depends_on, moved and import addresses", () => {
    const json = stack();
    json.resource.aws_eks_clustr = { x: { name: "x" } };
    json.resource.aws_eks_cluster.main.provider = "aws.netwrk";
    json.resource.aws_eks_cluster.main.depends_on = ["aws_iam_role_policy.log"];
    json.moved = [{ from: "aws_iam_role.cluster", to: "aws_iam_role.gone" }];
    json.import = [{ to: "aws_eks_cluster.other", id: "other" }];
    expect(messages(json)).toEqual([
      'aws_eks_cluster.main: Provider configuration not present: "aws.netwrk" is not configured in this stack',
      'aws_eks_cluster.main: Invalid depends_on: "aws_iam_role_policy.log" is not declared in this stack',
      'aws_eks_clustr.x: Invalid resource type: provider hashicorp/aws has no resource type "aws_eks_clustr" at its pinned version',
      'moved aws_iam_role.cluster -> aws_iam_role.gone: Moved object to an undeclared address: "aws_iam_role.gone" is not declared in this stack',
      'moved aws_iam_role.cluster -> aws_iam_role.gone: Moved object still exists: "aws_iam_role.cluster" is still declared in this stack',
      'import aws_eks_cluster.other: Import to an undeclared resource: "aws_eks_cluster.other" is not declared in this stack',
    ]);
  });

  it("checks a dynamic block's content against the nested block it names, its iterator in scope", () => {
    const json = stack();
    json.data.aws_subnets.private.dynamic = { filter: { for_each: "${var.suffix}", content: { name: "${filter.key}", values: "${filter.value}" } } };
    expect(messages(json)).toEqual([]);
    json.data.aws_subnets.private.dynamic.filter.content = { nme: "${filter.key}" };
    json.data.aws_subnets.private.dynamic.filtr = { for_each: "${var.suffix}", content: {} };
    expect(messages(json)).toEqual([
      'data.aws_subnets.private: Unsupported argument: an argument named "filter.nme" is not expected here (did you mean "name"?)',
      'data.aws_subnets.private: Missing required argument: the argument "filter.name" is required, but no definition was found',
      'data.aws_subnets.private: Missing required argument: the argument "filter.values" is required, but no definition was found',
      'data.aws_subnets.private: Unsupported block type: a dynamic block "filtr" names no nested block of this type (did you mean "filter"?)',
    ]);
  });

  it("reports what it cannot model as not checked, never as a pass", () => {
    const json = stack();
    json.terraform.required_providers.random = { source: "hashicorp/random" };
    json.terraform.required_providers.aws.version = "6.26.0";
    json.resource.random_id = { suffix: { byte_length: 4 } };
    json.resource.aws_iam_role_policy.logs.policy = "{\"Version\": \"2012-10-17\", \"Statement\": ${jsonencode(var.statements)}}";
    const notChecked = findings(json).filter((f) => f.class === "not-checked");
    expect(notChecked.map((f) => f.message)).toEqual([
      'not checked: "policy": the document is assembled by an expression, so its JSON is only known at apply',
      "not checked: the stack pins hashicorp/aws 6.26.0, but the schema here is of 6.25.0; arguments were checked against 6.25.0",
      "not checked: provider hashicorp/random has no schema here (no @cdktf/provider-* package or hand-written binding), so its resources, arguments and references are not validated",
    ]);
  });
});
