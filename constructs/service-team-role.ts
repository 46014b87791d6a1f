import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";

export interface ServiceTeamRoleProps {
  /** Role name; the Kubernetes access entry maps it to the namespace's group by this name. */
  readonly name: string;
  /** Exact ARNs of the owners' bastion roles, the only principals that may assume this role. */
  readonly trustedRoleArns: readonly string[];
  /**
   * AWS managed policies attached to the role.
   * @default ["arn:aws:iam::aws:policy/ReadOnlyAccess"] - people read and debug; changes go through Terraform
   */
  readonly managedPolicyArns?: readonly string[];
  /** Inline policies by name (what a level adds to its managed policy). @default {} */
  readonly inlinePolicies?: Readonly<Record<string, object>>;
  /**
   * ARN of the permissions boundary the role carries; every role it creates must carry the same.
   * @default - none
   */
  readonly permissionsBoundaryArn?: string;
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
      permissionsBoundary: props.permissionsBoundaryArn,
      tags: { ...props.tags },
    });
    for (const arn of [...policies].sort()) {
      new IamRolePolicyAttachment(this, `policy-${arn.split("/").pop()}`, { role: this.resource.name, policyArn: arn });
    }
    for (const [name, document] of Object.entries(props.inlinePolicies ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      new IamRolePolicy(this, `inline-${name}`, { role: this.resource.name, name, policy: JSON.stringify(document) });
    }
  }
}
