import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/plan/log-archive";
import { ServiceVpc } from "../constructs/service-vpc.js";
import { TransitGatewayAttachment } from "../constructs/transit-gateway-attachment.js";
import type { ServiceModel } from "../lib/config/model";
import { clusterSubnetTags, dedicatedClusterName } from "../lib/plan/cluster";
import { associateRoleArn, flowLogDestinationArn, propagationTables, readRoleArn, routeTableName, transitGatewayName } from "../lib/plan/network";
import { originalKey } from "../lib/plan/stack-plan";
import { TEAM_BOUNDARY_NAME, teamBoundary } from "../lib/plan/team-access";
import { TeamBoundary } from "../constructs/team-boundary.js";
import type { ServiceTeamRole } from "../constructs/service-team-role.js";
import type { Route } from "@cdktf/provider-aws/lib/route";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";
import { addServiceTeams } from "./service-teams.js";
import { addServiceRuntime } from "./service-runtime.js";

/**
 * One region of one service, in the service's own account. The primary region (the first in
 * the service's `regions`) also holds the account-wide and SaaS objects, so they exist once.
 */
export class ServiceStack extends PlatformStack {
  readonly service: ServiceModel;
  /** Whether this is the service's first region. */
  readonly primary: boolean;
  /** The service's VPC in this region (a dedicated cluster runs in its private subnets). */
  vpc?: ServiceVpc;
  /** The VPC's route out through the Transit Gateway; undefined when retired (detached). */
  defaultRoute?: Route;
  /** The team role, in the primary region of an active service (referenced by the dedicated cluster's access entry). */
  teamRole?: ServiceTeamRole;
  /** The account this stack runs in, as the provider sees it. */
  caller!: DataAwsCallerIdentity;
  /** The account's permissions boundary, in the primary region (lib/plan/team-access.ts). */
  boundary?: TeamBoundary;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    this.service = this.model.services.find((s) => s.key === this.spec.service)!;
    // A removed service's stack holds nothing: its `removed` blocks come from its retired twin (state-blocks.ts).
    this.primary = this.spec.primary === true;
    if (this.spec.tombstoned) return;
    // No allowedAccountIds: the account ID is only known once vended; the workspace's dynamic
    // credentials can only reach this service's account.
    this.awsProvider({ service: this.service.key, owners: this.service.owners.join(" ") });
    // The security baseline, in the account's own stack: regional parts here, global parts in the primary region.
    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(this.model.platform, this.spec.region!), accountGlobal: this.primary });
    this.caller = new DataAwsCallerIdentity(this, "caller", {});
    if (this.primary) {
      // Kept when the service retires: IAM refuses to delete a policy roles still use as their boundary.
      this.boundary = new TeamBoundary(this, "team-boundary", {
        name: TEAM_BOUNDARY_NAME,
        document: teamBoundary(this.model.platform, this.caller.accountId),
        tags: { service: this.service.key },
      });
      this.teamRole = addServiceTeams(this, this.model, this.service, { boundaryArn: this.boundary.resource.arn, accountId: this.caller.accountId });
    }
    this.network();
    addServiceRuntime(this);
  }

  /**
   * The service's VPC, attached to the region's Transit Gateway and joined to its segment
   * through the network account's association role for that segment. A retired service keeps
   * its VPC but is detached.
   */
  private network(): void {
    const p = this.model.platform;
    const s = this.service;
    const region = this.spec.region!;
    const vpc = new ServiceVpc(this, "vpc", {
      name: `${s.key}-${region}`,
      cidr: s.vpcCidrs[region]!,
      availabilityZoneCount: p.network.availabilityZones,
      flowLogDestinationArn: flowLogDestinationArn(p, region),
      // A dedicated cluster runs in these subnets; its load balancers find them by these tags.
      subnetTags: s.kubernetes.tenancy === "dedicated" ? clusterSubnetTags(dedicatedClusterName(originalKey(s), region)) : undefined,
      retired: s.retired,
    });
    this.vpc = vpc;
    if (s.retired) return;
    const networkProvider = this.awsProvider({ service: s.key, owners: s.owners.join(" ") }, { alias: "network", accountId: p.accounts.network.id, assumeRoles: { plan: readRoleArn(p, s.segment, region), apply: associateRoleArn(p, s.segment, region) } });
    const attachment = new TransitGatewayAttachment(this, "transit-gateway-attachment", {
      name: `${s.key}-${region}`,
      vpcId: vpc.resource.id,
      subnetIds: vpc.subnets.map((subnet) => subnet.id),
      networkProvider,
      transitGatewayName: transitGatewayName(p, region),
      associationTableName: routeTableName(p, region, s.segment),
      propagationTableNames: propagationTables(p, s.segment).map((t) => routeTableName(p, region, t)),
      segment: s.segment,
    });
    this.defaultRoute = vpc.routeDefaultTo(attachment);
  }
}
