import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { SEGMENT_TAG } from "../lib/plan/network";

export interface SegmentAssociationRoleProps {
  /** Role name (see `lib/plan/network.ts` `associateRoleName`). */
  readonly roleName: string;
  /** The segment; attachments carry it as the tag `segment` (`lib/plan/network.ts` SEGMENT_TAG). */
  readonly segment: string;
  /** ARN of the segment's route table, the only table attachments may be associated with. */
  readonly associationTableArn: string;
  /** ARNs of the route tables the segment's attachments propagate into. */
  readonly propagationTableArns: readonly string[];
  /** ARN pattern of the Transit Gateway's attachments, e.g. `arn:aws:ec2:<region>:<account>:transit-gateway-attachment/*`. */
  readonly attachmentArnPattern: string;
  /** Organization ID (`o-...`); only its principals may assume the role. */
  readonly organizationId: string;
  /** `aws:PrincipalOrgPaths` of the OUs whose accounts join the segment (`o-.../r-.../ou-.../*`). */
  readonly principalOrgPaths: readonly string[];
  /** ARN pattern of the roles that may assume it, e.g. `arn:aws:iam::*:role/tfc-apply-*`. */
  readonly principalArnPattern: string;
  /** Name of the read-only twin (see `lib/plan/network.ts` `readRoleName`). */
  readonly readRoleName: string;
  /** ARN pattern of the roles that may assume the twin, e.g. `arn:aws:iam::*:role/tfc-plan-*`. */
  readonly readPrincipalArnPattern: string;
}

/**
 * The pair of roles a service stack assumes in the network account: the association role, to
 * join its own attachment to its segment (apply phase), and its read-only twin, which the
 * plan phase assumes to read the Transit Gateway and its tables (plans run as the workspace's
 * read-only plan role, and every provider is configured in the plan too). It lets the network
 * stack stay unchanged when a service is added (no per-service resources there), while a service can only ever reach its own segment's tables: the trust
 * admits apply roles of accounts in the segment's OUs, and the policy names those tables only,
 * and attachments tagged with the segment only. Disassociate/Disable are allowed too, because
 * Terraform needs them to retire an attachment.
 */
export class SegmentAssociationRole extends Construct {
  readonly resource: IamRole;
  /** The read-only twin, trusted by the plan roles of the same accounts. */
  readonly readRole: IamRole;

  constructor(scope: Construct, id: string, props: SegmentAssociationRoleProps) {
    super(scope, id);
    const trustOf = (id: string, sid: string, principalArnPattern: string) => new DataAwsIamPolicyDocument(this, id, {
      statement: [{
        sid,
        actions: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [
          { test: "StringEquals", variable: "aws:PrincipalOrgID", values: [props.organizationId] },
          { test: "ForAnyValue:StringLike", variable: "aws:PrincipalOrgPaths", values: [...props.principalOrgPaths] },
          { test: "ArnLike", variable: "aws:PrincipalArn", values: [principalArnPattern] },
        ],
      }],
    });
    const trust = trustOf("trust", "SegmentApplyRoles", props.principalArnPattern);
    this.resource = new IamRole(this, "Resource", {
      name: props.roleName,
      description: "Associates a service's own TGW attachment with its segment (assumed by service stacks)",
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });

    // Tables by ARN; attachments only when tagged with this segment. A service stack tags its
    // own attachment once (an untagged attachment, with this segment's value only), so a run of
    // one segment can neither join another segment's attachment to its tables nor drop one.
    const ownSegment = [{ test: "StringEquals", variable: `ec2:ResourceTag/${SEGMENT_TAG}`, values: [props.segment] }];
    const readStatement = {
      sid: "ReadTransitGateway",
      actions: [
        "ec2:DescribeTransitGateways", "ec2:DescribeTransitGatewayRouteTables", "ec2:DescribeTransitGatewayAttachments",
        "ec2:DescribeTransitGatewayVpcAttachments", "ec2:GetTransitGatewayRouteTableAssociations", "ec2:GetTransitGatewayRouteTablePropagations",
      ],
      // Describe/Get calls do not support resource-level permissions.
      resources: ["*"],
    };
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AssociateWithSegmentTable",
          actions: ["ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable"],
          resources: [props.associationTableArn],
        },
        {
          sid: "PropagateIntoReachableTables",
          actions: ["ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation"],
          resources: [...props.propagationTableArns],
        },
        {
          sid: "OwnSegmentAttachmentsOnly",
          actions: [
            "ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable",
            "ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation",
          ],
          resources: [props.attachmentArnPattern],
          condition: ownSegment,
        },
        {
          sid: "TagUntaggedAttachmentWithThisSegment",
          actions: ["ec2:CreateTags"],
          resources: [props.attachmentArnPattern],
          condition: [
            { test: "StringEquals", variable: `aws:RequestTag/${SEGMENT_TAG}`, values: [props.segment] },
            { test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: [SEGMENT_TAG] },
            { test: "Null", variable: `ec2:ResourceTag/${SEGMENT_TAG}`, values: ["true"] },
          ],
        },
        readStatement,
      ],
    });
    new IamRolePolicy(this, "policy-attachment", { role: this.resource.name, name: "segment-association", policy: policy.json });

    this.readRole = new IamRole(this, "read", {
      name: props.readRoleName,
      description: "Reads the Transit Gateway and its segment tables for the plans of service stacks",
      assumeRolePolicy: trustOf("read-trust", "SegmentPlanRoles", props.readPrincipalArnPattern).json,
      maxSessionDuration: 3600,
    });
    const readPolicy = new DataAwsIamPolicyDocument(this, "read-policy", { statement: [readStatement] });
    new IamRolePolicy(this, "read-policy-attachment", { role: this.readRole.name, name: "segment-read", policy: readPolicy.json });
  }
}
