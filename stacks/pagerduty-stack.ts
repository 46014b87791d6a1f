import { PagerdutyProvider } from "@cdktf/provider-pagerduty/lib/provider";
import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The PagerDuty account's people: one user per developer. */
export class PagerdutyStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    // The token comes from the workspace's sensitive PAGERDUTY_TOKEN variable.
    new PagerdutyProvider(this, "pagerduty", {});
  }
}
