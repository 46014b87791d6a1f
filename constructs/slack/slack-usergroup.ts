import { listMapper, listMapperHcl, stringToHclTerraform, stringToTerraform, type TerraformMetaArguments, TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { SLACK_PROVIDER } from "./slack-provider.js";

/**
 * Arguments of `slack_usergroup`, as in pablovarela/terraform-provider-slack v1.2.2
 * (`slack/resource_usergroup.go`): `name` required; `description`, `handle` optional
 * strings; `users`, `channels` optional sets of strings.
 */
export interface SlackUsergroupConfig extends TerraformMetaArguments {
  /** Name of the user group; unique among user groups. */
  readonly name: string;
  /** Short description. @default - none */
  readonly description?: string;
  /** Mention handle (without "@"); unique among channels, users and user groups. @default - none */
  readonly handle?: string;
  /** Member IDs that are the entire membership of the group (the provider replaces it). @default - no members */
  readonly users?: string[];
  /** Channel IDs the group uses by default. @default - none */
  readonly channels?: string[];
}

/**
 * Hand-written binding of the `slack_usergroup` resource. Destroying it disables the group
 * in Slack (the provider's delete is `usergroups.disable`); re-creating one of the same name
 * re-enables it.
 */
export class SlackUsergroup extends TerraformResource {
  /** Terraform's name for the resource type. */
  static readonly tfResourceType = "slack_usergroup";

  private readonly config: SlackUsergroupConfig;

  constructor(scope: Construct, id: string, config: SlackUsergroupConfig) {
    super(scope, id, {
      terraformResourceType: SlackUsergroup.tfResourceType,
      terraformGeneratorMetadata: { providerName: "slack", providerVersion: SLACK_PROVIDER.version },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this.config = config;
  }

  /** The user group's ID (e.g. "S0123ABCD"). */
  get id(): string {
    return this.getStringAttribute("id");
  }

  get name(): string {
    return this.getStringAttribute("name");
  }

  get handle(): string {
    return this.getStringAttribute("handle");
  }

  get users(): string[] {
    return this.getListAttribute("users");
  }

  get channels(): string[] {
    return this.getListAttribute("channels");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      name: stringToTerraform(c.name),
      description: stringToTerraform(c.description),
      handle: stringToTerraform(c.handle),
      users: listMapper(stringToTerraform, false)(c.users),
      channels: listMapper(stringToTerraform, false)(c.channels),
    };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    const c = this.config;
    const simple = (value: unknown) => ({ value, isBlock: false, type: "simple", storageClassType: "string" });
    const set = (value: unknown) => ({ value, isBlock: false, type: "set", storageClassType: "stringList" });
    const attrs = {
      name: simple(stringToHclTerraform(c.name)),
      description: simple(stringToHclTerraform(c.description)),
      handle: simple(stringToHclTerraform(c.handle)),
      users: set(listMapperHcl(stringToHclTerraform, false)(c.users)),
      channels: set(listMapperHcl(stringToHclTerraform, false)(c.channels)),
    };
    return Object.fromEntries(Object.entries(attrs).filter(([, a]) => a.value !== undefined));
  }
}
