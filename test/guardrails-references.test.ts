import { rmSync } from "node:fs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { noCrossStackReference } from "../guardrails/rules/no-cross-stack-reference.js";
import { buildApp, findingsOf } from "../synth.js";
import { exampleModel } from "./helpers.js";
import { scratchDir } from "./scratch.js";

function stackOf(json: Record<string, unknown>) {
  return stackView("s", "service", "svc", json);
}

describe("network/no-cross-stack-reference", () => {
  it("accepts references to resources and data sources of the same stack", () => {
    const json = {
      data: { aws_caller_identity: { me: {} } },
      resource: {
        aws_vpc: { vpc: {} },
        aws_subnet: { a: { vpc_id: "${aws_vpc.vpc.id}", tags: { owner: "${data.aws_caller_identity.me.account_id}" } } },
      },
    };
    expect(evaluate([noCrossStackReference], stackOf(json))).toEqual([]);
  });

  it("ignores Terraform's own names (var, local, each) and plain strings", () => {
    const json = { resource: { aws_subnet: { a: { vpc_id: "${var.vpc_id}", cidr_block: "${local.cidr}", tags: { note: "see aws_vpc.other in the docs" } } } } };
    expect(evaluate([noCrossStackReference], stackOf(json))).toEqual([]);
  });

  it("flags a reference to a resource the stack does not hold, with its path", () => {
    const json = { resource: { aws_subnet: { a: { "//": { metadata: { path: "s/a" } }, vpc_id: "${aws_vpc.elsewhere.id}" } } } };
    expect(evaluate([noCrossStackReference], stackOf(json))).toEqual([
      expect.objectContaining({ ruleId: "network/no-cross-stack-reference", path: "s/a", message: expect.stringContaining("aws_vpc.elsewhere") }),
    ]);
  });

  it("fails a synth in which one stack refers to another stack's resource", () => {
    const out = scratchDir("xref-");
    try {
      const app = buildApp(exampleModel(), out);
      const source = new SqsQueue(app.node.findChild("service-ledger-ap-northeast-1") as Construct, "source-queue", {});
      new SqsQueue(app.node.findChild("service-payments-ap-northeast-1") as Construct, "dependent-queue", { name: source.name });
      app.synth();
      expect(findingsOf(app)).toContainEqual(expect.objectContaining({ ruleId: "network/no-cross-stack-reference", path: "service-payments-ap-northeast-1/dependent-queue" }));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
