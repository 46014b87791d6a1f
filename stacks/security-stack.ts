import type { Construct } from "constructs";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** The security account in one region: delegated administration of the organization's security services. */
export class SecurityStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    this.awsProvider({}, { accountId: this.platformAccountId() });
  }
}
