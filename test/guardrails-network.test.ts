import { describe, expect, it } from "vitest";
import { evaluate, stackView } from "../guardrails/evaluate.js";
import { noInternetGateway } from "../guardrails/rules/no-internet-gateway.js";
import { serviceVpcAttached } from "../guardrails/rules/service-vpc-attached.js";

const meta = (name: string) => ({ "//": { metadata: { path: `s/${name}/Resource` } } });
/** A stack of the given kind holding `resource` (type -> name -> config), in synthesized form. */
function stack(kind: string, resource: Record<string, Record<string, Record<string, unknown>>>) {
  const withMeta = Object.fromEntries(Object.entries(resource).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).map(([n, c]) => [n, { ...meta(n), ...c }]))]));
  return stackView("s", kind, kind === "service" ? "svc" : undefined, { resource: withMeta });
}

describe("network/no-internet-gateway", () => {
  it("accepts an internet gateway on the egress VPC of a network stack", () => {
    const s = stack("network", { aws_vpc: { egress: { tags: { "network-role": "egress" } } }, aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.egress.id}" } } });
    expect(evaluate([noInternetGateway], s)).toEqual([]);
  });

  it("flags an internet gateway in a service stack", () => {
    const s = stack("service", { aws_vpc: { vpc: { tags: {} } }, aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.vpc.id}" } } });
    expect(evaluate([noInternetGateway], s)).toEqual([expect.objectContaining({ ruleId: "network/no-internet-gateway", severity: "error", path: "s/igw/Resource" })]);
  });

  it("flags an internet gateway on a network stack's VPC that is not the egress VPC", () => {
    const s = stack("network", { aws_vpc: { other: { tags: { Name: "inspection" } } }, aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.other.id}" } } });
    expect(evaluate([noInternetGateway], s)).toHaveLength(1);
  });

  it("flags an egress-only internet gateway, even on the egress VPC", () => {
    const s = stack("network", { aws_vpc: { egress: { tags: { "network-role": "egress" } } }, aws_egress_only_internet_gateway: { eigw: { vpc_id: "${aws_vpc.egress.id}" } } });
    expect(evaluate([noInternetGateway], s)).toEqual([expect.objectContaining({ path: "s/eigw/Resource" })]);
  });

  it("flags a detached internet gateway attached to a non-egress VPC by a separate attachment", () => {
    const s = stack("cluster", {
      aws_vpc: { vpc: { tags: {} } },
      aws_internet_gateway: { igw: {} },
      aws_internet_gateway_attachment: { attach: { internet_gateway_id: "${aws_internet_gateway.igw.id}", vpc_id: "${aws_vpc.vpc.id}" } },
    });
    expect(evaluate([noInternetGateway], s).map((f) => f.path).sort()).toEqual(["s/attach/Resource", "s/igw/Resource"]);
  });
});

describe("network/service-vpc-attached", () => {
  it("accepts a service VPC with a Transit Gateway attachment", () => {
    const s = stack("service", { aws_vpc: { vpc: { tags: {} } }, aws_ec2_transit_gateway_vpc_attachment: { tgw: { vpc_id: "${aws_vpc.vpc.id}" } } });
    expect(evaluate([serviceVpcAttached], s)).toEqual([]);
  });

  it("flags a service VPC without an attachment", () => {
    const s = stack("service", { aws_vpc: { vpc: { tags: {} } } });
    expect(evaluate([serviceVpcAttached], s)).toEqual([expect.objectContaining({ ruleId: "network/service-vpc-attached", severity: "error", path: "s/vpc/Resource" })]);
  });

  it("flags the VPC left out when a stack's only attachment is for another VPC", () => {
    const s = stack("service", { aws_vpc: { a: { tags: {} }, b: { tags: {} } }, aws_ec2_transit_gateway_vpc_attachment: { tgw: { vpc_id: "${aws_vpc.a.id}" } } });
    expect(evaluate([serviceVpcAttached], s).map((f) => f.path)).toEqual(["s/b/Resource"]);
  });

  it("accepts a retired service's detached VPC", () => {
    const s = stack("service", { aws_vpc: { vpc: { tags: { retired: "true" } } } });
    expect(evaluate([serviceVpcAttached], s)).toEqual([]);
  });
});
