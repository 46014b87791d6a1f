import { PagerdutyProvider } from "@cdktf/provider-pagerduty/lib/provider";
import { User } from "@cdktf/provider-pagerduty/lib/user";
import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The PagerDuty account's people: one user per developer with their base role. Service teams
 * and escalation policies live in their service stacks and find these users by email.
 */
export class PagerdutyStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    // The token comes from the workspace's sensitive PAGERDUTY_TOKEN variable.
    new PagerdutyProvider(this, "pagerduty", {});
    for (const d of this.model.developers) {
      new User(this, `user-${d.key}`, { name: d.name, email: d.email, role: d.pagerdutyRole });
    }
  }
}
