import type { Rule } from "./rule.js";
import { noInternetGateway } from "./rules/no-internet-gateway.js";
import { serviceVpcAttached } from "./rules/service-vpc-attached.js";
import { statefulProtected } from "./rules/stateful-protected.js";

/** Every rule that runs on every synth, grouped by pack in each rule's `pack`. */
export const RULES: readonly Rule[] = [
  statefulProtected,
  noInternetGateway,
  serviceVpcAttached,
];
