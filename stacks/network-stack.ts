import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The network account in one region: Transit Gateway hub, segment route tables and central egress. */
export class NetworkStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    this.awsProvider({}, { accountId: this.platformAccountId() });
  }
}
