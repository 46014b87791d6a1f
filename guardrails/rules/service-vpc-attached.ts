import { RETIRED_VPC_TAGS } from "../../lib/plan/network";
import type { Rule } from "../rule.js";
import { referencedName } from "../references.js";

/**
 * A service VPC is reachable only through the Transit Gateway, so every VPC of a service
 * stack has an attachment. A retired service's VPC (tagged retired) is detached on purpose.
 */
export const serviceVpcAttached: Rule = {
  id: "network/service-vpc-attached",
  pack: "network",
  severity: "error",
  description: "every VPC of a service stack has a Transit Gateway attachment",
  check: (stack) => {
    if (stack.kind !== "service") return [];
    const attached = new Set(stack.resources
      .filter((r) => r.type === "aws_ec2_transit_gateway_vpc_attachment")
      .map((r) => referencedName(r.config.vpc_id, "aws_vpc")));
    return stack.resources
      .filter((r) => r.type === "aws_vpc" && !attached.has(r.name))
      .filter((r) => !Object.entries(RETIRED_VPC_TAGS).every(([k, v]) => r.config.tags?.[k] === v))
      .map((r) => ({
        path: r.path,
        message: `aws_vpc "${r.name}" has no Transit Gateway attachment, so it is cut off from its segment and the egress`,
        fix: "create the VPC with constructs/service-vpc.ts and attach it with constructs/transit-gateway-attachment.ts",
      }));
  },
};
