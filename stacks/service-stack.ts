import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/log-archive.js";
import type { ServiceModel } from "../lib/model.js";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";
import { addServiceTeams } from "./service-teams.js";

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
    // The security baseline, in the account's own stack: regional parts here, global parts in the primary region.
    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(this.model.platform, this.spec.region!), accountGlobal: this.primary });
    if (this.primary) addServiceTeams(this, this.model, this.service);
  }
}
