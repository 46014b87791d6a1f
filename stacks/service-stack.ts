import type { Construct } from "constructs";
import type { ServiceModel } from "../lib/model.js";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";
import { addServiceRuntime } from "./service-runtime.js";

/**
 * One region of one service, in the service's own account. The primary region (the first in
 * the service's `regions`) also holds the account-wide and SaaS objects, so they exist once.
 */
export class ServiceStack extends PlatformStack {
  readonly service: ServiceModel;
  /** Whether this is the service's first region. */
  readonly primary: boolean;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    this.service = this.model.services.find((s) => s.key === this.spec.service)!;
    this.primary = this.service.regions[0] === this.spec.region;
    // No allowedAccountIds: the account ID is only known once vended; the workspace's dynamic
    // credentials can only reach this service's account.
    this.awsProvider({ service: this.service.key, owners: this.service.owners.join(" ") });
    addServiceRuntime(this);
  }
}
