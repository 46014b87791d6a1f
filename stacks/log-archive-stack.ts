import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The log archive account in one region: organization trail and Config delivery buckets. */
export class LogArchiveStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    this.awsProvider({}, { accountId: this.platformAccountId() });
  }
}
