import { EGRESS_VPC_TAGS } from "../../lib/plan/network";
import type { ResourceView, Rule, StackView } from "../rule.js";
import { referencedName } from "../references.js";

const GATEWAYS = new Set(["aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_internet_gateway_attachment"]);

/** Whether `vpcRef` names a VPC of this stack tagged as the egress VPC. */
function isEgressVpc(stack: StackView, vpcRef: unknown): boolean {
  const name = referencedName(vpcRef, "aws_vpc");
  const vpc = stack.resources.find((r) => r.type === "aws_vpc" && r.name === name);
  return !!vpc && Object.entries(EGRESS_VPC_TAGS).every(([k, v]) => vpc.config.tags?.[k] === v);
}

/** An internet gateway is allowed only in a network stack, on its egress VPC (directly or by attachment). */
function allowed(stack: StackView, r: ResourceView): boolean {
  if (stack.kind !== "network" || r.type === "aws_egress_only_internet_gateway") return false;
  if (r.config.vpc_id !== undefined) return isEgressVpc(stack, r.config.vpc_id);
  // A detached gateway is fine when every attachment of it goes to the egress VPC.
  const attachments = stack.resources.filter((a) => a.type === "aws_internet_gateway_attachment" && referencedName(a.config.internet_gateway_id, "aws_internet_gateway") === r.name);
  return attachments.length > 0 && attachments.every((a) => isEgressVpc(stack, a.config.vpc_id));
}

/**
 * All traffic to the internet leaves through the central egress VPC, where it is logged:
 * no other VPC may have an internet gateway (or an egress-only one).
 */
export const noInternetGateway: Rule = {
  id: "network/no-internet-gateway",
  pack: "network",
  severity: "error",
  description: "internet gateways exist only on the egress VPC of a network stack",
  check: (stack) =>
    stack.resources
      .filter((r) => GATEWAYS.has(r.type) && !allowed(stack, r))
      .map((r) => ({
        path: r.path,
        message: `${r.type} "${r.name}" gives a VPC its own way to the internet, bypassing the central egress and its flow logs`,
        fix: "remove it; the VPC reaches the internet through its Transit Gateway attachment (default route to the TGW)",
      })),
};
