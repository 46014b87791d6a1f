import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Ec2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table";
import { RamPrincipalAssociation } from "@cdktf/provider-aws/lib/ram-principal-association";
import { RamResourceAssociation } from "@cdktf/provider-aws/lib/ram-resource-association";
import { RamResourceShare } from "@cdktf/provider-aws/lib/ram-resource-share";
import { Construct } from "constructs";

export interface TransitGatewayHubProps {
  /** `Name` tag; other stacks look the Transit Gateway up by it. */
  readonly name: string;
  /**
   * Private ASN of the Amazon side.
   * @default 64512
   */
  readonly asn?: number;
  /** Principal the Transit Gateway is shared with (an organization or OU ARN). */
  readonly shareWith: string;
  /** Route tables to create, by name (segments and the hub); each gets the `Name` tag `<name>-<table>`. */
  readonly routeTables: readonly string[];
}

/**
 * A region's Transit Gateway, shared with the organization through RAM, with one route table
 * per segment. Shared attachments are accepted automatically (the share only reaches the
 * organization), and nothing is associated or propagated by default: every attachment states
 * its segment, so a forgotten association isolates a VPC instead of joining it to everything.
 */
export class TransitGatewayHub extends Construct {
  readonly resource: Ec2TransitGateway;
  readonly share: RamResourceShare;
  /** Route tables by name. */
  readonly routeTables: ReadonlyMap<string, Ec2TransitGatewayRouteTable>;

  constructor(scope: Construct, id: string, props: TransitGatewayHubProps) {
    super(scope, id);
    this.resource = new Ec2TransitGateway(this, "Resource", {
      description: props.name,
      amazonSideAsn: props.asn ?? 64512,
      autoAcceptSharedAttachments: "enable",
      defaultRouteTableAssociation: "disable",
      defaultRouteTablePropagation: "disable",
      dnsSupport: "enable",
      vpnEcmpSupport: "enable",
      tags: { Name: props.name },
    });

    this.share = new RamResourceShare(this, "share", { name: props.name, allowExternalPrincipals: false, tags: { Name: props.name } });
    new RamResourceAssociation(this, "share-transit-gateway", { resourceShareArn: this.share.arn, resourceArn: this.resource.arn });
    new RamPrincipalAssociation(this, "share-principal", { resourceShareArn: this.share.arn, principal: props.shareWith });

    const tables = new Map<string, Ec2TransitGatewayRouteTable>();
    for (const table of [...props.routeTables].sort()) {
      tables.set(table, new Ec2TransitGatewayRouteTable(this, `route-table-${table}`, {
        transitGatewayId: this.resource.id,
        tags: { Name: `${props.name}-${table}`, segment: table },
      }));
    }
    this.routeTables = tables;
  }
}
