import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { Construct } from "constructs";
import { bootstrapTemplate, OIDC_STACK_SET_NAME } from "../lib/plan/oidc";
import { terraformLiteral } from "../lib/plan/terraform-literal";

export interface OidcTrustStackSetProps {
  /** Terraform Cloud organization every trusted subject names. */
  readonly organization: string;
  /** Terraform Cloud project every trusted subject names. */
  readonly project: string;
  /** Workspace slots per account (see `oidcSlots`). */
  readonly slots: number;
  /** Roles in other accounts every plan role may assume (see `bootstrapTemplate`). @default - none */
  readonly planChainRoleArns?: readonly string[];
}

/**
 * The service-managed StackSet that plants Terraform Cloud OIDC trust in member accounts: the
 * `app.terraform.io` provider and each workspace's plan and apply roles. It lives in the
 * management account (the only place with organization-wide StackSet rights), deploys nowhere
 * by itself, and each account gets exactly one stack instance from the stack that owns it.
 */
export class OidcTrustStackSet extends Construct {
  readonly resource: CloudformationStackSet;

  constructor(scope: Construct, id: string, props: OidcTrustStackSetProps) {
    super(scope, id);
    this.resource = new CloudformationStackSet(this, "Resource", {
      name: OIDC_STACK_SET_NAME,
      description: "Terraform Cloud OIDC provider and per-workspace plan/apply roles",
      permissionModel: "SERVICE_MANAGED",
      // Instances are created explicitly per account, with that account's workspace names;
      // automatic deployment would create them without parameters in every new account.
      autoDeployment: { enabled: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      managedExecution: { active: true },
      operationPreferences: { failureToleranceCount: 0, maxConcurrentCount: 10, regionConcurrencyType: "SEQUENTIAL" },
      // The template's own Fn::Sub placeholders (${Workspace1}) must not read as Terraform
      // interpolations.
      templateBody: terraformLiteral(JSON.stringify(bootstrapTemplate(props))),
      // AWS fills in the administration role of service-managed StackSets; without this every
      // plan would propose to clear it.
      lifecycle: { ignoreChanges: ["administration_role_arn"] },
    });
  }
}
