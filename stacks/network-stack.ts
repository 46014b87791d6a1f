import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { DataAwsOrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit";
import { Ec2TransitGatewayRoute } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { configBucketName } from "../lib/plan/log-archive";
import { DirectConnectAssociation } from "../constructs/direct-connect-association.js";
import { EgressVpc } from "../constructs/egress-vpc.js";
import { SegmentAssociationRole } from "../constructs/segment-association-role.js";
import { TransitGatewayHub } from "../constructs/transit-gateway-hub.js";
import { TransitGatewayPeering } from "../constructs/transit-gateway-peering.js";
import {
  APPLY_ROLE_PATTERN, associateRoleName, PLAN_ROLE_PATTERN, readRoleName, egressVpcName, HUB_TABLE, networkLogBucketArn, peeringName, peersOwnedBy,
  propagationTables, segmentOus, segmentRoutes, transitGatewayName,
} from "../lib/plan/network";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

const cidrId = (cidr: string) => cidr.replace(/[./]/g, "-");

/**
 * The network account in one region: the Transit Gateway hub shared with the organization,
 * one route table per segment, the central egress VPC, on-premises routes, the association
 * roles service stacks use, and the peerings with earlier regions.
 *
 * Nothing here depends on the services: a service stack attaches its own VPC and joins its
 * segment through the segment's association role, so adding a service never changes this stack.
 */
export class NetworkStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const region = this.spec.region!;
    const net = p.network;
    this.awsProvider({}, { accountId: this.platformAccountId() });
    new AccountBaseline(this, "baseline", { configBucketName: configBucketName(this.model.platform, this.spec.region!), accountGlobal: this.spec.primary === true });

    // The organization (any member may describe it) is the share's principal and the roles' trust boundary.
    const org = new DataAwsOrganizationsOrganization(this, "organization", {});
    const tgwName = transitGatewayName(p, region);
    const hub = new TransitGatewayHub(this, "transit-gateway", {
      name: tgwName,
      asn: net.asns[region],
      shareWith: org.arn,
      routeTables: [...net.segments, HUB_TABLE],
    });
    const tables = hub.routeTables;
    const tableIds = new Map([...tables].map(([name, t]) => [name, t.id]));

    const pools = Object.values(net.pools[region] ?? {}).sort();
    const egress = new EgressVpc(this, "egress", {
      name: egressVpcName(p, region),
      cidr: net.egress[region]!,
      availabilityZoneCount: net.availabilityZones,
      transitGatewayId: hub.resource.id,
      hubRouteTableId: tables.get(HUB_TABLE)!.id,
      returnCidrs: pools,
      flowLogBucketArn: networkLogBucketArn(p, region),
    });

    const dx = net.onPremises.directConnectGatewayId === undefined ? undefined : new DirectConnectAssociation(this, "direct-connect", {
      directConnectGatewayId: net.onPremises.directConnectGatewayId,
      transitGatewayId: hub.resource.id,
      allowedPrefixes: [...pools, net.egress[region]!],
      hubRouteTableId: tables.get(HUB_TABLE)!.id,
    });

    for (const segment of [...net.segments].sort()) {
      const table = tables.get(segment)!;
      new Ec2TransitGatewayRoute(this, `${segment}-default`, { transitGatewayRouteTableId: table.id, destinationCidrBlock: "0.0.0.0/0", transitGatewayAttachmentId: egress.attachment.id });
      // Without Direct Connect, on-premises ranges are dropped here rather than sent towards the internet.
      for (const cidr of [...net.onPremises.cidrs].sort()) {
        new Ec2TransitGatewayRoute(this, `${segment}-on-premises-${cidrId(cidr)}`, {
          transitGatewayRouteTableId: table.id,
          destinationCidrBlock: cidr,
          ...(dx ? { transitGatewayAttachmentId: dx.attachmentId } : { blackhole: true }),
        });
      }
    }
    for (const r of segmentRoutes(p, region, region)) {
      new Ec2TransitGatewayRoute(this, `${r.table}-isolate-${cidrId(r.cidr)}`, { transitGatewayRouteTableId: tables.get(r.table)!.id, destinationCidrBlock: r.cidr, blackhole: true });
    }

    this.associationRoles(org, tables, region);

    for (const peer of peersOwnedBy(p, region)) {
      new TransitGatewayPeering(this, `peering-${peer}`, {
        name: peeringName(p, region, peer),
        transitGatewayId: hub.resource.id,
        localTableIds: tableIds,
        hubTable: HUB_TABLE,
        peerRegion: peer,
        peerAccountId: p.accounts.network.id,
        peerTransitGatewayName: transitGatewayName(p, peer),
        localRoutes: segmentRoutes(p, region, peer),
        peerRoutes: segmentRoutes(p, peer, region),
      });
    }
  }

  /**
   * One role per segment that service stacks assume to associate their own attachment. The
   * trust names the segment's OUs by path (`aws:PrincipalOrgPaths`): the OU IDs are looked up
   * by name under the organization root, the same documented lookup the accounts stacks use.
   */
  private associationRoles(org: DataAwsOrganizationsOrganization, tables: TransitGatewayHub["routeTables"], region: string): void {
    const p = this.model.platform;
    const rootId = org.roots.get(0).id;
    const ous = new Map<string, DataAwsOrganizationsOrganizationalUnit>();
    const ouPath = (name: string) => {
      if (!ous.has(name)) ous.set(name, new DataAwsOrganizationsOrganizationalUnit(this, `ou-${name}`, { name, parentId: rootId }));
      return `${org.id}/${rootId}/${ous.get(name)!.id}/*`;
    };
    for (const segment of [...p.network.segments].sort()) {
      const members = segmentOus(p, segment);
      if (members.length === 0) continue; // no account can join this segment, so no one may assume its role
      new SegmentAssociationRole(this, `associate-${segment}`, {
        roleName: associateRoleName(segment, region),
        segment,
        associationTableArn: tables.get(segment)!.arn,
        propagationTableArns: propagationTables(p, segment).map((t) => tables.get(t)!.arn),
        attachmentArnPattern: `arn:aws:ec2:${region}:${p.accounts.network.id}:transit-gateway-attachment/*`,
        organizationId: org.id,
        principalOrgPaths: members.map(ouPath),
        principalArnPattern: `arn:aws:iam::*:role/${APPLY_ROLE_PATTERN}`,
        readRoleName: readRoleName(segment, region),
        readPrincipalArnPattern: `arn:aws:iam::*:role/${PLAN_ROLE_PATTERN}`,
      });
    }
  }
}
