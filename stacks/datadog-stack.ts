import { DataDatadogRole } from "@cdktf/provider-datadog/lib/data-datadog-role";
import { DatadogProvider } from "@cdktf/provider-datadog/lib/provider";
import { User } from "@cdktf/provider-datadog/lib/user";
import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/**
 * The Datadog organization's people: one user per developer with the role they chose from the
 * platform's allow-list. Service teams live in their service stacks and find these users by
 * email, so this stack never changes when a service is added.
 */
export class DatadogStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    // Keys come from the workspace's sensitive DD_API_KEY and DD_APP_KEY variables.
    new DatadogProvider(this, "datadog", { apiUrl: this.model.platform.datadog.apiUrl });

    // Roles are Datadog's (built-in or custom) and found by name: one lookup per allowed role,
    // not per role in use, so a developer leaving never changes anything but their own user.
    const roleIds = new Map<string, string>();
    for (const role of [...new Set(this.model.platform.datadog.roles)].sort()) {
      roleIds.set(role, new DataDatadogRole(this, `role-${slugOf(role)}`, { filter: role }).id);
    }
    for (const d of this.model.developers) {
      new User(this, `user-${d.key}`, { email: d.email, name: d.name, roles: [roleIds.get(d.datadogRole)!], sendUserInvitation: true });
    }
  }
}

/** A construct id for a role name ("Datadog Standard Role" -> "datadog-standard-role"). */
function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
