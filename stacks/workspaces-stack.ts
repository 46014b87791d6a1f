import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The Terraform Cloud workspace factory for the platform's own stacks. */
export class WorkspacesStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    // The token comes from the workspace's sensitive TFE_TOKEN variable.
    new TfeProvider(this, "tfe", { organization: this.model.platform.terraformCloud.organization });
  }
}
