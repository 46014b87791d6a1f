import type { ProviderSchemaJson } from "./schema-types.js";

/*
 * The Slack provider has no cdktf package; the project binds it by hand (constructs/slack/)
 * from pablovarela/terraform-provider-slack v1.2.2. This is the same part of that provider's
 * schema, written from the same source (`slack/provider.go`, `slack/resource_usergroup.go`):
 * the provider block and `slack_usergroup`. Other Slack types are not modelled, so the
 * rehearsal reports them as not checked rather than unknown.
 */

/** The provider version the schema was written from (constructs/slack/ binds the same one). */
export const SLACK_SCHEMA_VERSION = "1.2.2";

/** Slack types the hand-written schema covers; anything else of the provider is not modelled. */
export const SLACK_SCHEMA: ProviderSchemaJson = {
  provider: {
    version: 0,
    block: {
      // Required in provider.go, but with a DefaultFunc reading SLACK_TOKEN, which makes it
      // optional in the schema Terraform sees.
      attributes: { token: { type: "string", optional: true, sensitive: true } },
    },
  },
  resource_schemas: {
    slack_usergroup: {
      version: 0,
      block: {
        attributes: {
          channels: { type: ["set", "string"], optional: true },
          description: { type: "string", optional: true },
          handle: { type: "string", optional: true },
          id: { type: "string", optional: true, computed: true },
          name: { type: "string", required: true },
          users: { type: ["set", "string"], optional: true },
        },
      },
    },
  },
  data_source_schemas: {},
};
