import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { egressSubnets } from "../lib/plan/cidr";
import { EGRESS_VPC_TAGS } from "../lib/plan/network";
import { VpcFlowLog } from "./vpc-flow-log.js";

export interface EgressVpcProps {
  /** `Name` tag of the VPC. */
  readonly name: string;
  readonly cidr: string;
  /** Availability zones to spread over; one NAT gateway in each. */
  readonly availabilityZoneCount: number;
  readonly transitGatewayId: string;
  /** TGW route table the egress attachment is associated with (the hub table). */
  readonly hubRouteTableId: string;
  /** Address space behind the Transit Gateway that replies from the internet must return to. */
  readonly returnCidrs: readonly string[];
  /** Where the VPC's flow logs go: the log archive bucket and folder (`lib/plan/network.ts` `flowLogDestinationArn`). */
  readonly flowLogDestinationArn: string;
}

/**
 * The region's one way out to the internet: the Transit Gateway delivers every segment's
 * default route to private subnets here, each AZ's NAT gateway translates, and the internet
 * gateway sends it out. One NAT per AZ keeps an AZ failure from cutting the others off, and
 * flow logs record every connection leaving the organization.
 */
export class EgressVpc extends Construct {
  readonly resource: Vpc;
  readonly attachment: Ec2TransitGatewayVpcAttachment;

  constructor(scope: Construct, id: string, props: EgressVpcProps) {
    super(scope, id);
    const layout = egressSubnets(props.cidr, props.availabilityZoneCount);
    const zones = new DataAwsAvailabilityZones(this, "zones", { state: "available", filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });

    this.resource = new Vpc(this, "Resource", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name, ...EGRESS_VPC_TAGS },
    });
    const igw = new InternetGateway(this, "internet-gateway", { vpcId: this.resource.id, tags: { Name: props.name } });
    new VpcFlowLog(this, "flow-log", { vpcId: this.resource.id, destinationArn: props.flowLogDestinationArn });

    const publicSubnets: Subnet[] = [];
    const privateSubnets: Subnet[] = [];
    const nats: NatGateway[] = [];
    // AZ ids are ordinals (az1, az2, ...): the subnet layout is a function of the count.
    for (let i = 0; i < props.availabilityZoneCount; i++) {
      const az = `az${i + 1}`;
      const zone = Fn.element(zones.names, i);
      const pub = new Subnet(this, `public-${az}`, { vpcId: this.resource.id, cidrBlock: layout.public[i]!, availabilityZone: zone, mapPublicIpOnLaunch: false, tags: { Name: `${props.name}-public-${az}` } });
      const ip = new Eip(this, `nat-ip-${az}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${az}` }, dependsOn: [igw] });
      nats.push(new NatGateway(this, `nat-${az}`, { allocationId: ip.allocationId, subnetId: pub.id, connectivityType: "public", tags: { Name: `${props.name}-${az}` }, dependsOn: [igw] }));
      publicSubnets.push(pub);
      privateSubnets.push(new Subnet(this, `private-${az}`, { vpcId: this.resource.id, cidrBlock: layout.private[i]!, availabilityZone: zone, tags: { Name: `${props.name}-private-${az}` } }));
    }

    this.attachment = new Ec2TransitGatewayVpcAttachment(this, "attachment", {
      transitGatewayId: props.transitGatewayId,
      vpcId: this.resource.id,
      subnetIds: privateSubnets.map((s) => s.id),
      dnsSupport: "enable",
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      tags: { Name: props.name },
    });
    new Ec2TransitGatewayRouteTableAssociation(this, "attachment-hub", { transitGatewayAttachmentId: this.attachment.id, transitGatewayRouteTableId: props.hubRouteTableId });

    // Public subnets: out through the internet gateway; replies to the organization's VPCs back through the TGW.
    const publicTable = new RouteTable(this, "public-routes", { vpcId: this.resource.id, tags: { Name: `${props.name}-public` } });
    new Route(this, "public-default", { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    for (const cidr of [...props.returnCidrs].sort()) {
      new Route(this, `public-return-${cidr.replace(/[./]/g, "-")}`, { routeTableId: publicTable.id, destinationCidrBlock: cidr, transitGatewayId: props.transitGatewayId, dependsOn: [this.attachment] });
    }
    // Private subnets (where the TGW delivers): everything to the NAT gateway of the same AZ.
    for (let i = 0; i < props.availabilityZoneCount; i++) {
      const az = `az${i + 1}`;
      new RouteTableAssociation(this, `public-${az}-routes`, { subnetId: publicSubnets[i]!.id, routeTableId: publicTable.id });
      const table = new RouteTable(this, `private-${az}-routes`, { vpcId: this.resource.id, tags: { Name: `${props.name}-private-${az}` } });
      new Route(this, `private-${az}-default`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[i]!.id });
      new RouteTableAssociation(this, `private-${az}-association`, { subnetId: privateSubnets[i]!.id, routeTableId: table.id });
    }
  }
}
