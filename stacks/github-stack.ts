import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The GitHub organization's people: memberships and organization-wide teams. */
export class GithubStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    // The token comes from the workspace's sensitive GITHUB_TOKEN variable.
    new GithubProvider(this, "github", { owner: this.model.platform.github.organization });
  }
}
