import { DataAwsEc2TransitGateway } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway";
import { DataAwsEc2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-route-table";
import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { Ec2TransitGatewayRouteTablePropagation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { SEGMENT_TAG } from "../lib/plan/network";

export interface TransitGatewayAttachmentProps {
  /** `Name` tag of the attachment. */
  readonly name: string;
  readonly vpcId: string;
  /** One subnet per AZ; the attachment puts an interface in each. */
  readonly subnetIds: readonly string[];
  /**
   * Provider for the network account, assuming the segment's association role
   * (`lib/plan/network.ts` `associateRoleArn`); the lookups and the association run through it.
   */
  readonly networkProvider: TerraformProvider;
  /** `Name` tag of the region's Transit Gateway (`lib/plan/network.ts` `transitGatewayName`). */
  readonly transitGatewayName: string;
  /** `Name` tag of the route table to associate with (the service's segment). */
  readonly associationTableName: string;
  /** `Name` tags of the route tables to propagate the VPC's CIDR into. */
  readonly propagationTableNames: readonly string[];
  /** The service's segment, tagged on the attachment in the network account before any association. */
  readonly segment: string;
}

/**
 * Attaches a VPC to the region's shared Transit Gateway and joins it to its segment.
 *
 * The Transit Gateway lives in the network stack, which is never referenced. It is found in
 * two steps: by its `Name` tag through the network account (the one documented lookup; RAM
 * does not share tags), then by that ID through this account's own provider. The second read
 * only succeeds once the RAM share has reached this account, and the attachment takes the
 * ID from it, so Terraform creates the attachment only after the share is accepted (within
 * the organization, RAM accepts it automatically when the network stack applies).
 *
 * The association and propagations are made here, through the segment's association role,
 * rather than in the network stack, so adding a service changes no platform stack.
 */
export class TransitGatewayAttachment extends Construct {
  readonly resource: Ec2TransitGatewayVpcAttachment;
  /** The shared Transit Gateway's ID, as this account sees it. */
  readonly transitGatewayId: string;

  constructor(scope: Construct, id: string, props: TransitGatewayAttachmentProps) {
    super(scope, id);
    const owned = new DataAwsEc2TransitGateway(this, "transit-gateway", {
      provider: props.networkProvider,
      filter: [{ name: "tag:Name", values: [props.transitGatewayName] }, { name: "state", values: ["available"] }],
    });
    const shared = new DataAwsEc2TransitGateway(this, "shared-transit-gateway", { id: owned.id });
    this.transitGatewayId = shared.id;

    this.resource = new Ec2TransitGatewayVpcAttachment(this, "Resource", {
      transitGatewayId: shared.id,
      vpcId: props.vpcId,
      subnetIds: [...props.subnetIds],
      dnsSupport: "enable",
      tags: { Name: props.name },
    });

    // One lookup per route table name, shared by the association and the propagations.
    const tables = new Map<string, DataAwsEc2TransitGatewayRouteTable>();
    const table = (name: string) => {
      if (!tables.has(name)) {
        tables.set(name, new DataAwsEc2TransitGatewayRouteTable(this, `route-table-${name}`, {
          provider: props.networkProvider,
          filter: [{ name: "transit-gateway-id", values: [owned.id] }, { name: "tag:Name", values: [name] }],
        }));
      }
      return tables.get(name)!;
    };
    // The segment association role acts only on attachments tagged with its segment (tags are
    // per account: this one is the network account's view of the attachment).
    const segmentTag = new Ec2Tag(this, "segment-tag", {
      provider: props.networkProvider,
      resourceId: this.resource.id,
      key: SEGMENT_TAG,
      value: props.segment,
    });
    new Ec2TransitGatewayRouteTableAssociation(this, "association", {
      provider: props.networkProvider,
      dependsOn: [segmentTag],
      transitGatewayAttachmentId: this.resource.id,
      transitGatewayRouteTableId: table(props.associationTableName).id,
    });
    for (const name of [...new Set(props.propagationTableNames)].sort()) {
      new Ec2TransitGatewayRouteTablePropagation(this, `propagation-${name}`, {
        provider: props.networkProvider,
        dependsOn: [segmentTag],
        transitGatewayAttachmentId: this.resource.id,
        transitGatewayRouteTableId: table(name).id,
      });
    }
  }
}
