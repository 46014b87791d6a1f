import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/log-archive.js";
import { SlackCommandFunction } from "../constructs/slack-command-function.js";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The shared cluster account in one region: the multi-tenant EKS cluster. */
export class ClusterStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    this.awsProvider({}, { accountId: this.platformAccountId() });
    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(this.model.platform, this.spec.region!), accountGlobal: this.spec.primary === true });
    // The platform's own small services run in the cluster account (the management, log,
    // security and network accounts hold no workloads); once, in the primary region.
    if (this.spec.region === this.model.platform.regions[0]) {
      const gh = this.model.platform.github;
      new SlackCommandFunction(this, "slack-command", { repository: `${gh.organization}/${gh.repository}` });
    }
  }
}
