import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { serviceSubnets } from "../lib/plan/cidr";
import { RETIRED_VPC_TAGS } from "../lib/plan/network";
import type { TransitGatewayAttachment } from "./transit-gateway-attachment.js";
import { VpcFlowLog } from "./vpc-flow-log.js";

export interface ServiceVpcProps {
  /** `Name` tag of the VPC. */
  readonly name: string;
  /** The VPC's CIDR from the address plan (`ServiceModel.vpcCidrs`). */
  readonly cidr: string;
  /** Availability zones to spread the private subnets over. */
  readonly availabilityZoneCount: number;
  /** Where the VPC's flow logs go: the log archive bucket and folder (`lib/plan/network.ts` `flowLogDestinationArn`). */
  readonly flowLogDestinationArn: string;
  /**
   * Extra tags of the private subnets, e.g. the ones EKS expects when a cluster runs in them.
   * @default - the `Name` tag only
   */
  readonly subnetTags?: Readonly<Record<string, string>>;
  /**
   * A retired service's VPC stays (it may hold data) but gets no attachment.
   * @default false
   */
  readonly retired?: boolean;
}

/**
 * A VPC of private subnets only, attached to the Transit Gateway: a service's VPC, and the
 * shared cluster's VPC in the cluster account. Private subnets only, one per AZ, and no internet gateway. Its only way out
 * is the Transit Gateway (`routeDefaultTo`), so all its traffic passes the segment's route
 * table and the central egress. Flow logs go to the log archive. The attachment uses these
 * same subnets: separate attachment subnets would get the same route table (everything to the
 * Transit Gateway), so they would cost addresses and add nothing.
 */
export class ServiceVpc extends Construct {
  readonly resource: Vpc;
  readonly subnets: readonly Subnet[];
  /** IDs of the private subnets, one per AZ in AZ order: a cluster in the same stack runs in them. */
  readonly privateSubnetIds: string[];
  readonly routeTable: RouteTable;

  constructor(scope: Construct, id: string, props: ServiceVpcProps) {
    super(scope, id);
    const layout = serviceSubnets(props.cidr, props.availabilityZoneCount);
    const zones = new DataAwsAvailabilityZones(this, "zones", { state: "available", filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });

    this.resource = new Vpc(this, "Resource", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name, ...(props.retired ? RETIRED_VPC_TAGS : {}) },
    });
    new VpcFlowLog(this, "flow-log", { vpcId: this.resource.id, destinationArn: props.flowLogDestinationArn });

    this.routeTable = new RouteTable(this, "routes", { vpcId: this.resource.id, tags: { Name: `${props.name}-private` } });
    // AZ ids are ordinals (az1, az2, ...): the subnet layout is a function of the count.
    this.subnets = layout.map((cidr, i) => {
      const az = `az${i + 1}`;
      const subnet = new Subnet(this, `private-${az}`, {
        vpcId: this.resource.id,
        cidrBlock: cidr,
        availabilityZone: Fn.element(zones.names, i),
        mapPublicIpOnLaunch: false,
        tags: { ...props.subnetTags, Name: `${props.name}-private-${az}` },
      });
      new RouteTableAssociation(this, `private-${az}-routes`, { subnetId: subnet.id, routeTableId: this.routeTable.id });
      return subnet;
    });
    this.privateSubnetIds = this.subnets.map((subnet) => subnet.id);
  }

  /** Sends everything outside the VPC to the Transit Gateway, once the attachment exists. */
  routeDefaultTo(attachment: TransitGatewayAttachment): Route {
    return new Route(this, "default-route", {
      routeTableId: this.routeTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      transitGatewayId: attachment.transitGatewayId,
      dependsOn: [attachment.resource],
    });
  }
}
