import { namespacesRoleName } from "./cluster";
import { roleName } from "./oidc";
import type { StackSpec } from "./stack-plan";

/*
 * HCP Terraform's dynamic provider credentials, as the stacks and the workspace factories both
 * need them: the input variables HCP Terraform fills in during a run (declared by the stacks),
 * and the environment variables that switch each kind of credentials on (set by the factories).
 * Every value here is a name or a path, never a credential.
 */

/**
 * Input variable through which HCP Terraform hands the AWS provider the path of a shared
 * config file for the current run phase (`default`, and one per tagged alias).
 */
export const AWS_CREDENTIALS_VARIABLE = "tfc_aws_dynamic_credentials";
/** Input variable holding the path of the Kubernetes token of the current run phase. */
export const KUBERNETES_CREDENTIALS_VARIABLE = "tfc_kubernetes_dynamic_credentials";
/** Input variable holding the Google credentials (an external-account JSON) of the current run phase. */
export const GCP_CREDENTIALS_VARIABLE = "tfc_gcp_dynamic_credentials";

/** Terraform types of the three variables, as HCP Terraform documents them. */
export const CREDENTIALS_VARIABLE_TYPES = {
  [AWS_CREDENTIALS_VARIABLE]: "object({ default = object({ shared_config_file = string }), aliases = map(object({ shared_config_file = string })) })",
  [KUBERNETES_CREDENTIALS_VARIABLE]: "object({ default = object({ token_path = string }), aliases = map(object({ token_path = string })) })",
  [GCP_CREDENTIALS_VARIABLE]: "object({ default = object({ credentials = string }), aliases = map(object({ credentials = string })) })",
} as const;

/**
 * Name of the role a workspace's apply phase runs as in AWS: `tfc-apply-<workspace>`, or
 * `namespaces-<region>-apply` for the namespace shards (lib/plan/cluster.ts).
 */
export function applyRoleNameOf(spec: StackSpec): string {
  return spec.kind === "namespaces" ? namespacesRoleName(spec.region!, "apply") : roleName(spec.name, "apply");
}

/**
 * A Terraform expression that picks the role to chain into by run phase. Terraform has no
 * notion of HCP Terraform's run phases, but provider configuration is evaluated again at
 * apply time, and HCP Terraform writes the AWS shared config file of each phase afresh, naming
 * that phase's role (TFC_AWS_PLAN_ROLE_ARN or TFC_AWS_APPLY_ROLE_ARN). So the file names the
 * workspace's apply role exactly in the apply phase. Anything else picks the read-only role:
 * a mistake makes an apply fail on permissions, never a plan write.
 */
export function phaseRoleExpression(applyRoleName: string, roles: { readonly plan: string; readonly apply: string }): string {
  for (const value of [applyRoleName, roles.plan, roles.apply]) {
    if (/["\\$%{}]/.test(value)) throw new Error(`role "${value}" cannot be quoted in a Terraform expression`);
  }
  // The plan role's name starts with tfc-plan- (or ends in -plan), so it never contains the apply role's.
  return `\${strcontains(file(var.${AWS_CREDENTIALS_VARIABLE}.default.shared_config_file), ":role/${applyRoleName}") ? "${roles.apply}" : "${roles.plan}"}`;
}
