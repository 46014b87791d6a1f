import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { APPLY_POLICY_ARN, PLAN_POLICY_ARN, planDataReadDeny, trustPolicy, workspaceSubject } from "../lib/plan/oidc";

export interface WorkspaceRolesProps {
  /** Role names per run phase. */
  readonly roleNames: { readonly plan: string; readonly apply: string };
  /** ARN of the account's HCP Terraform OIDC provider (planted by the trust StackSet). */
  readonly oidcProviderArn: string;
  /** HCP Terraform organization, project and workspace whose runs may use the roles. */
  readonly organization: string;
  readonly project: string;
  readonly workspace: string;
  /** ARN of the permissions boundary both roles carry. */
  readonly permissionsBoundaryArn: string;
  /** Tags on the roles. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The plan and apply roles of a workspace that is not the platform's (a team-owned one): each
 * trusts exactly that workspace's token in its own run phase. The plan role reads metadata
 * only (ReadOnlyAccess without data reads); the apply role may build (AdministratorAccess) but
 * both carry the permissions boundary, so a run can do no more than the team itself.
 */
export class WorkspaceRoles extends Construct {
  readonly plan: IamRole;
  readonly apply: IamRole;

  constructor(scope: Construct, id: string, props: WorkspaceRolesProps) {
    super(scope, id);
    const make = (phase: "plan" | "apply"): IamRole => {
      const role = new IamRole(this, `${phase}-role`, {
        name: props.roleNames[phase],
        description: `HCP Terraform ${phase} runs of workspace ${props.workspace}`,
        assumeRolePolicy: JSON.stringify(trustPolicy(props.oidcProviderArn, workspaceSubject(props.organization, props.project, props.workspace, phase))),
        permissionsBoundary: props.permissionsBoundaryArn,
        maxSessionDuration: 3600,
        tags: { ...props.tags },
      });
      new IamRolePolicyAttachment(this, `${phase}-policy`, { role: role.name, policyArn: phase === "plan" ? PLAN_POLICY_ARN : APPLY_POLICY_ARN });
      if (phase === "plan") new IamRolePolicy(this, "plan-deny-data-reads", { role: role.name, name: "deny-data-reads", policy: JSON.stringify(planDataReadDeny()) });
      return role;
    };
    this.plan = make("plan");
    this.apply = make("apply");
  }
}
