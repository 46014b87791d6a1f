import { ProjectVariableSet } from "@cdktf/provider-tfe/lib/project-variable-set";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { VariableSet } from "@cdktf/provider-tfe/lib/variable-set";
import { WorkspaceVariableSet } from "@cdktf/provider-tfe/lib/workspace-variable-set";
import { Construct } from "constructs";
import type { SecretVariable } from "../lib/plan/workspace-plan";

export interface SecretVariableSetProps {
  readonly name: string;
  readonly organization: string;
  /** The secrets; each is sensitive and created empty. */
  readonly variables: readonly SecretVariable[];
  /** Attach to every workspace of this project. @default - not attached to a project */
  readonly projectId?: string;
  /** Attach to these workspaces, by a stable key (the workspace name). @default {} */
  readonly workspaceIds?: Readonly<Record<string, string>>;
}

/**
 * A Terraform Cloud variable set of secrets that code declares but never holds: each variable
 * is sensitive and created with an empty value; a person with admin access types the value in
 * Terraform Cloud, and `ignore_changes` keeps Terraform from ever resetting it.
 */
export class SecretVariableSet extends Construct {
  readonly resource: VariableSet;

  constructor(scope: Construct, id: string, props: SecretVariableSetProps) {
    super(scope, id);
    this.resource = new VariableSet(this, "Resource", {
      name: props.name,
      organization: props.organization,
      description: `Secrets set by hand in Terraform Cloud (declared by super-terraform): ${props.variables.map((v) => v.key).join(", ")}`,
    });
    for (const v of props.variables) {
      new Variable(this, v.key, {
        variableSetId: this.resource.id,
        key: v.key,
        category: v.category,
        sensitive: true,
        value: "",
        description: `${v.purpose}. Set the value in Terraform Cloud; it is never in code.`,
        lifecycle: { ignoreChanges: ["value"] },
      });
    }
    if (props.projectId !== undefined) {
      new ProjectVariableSet(this, "project", { projectId: props.projectId, variableSetId: this.resource.id });
    }
    for (const [key, workspaceId] of Object.entries(props.workspaceIds ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      new WorkspaceVariableSet(this, `workspace-${key}`, { workspaceId, variableSetId: this.resource.id });
    }
  }
}
