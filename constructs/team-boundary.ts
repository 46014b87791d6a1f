import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";

export interface TeamBoundaryProps {
  /** Policy name; roles name it in their `permissions_boundary`, and the document names itself by it. */
  readonly name: string;
  /** The boundary document (lib/plan/team-access.ts `teamBoundary`). */
  readonly document: object;
  /** Tags on the policy. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The permissions boundary of a service account: the fence around the team role, the team
 * workspace's roles, the workload role and every role the team creates (each may only create
 * roles under this same boundary). Part of the account's baseline, in its primary-region stack.
 */
export class TeamBoundary extends Construct {
  readonly resource: IamPolicy;

  constructor(scope: Construct, id: string, props: TeamBoundaryProps) {
    super(scope, id);
    this.resource = new IamPolicy(this, "Resource", {
      name: props.name,
      description: "Permissions boundary of the service team and every role it creates (super-terraform)",
      policy: JSON.stringify(props.document),
      tags: { ...props.tags },
    });
  }
}
