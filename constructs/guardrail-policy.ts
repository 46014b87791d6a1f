import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { Construct } from "constructs";

export interface GuardrailPolicyProps {
  /** Policy name shown in AWS Organizations. */
  readonly name: string;
  readonly description: string;
  /** "SERVICE_CONTROL_POLICY" or "RESOURCE_CONTROL_POLICY". */
  readonly type: string;
  /** The policy document, as an object; it is written as compact JSON (SCPs allow 5,120 characters). */
  readonly document: object;
  /** Targets to attach to, by a stable key (the OU name): key -> OU or account ID. */
  readonly targets: Readonly<Record<string, string>>;
}

/** One organization policy (SCP or RCP) and its attachments, one per target. */
export class GuardrailPolicy extends Construct {
  readonly resource: OrganizationsPolicy;

  constructor(scope: Construct, id: string, props: GuardrailPolicyProps) {
    super(scope, id);
    this.resource = new OrganizationsPolicy(this, "Resource", {
      name: props.name,
      description: props.description,
      type: props.type,
      content: JSON.stringify(props.document),
    });
    for (const key of Object.keys(props.targets).sort()) {
      new OrganizationsPolicyAttachment(this, `attachment-${key}`, { policyId: this.resource.id, targetId: props.targets[key]! });
    }
  }
}
