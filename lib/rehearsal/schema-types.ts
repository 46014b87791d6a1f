/*
 * Terraform's provider schema, in exactly the JSON shape `terraform providers schema -json`
 * prints, so the same object can answer a provider's GetProviderSchema and drive the rehearsal.
 */

/**
 * A type in Terraform's JSON notation: `"string"`, `"number"`, `"bool"`, `"dynamic"`,
 * `["list", T]`, `["set", T]`, `["map", T]`, `["object", {name: T}]` (with an optional third
 * element listing optional attribute names), `["tuple", [T...]]`.
 */
export type TypeJson = string | [string, unknown] | [string, unknown, unknown];

/** One attribute of a block. */
export interface AttributeJson {
  type: TypeJson;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}

/** A nested block type: how it nests and what it holds. */
export interface BlockTypeJson {
  nesting_mode: "single" | "list" | "set" | "map" | "group";
  block: BlockJson;
  min_items?: number;
  max_items?: number;
}

/** A block: attributes and nested block types. */
export interface BlockJson {
  attributes?: Record<string, AttributeJson>;
  block_types?: Record<string, BlockTypeJson>;
}

/** A resource's, data source's or provider's schema: a version and its top-level block. */
export interface SchemaJson {
  version: number;
  block: BlockJson;
}

/** One provider's entry of `terraform providers schema -json` (`provider_schemas[<address>]`). */
export interface ProviderSchemaJson {
  provider: SchemaJson;
  resource_schemas: Record<string, SchemaJson>;
  data_source_schemas: Record<string, SchemaJson>;
}
