import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/log-archive.js";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The network account in one region: Transit Gateway hub, segment route tables and central egress. */
export class NetworkStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    this.awsProvider({}, { accountId: this.platformAccountId() });
    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(this.model.platform, this.spec.region!), accountGlobal: this.spec.primary === true });
  }
}
