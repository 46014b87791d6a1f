import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";

export interface SegmentAssociationRoleProps {
  /** Role name (see `lib/plan/network.ts` `associateRoleName`). */
  readonly roleName: string;
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
  /**
   * Apply roles of platform stacks that join the segment, admitted by their exact ARN whatever
   * OU their account is in (the shared cluster's VPC joins `shared` from the cluster account).
   * @default - none
   */
  readonly platformPrincipalArns?: readonly string[];
}

/**
 * The role a service stack assumes in the network account to join its own attachment to its
 * segment. It lets the network stack stay unchanged when a service is added (no per-service
 * resources there), while a service can only ever reach its own segment's tables: the trust
 * admits apply roles of accounts in the segment's OUs, and the policy names those tables only.
 * Disassociate/Disable are allowed too, because Terraform needs them to retire an attachment.
 */
export class SegmentAssociationRole extends Construct {
  readonly resource: IamRole;

  constructor(scope: Construct, id: string, props: SegmentAssociationRoleProps) {
    super(scope, id);
    const statement: DataAwsIamPolicyDocumentStatement[] = [];
    if (props.principalOrgPaths.length > 0) {
      statement.push({
        sid: "SegmentApplyRoles",
        actions: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [
          { test: "StringEquals", variable: "aws:PrincipalOrgID", values: [props.organizationId] },
          { test: "ForAnyValue:StringLike", variable: "aws:PrincipalOrgPaths", values: [...props.principalOrgPaths] },
          { test: "ArnLike", variable: "aws:PrincipalArn", values: [props.principalArnPattern] },
        ],
      });
    }
    const platform = [...(props.platformPrincipalArns ?? [])].sort();
    if (platform.length > 0) {
      // By condition rather than as principals: IAM refuses a trust naming a role that does not exist yet.
      statement.push({
        sid: "PlatformApplyRoles",
        actions: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [
          { test: "StringEquals", variable: "aws:PrincipalOrgID", values: [props.organizationId] },
          { test: "ArnEquals", variable: "aws:PrincipalArn", values: platform },
        ],
      });
    }
    const trust = new DataAwsIamPolicyDocument(this, "trust", { statement });
    this.resource = new IamRole(this, "Resource", {
      name: props.roleName,
      description: "Associates a service's own TGW attachment with its segment (assumed by service stacks)",
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });

    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AssociateWithSegmentTable",
          actions: ["ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable"],
          resources: [props.associationTableArn, props.attachmentArnPattern],
        },
        {
          sid: "PropagateIntoReachableTables",
          actions: ["ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation"],
          resources: [...props.propagationTableArns, props.attachmentArnPattern],
        },
        {
          sid: "ReadTransitGateway",
          actions: [
            "ec2:DescribeTransitGateways", "ec2:DescribeTransitGatewayRouteTables", "ec2:DescribeTransitGatewayAttachments",
            "ec2:DescribeTransitGatewayVpcAttachments", "ec2:GetTransitGatewayRouteTableAssociations", "ec2:GetTransitGatewayRouteTablePropagations",
          ],
          // Describe/Get calls do not support resource-level permissions.
          resources: ["*"],
        },
      ],
    });
    new IamRolePolicy(this, "policy-attachment", { role: this.resource.name, name: "segment-association", policy: policy.json });
  }
}
