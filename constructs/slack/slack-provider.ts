import { stringToHclTerraform, stringToTerraform, TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/**
 * The Terraform Slack provider this binding follows: registry source, exact version, and
 * the schema it was written from (pablovarela/terraform-provider-slack v1.2.2,
 * `slack/provider.go` and `docs/index.md`).
 */
export const SLACK_PROVIDER = {
  source: "pablovarela/slack",
  version: "1.2.2",
} as const;

export interface SlackProviderConfig {
  /**
   * The Slack token. The schema marks it required but defaults it from the `SLACK_TOKEN`
   * environment variable, which is how this project sets it (a sensitive workspace variable).
   * @default - read from SLACK_TOKEN
   */
  readonly token?: string;
  /** Alias of the provider configuration. @default - the default configuration */
  readonly alias?: string;
}

/**
 * Hand-written binding of the Slack provider block (`provider "slack"`); cdktf has no
 * prebuilt one. Synthesizes `required_providers.slack = { source, version }` and the
 * provider's only argument, `token`, when given.
 */
export class SlackProvider extends TerraformProvider {
  /** Terraform's name for the provider. */
  static readonly tfResourceType = "slack";

  private readonly token?: string;
  private providerAlias?: string;

  constructor(scope: Construct, id: string, config: SlackProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: SlackProvider.tfResourceType,
      terraformGeneratorMetadata: { providerName: "slack", providerVersion: SLACK_PROVIDER.version },
      terraformProviderSource: SLACK_PROVIDER.source,
    });
    this.token = config.token;
    this.providerAlias = config.alias;
  }

  override get alias(): string | undefined {
    return this.providerAlias;
  }

  override set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { token: stringToTerraform(this.token), alias: stringToTerraform(this.providerAlias) };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    const attrs = {
      token: { value: stringToHclTerraform(this.token), isBlock: false, type: "simple", storageClassType: "string" },
      alias: { value: stringToHclTerraform(this.providerAlias), isBlock: false, type: "simple", storageClassType: "string" },
    };
    return Object.fromEntries(Object.entries(attrs).filter(([, a]) => a.value !== undefined));
  }
}
