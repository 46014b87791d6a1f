import { DataAwsEc2TransitGateway } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway";
import { DataAwsEc2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-route-table";
import { Ec2TransitGatewayPeeringAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment";
import { Ec2TransitGatewayPeeringAttachmentAccepter } from "@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment-accepter";
import { Ec2TransitGatewayRoute } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { Construct } from "constructs";

/** A static route toward the other side of the peering, or a blackhole for a segment that must not reach it. */
export interface PeeringRoute {
  /** Route table (segment) name on the side the route is in. */
  readonly table: string;
  readonly cidr: string;
  readonly blackhole: boolean;
}

export interface TransitGatewayPeeringProps {
  /** `Name` tag of the peering attachment. */
  readonly name: string;
  readonly transitGatewayId: string;
  /** Local route tables by name (segments and the hub). */
  readonly localTableIds: ReadonlyMap<string, string>;
  /** Name of the hub table on both sides: traffic arriving over the peering is routed by it. */
  readonly hubTable: string;
  readonly peerRegion: string;
  /** The peer Transit Gateway's account (the network account). */
  readonly peerAccountId: string;
  /** `Name` tag of the peer Transit Gateway; its route tables are tagged `<name>-<table>`. */
  readonly peerTransitGatewayName: string;
  /** Routes in the local tables toward the peer region's pools. */
  readonly localRoutes: readonly PeeringRoute[];
  /** Routes in the peer's tables toward this region's pools. */
  readonly peerRoutes: readonly PeeringRoute[];
}

/**
 * Peers this region's Transit Gateway with another region's, and routes between them.
 *
 * Both ends live in the one stack that owns the pair (the later region's, see
 * `lib/plan/network.ts` `peersOwnedBy`): it requests the peering, accepts it in the peer region
 * (resources carry `region`), and writes the static routes on both sides, finding the peer's
 * Transit Gateway and route tables by their `Name` tags. Peering attachments carry only
 * static routes, so segment isolation is kept by blackholes at the sending side, and arriving
 * traffic is routed by the hub table, which every attachment propagates into.
 */
export class TransitGatewayPeering extends Construct {
  readonly resource: Ec2TransitGatewayPeeringAttachment;

  constructor(scope: Construct, id: string, props: TransitGatewayPeeringProps) {
    super(scope, id);
    const peer = new DataAwsEc2TransitGateway(this, "peer-transit-gateway", {
      region: props.peerRegion,
      filter: [{ name: "tag:Name", values: [props.peerTransitGatewayName] }, { name: "owner-id", values: [props.peerAccountId] }],
    });
    this.resource = new Ec2TransitGatewayPeeringAttachment(this, "Resource", {
      transitGatewayId: props.transitGatewayId,
      peerTransitGatewayId: peer.id,
      peerRegion: props.peerRegion,
      peerAccountId: props.peerAccountId,
      tags: { Name: props.name },
    });
    const accepter = new Ec2TransitGatewayPeeringAttachmentAccepter(this, "accepter", {
      region: props.peerRegion,
      transitGatewayAttachmentId: this.resource.id,
      tags: { Name: props.name },
    });

    const peerTables = new Map<string, DataAwsEc2TransitGatewayRouteTable>();
    const peerTable = (name: string) => {
      if (!peerTables.has(name)) {
        peerTables.set(name, new DataAwsEc2TransitGatewayRouteTable(this, `peer-route-table-${name}`, {
          region: props.peerRegion,
          filter: [{ name: "transit-gateway-id", values: [peer.id] }, { name: "tag:Name", values: [`${props.peerTransitGatewayName}-${name}`] }],
        }));
      }
      return peerTables.get(name)!;
    };

    new Ec2TransitGatewayRouteTableAssociation(this, "local-hub", {
      transitGatewayAttachmentId: this.resource.id,
      transitGatewayRouteTableId: props.localTableIds.get(props.hubTable)!,
      dependsOn: [accepter],
    });
    new Ec2TransitGatewayRouteTableAssociation(this, "peer-hub", {
      region: props.peerRegion,
      transitGatewayAttachmentId: accepter.transitGatewayAttachmentId,
      transitGatewayRouteTableId: peerTable(props.hubTable).id,
    });

    const routeId = (side: string, r: PeeringRoute) => `${side}-${r.table}-${r.cidr.replace(/[./]/g, "-")}`;
    for (const r of props.localRoutes) {
      new Ec2TransitGatewayRoute(this, routeId("local", r), {
        transitGatewayRouteTableId: props.localTableIds.get(r.table)!,
        destinationCidrBlock: r.cidr,
        ...(r.blackhole ? { blackhole: true } : { transitGatewayAttachmentId: this.resource.id }),
        dependsOn: [accepter],
      });
    }
    for (const r of props.peerRoutes) {
      new Ec2TransitGatewayRoute(this, routeId("peer", r), {
        region: props.peerRegion,
        transitGatewayRouteTableId: peerTable(r.table).id,
        destinationCidrBlock: r.cidr,
        ...(r.blackhole ? { blackhole: true } : { transitGatewayAttachmentId: accepter.transitGatewayAttachmentId }),
      });
    }
  }
}
