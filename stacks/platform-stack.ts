import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudBackend, NamedCloudWorkspace, TerraformElement, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct, Node } from "constructs";
import { evaluateStack, stackView } from "../guardrails/evaluate.js";
import { RULES } from "../guardrails/packs.js";
import type { Finding } from "../guardrails/rule.js";
import { suppressionsIn } from "../guardrails/suppress.js";
import type { OrganizationModel } from "../lib/config/model";
import { applyRoleNameOf, CREDENTIALS_VARIABLE_TYPES, phaseRoleExpression } from "../lib/plan/dynamic-credentials";
import type { StackSpec } from "../lib/plan/stack-plan";
import { withStateBlocks } from "./state-blocks.js";
import { withFastResolve } from "./fast-resolve.js";
import { logicalId } from "./logical-id.js";
import { stackJson } from "./stack-json.js";

export interface PlatformStackProps {
  readonly spec: StackSpec;
  readonly model: OrganizationModel;
}

/**
 * Base of every stack: one Terraform Cloud workspace of the stack's own name, and providers
 * whose credentials come from that workspace (dynamic credentials or sensitive variables),
 * never from code.
 */
export class PlatformStack extends TerraformStack {
  readonly spec: StackSpec;
  readonly model: OrganizationModel;
  /** Guardrail findings of the last synthesis of this stack. */
  findings: readonly Finding[] = [];

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props.spec.name);
    this.spec = props.spec;
    this.model = props.model;
    const tfc = props.model.platform.terraformCloud;
    new CloudBackend(this, {
      organization: tfc.organization,
      workspaces: new NamedCloudWorkspace(props.spec.name, tfc.project),
    });
  }

  /**
   * The AWS provider for this stack's account and region. The workspace's dynamic credentials
   * (TFC_AWS_PROVIDER_AUTH and the plan/apply role ARNs) decide which role it runs as;
   * `allowedAccountIds` makes a mis-wired role fail the plan instead of changing another account.
   */
  protected awsProvider(tags: Readonly<Record<string, string>>, options: { readonly region?: string; readonly accountId?: string; readonly alias?: string; readonly assumeRoles?: { readonly plan: string; readonly apply: string } } = {}): AwsProvider {
    const region = options.region ?? this.spec.region ?? this.model.platform.regions[0];
    // A role chained from the workspace's own credentials, e.g. a narrow role in another
    // account: the read-only one while the workspace runs as its plan role (every plan, also
    // the plan of an apply run), the writing one at apply.
    let assumeRole: Array<{ roleArn: string; sessionName: string }> | undefined;
    if (options.assumeRoles) {
      this.credentialsVariable("tfc_aws_dynamic_credentials");
      assumeRole = [{ roleArn: phaseRoleExpression(applyRoleNameOf(this.spec), options.assumeRoles), sessionName: this.spec.name }];
    }
    return new AwsProvider(this, options.alias ? `aws-${options.alias}` : "aws", {
      region,
      alias: options.alias,
      allowedAccountIds: options.accountId ? [options.accountId] : undefined,
      assumeRole,
      defaultTags: [{ tags: { ...this.model.platform.tags, ...tags, stack: this.spec.name } }],
    });
  }

  /**
   * cdktf resolves every element once before synthesis only to discover cross-stack references
   * and wire them through remote state. This project has none by design (stacks are separate
   * workspaces joined by config and documented lookups), so that pass is skipped: it was a third
   * of the synth time of a large organization. The `no-cross-stack-reference` guardrail fails
   * the synth if a reference to another stack's resource ever slips in.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  /** cdktf's logical ID of an element, computed faster (logical-id.ts). */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const stack = TerraformElement.isTerraformElement(element) ? element.cdktfStack : this;
    return logicalId(stack, element) ?? super.allocateLogicalId(element);
  }

  /**
   * The stack's JSON is built by stack-json.ts (cdktf's own build with less copying) with the
   * fast resolver (fast-resolve.ts).
   * Runs the guardrail packs on the stack's synthesized JSON as it is produced, so the rules
   * see exactly what Terraform will see at no extra synthesis cost. Suppressions are read from
   * the construct tree (`guardrails/suppress.ts`) and matched to findings by construct path.
   * Then adds the `removed` and `moved` blocks of removed and renamed services (state-blocks.ts);
   * a removed service's stack holds no resources, so there is nothing for the rules to check.
   */
  override toTerraform(): any {
    const json = withStateBlocks(this, withFastResolve(() => stackJson(this) ?? super.toTerraform()));
    if (this.spec.tombstoned) return json;
    this.findings = evaluateStack(RULES, stackView(this.spec.name, this.spec.kind, this.spec.service, json, { region: this.spec.region, primary: this.spec.primary }), suppressionsIn(this));
    return json;
  }

  /**
   * Declares the input variable through which HCP Terraform hands this run's dynamic
   * credentials to the providers (once per stack); it holds paths and, for Google, a
   * short-lived external-account configuration, never a long-lived secret.
   */
  credentialsVariable(name: keyof typeof CREDENTIALS_VARIABLE_TYPES): TerraformVariable {
    const existing = this.node.tryFindChild(name);
    if (existing) return existing as TerraformVariable;
    return new TerraformVariable(this, name, {
      type: CREDENTIALS_VARIABLE_TYPES[name],
      description: "Filled in by HCP Terraform during each run (dynamic provider credentials)",
    });
  }

  /** Account ID of a platform account named in the spec. */
  protected platformAccountId(): string | undefined {
    const a = this.spec.account;
    return a === "service" || a === "none" ? undefined : this.model.platform.accounts[a].id;
  }
}
