import { DataAwsEc2TransitGatewayDxGatewayAttachment } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-dx-gateway-attachment";
import { DxGatewayAssociation } from "@cdktf/provider-aws/lib/dx-gateway-association";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { Construct } from "constructs";

export interface DirectConnectAssociationProps {
  /** The Direct Connect gateway (in the network account) that reaches on-premises. */
  readonly directConnectGatewayId: string;
  readonly transitGatewayId: string;
  /** Prefixes advertised to on-premises: the region's pools and egress VPC. */
  readonly allowedPrefixes: readonly string[];
  /** TGW route table that routes traffic arriving from on-premises (the hub table). */
  readonly hubRouteTableId: string;
}

/**
 * Joins the region's Transit Gateway to the Direct Connect gateway, so the on-premises
 * routes of every segment table have an attachment to point at. AWS creates the attachment
 * itself when the association is made; it is read back by Transit Gateway and gateway ID.
 */
export class DirectConnectAssociation extends Construct {
  readonly resource: DxGatewayAssociation;
  /** ID of the Transit Gateway attachment of the Direct Connect gateway. */
  readonly attachmentId: string;

  constructor(scope: Construct, id: string, props: DirectConnectAssociationProps) {
    super(scope, id);
    this.resource = new DxGatewayAssociation(this, "Resource", {
      dxGatewayId: props.directConnectGatewayId,
      associatedGatewayId: props.transitGatewayId,
      allowedPrefixes: [...props.allowedPrefixes].sort(),
    });
    const attachment = new DataAwsEc2TransitGatewayDxGatewayAttachment(this, "attachment", {
      transitGatewayId: props.transitGatewayId,
      dxGatewayId: props.directConnectGatewayId,
      dependsOn: [this.resource],
    });
    this.attachmentId = attachment.id;
    new Ec2TransitGatewayRouteTableAssociation(this, "attachment-hub", { transitGatewayAttachmentId: attachment.id, transitGatewayRouteTableId: props.hubRouteTableId });
  }
}
