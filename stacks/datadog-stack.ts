import { DatadogProvider } from "@cdktf/provider-datadog/lib/provider";
import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The Datadog organization's people: one user per developer. */
export class DatadogStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    // Keys come from the workspace's sensitive DD_API_KEY and DD_APP_KEY variables.
    new DatadogProvider(this, "datadog", { apiUrl: this.model.platform.datadog.apiUrl });
  }
}
