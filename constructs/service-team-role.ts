import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";

export interface ServiceTeamRoleProps {
  /** Role name; the Kubernetes access entry maps it to the namespace's group by this name. */
  readonly name: string;
  /** Exact ARNs of the owners' bastion roles, the only principals that may assume this role. */
  readonly trustedRoleArns: readonly string[];
  /**
   * AWS managed policies attached to the role.
   * @default ["arn:aws:iam::aws:policy/ReadOnlyAccess"] - changes go through config and Terraform; people read and debug
   */
  readonly managedPolicyArns?: readonly string[];
  /** Longest session in seconds. @default 3600 */
  readonly maxSessionDuration?: number;
  /** Tags on the role. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The service team's role in the service's own account. It trusts each owner's bastion role
 * by exact ARN (never the bastion account root), so removing an owner from config removes
 * their way in, and no one else's.
 */
export class ServiceTeamRole extends Construct {
  readonly resource: IamRole;

  constructor(scope: Construct, id: string, props: ServiceTeamRoleProps) {
    super(scope, id);
    const policies = props.managedPolicyArns ?? ["arn:aws:iam::aws:policy/ReadOnlyAccess"];
    if (props.trustedRoleArns.length === 0) throw new Error(`ServiceTeamRole ${id}: a team role needs at least one trusted role`);
    const trust = {
      Version: "2012-10-17",
      Statement: [{
        Sid: "OwnersBastionRoles",
        Effect: "Allow",
        Principal: { AWS: [...props.trustedRoleArns].sort() },
        Action: "sts:AssumeRole",
      }],
    };
    this.resource = new IamRole(this, "Resource", {
      name: props.name,
      description: "Service team access, assumed from the owners' bastion roles",
      assumeRolePolicy: JSON.stringify(trust),
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      tags: { ...props.tags },
    });
    for (const arn of [...policies].sort()) {
      new IamRolePolicyAttachment(this, `policy-${arn.split("/").pop()}`, { role: this.resource.name, policyArn: arn });
    }
  }
}
