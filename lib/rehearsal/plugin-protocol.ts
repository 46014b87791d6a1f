import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import type { PluginAnswers } from "./plugin-server.js";

/*
 * Terraform's provider plugin protocol as this project speaks it: the protocol files under
 * lib/rehearsal/proto/, and the translation of a provider schema from the JSON shape of
 * `terraform providers schema -json` into the protocol's GetProviderSchema answer.
 */

/** One attribute as `terraform providers schema -json` prints it. */
export interface SchemaAttributeJson {
  /** The cty type in its JSON form: "string", ["list","string"], ["object",{...}]. */
  readonly type?: unknown;
  readonly description?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
}

/** One nested block type as `terraform providers schema -json` prints it. */
export interface SchemaBlockTypeJson {
  readonly nesting_mode: "single" | "list" | "set" | "map" | "group";
  readonly block: SchemaBlockJson;
  readonly min_items?: number;
  readonly max_items?: number;
}

/** A block (a resource's body, a provider's body, a nested block's body). */
export interface SchemaBlockJson {
  readonly attributes?: Readonly<Record<string, SchemaAttributeJson>>;
  readonly block_types?: Readonly<Record<string, SchemaBlockTypeJson>>;
  readonly description?: string;
  readonly deprecated?: boolean;
}

/** A versioned block: the schema of a provider, resource or data source. */
export interface SchemaJson {
  readonly version?: number;
  readonly block: SchemaBlockJson;
}

/** One provider's schema in the shape of `terraform providers schema -json`. */
export interface ProviderSchemaJson {
  readonly provider: SchemaJson;
  readonly resource_schemas?: Readonly<Record<string, SchemaJson>>;
  readonly data_source_schemas?: Readonly<Record<string, SchemaJson>>;
}

/** Folder of the protocol files. A bundle passes its own path, since it no longer sits beside them. */
export function defaultProtoDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "proto");
}

/** Loads the protocol files; keeps field names as written so messages read like the protocol. */
export function loadPluginProtocol(protoDir: string): PackageDefinition {
  return loadSync(["tfplugin6.proto", "go-plugin.proto", "health.proto"].map((file) => path.join(protoDir, file)), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: false,
    includeDirs: [protoDir],
  });
}

const NESTING: Record<SchemaBlockTypeJson["nesting_mode"], string> = {
  single: "SINGLE", list: "LIST", set: "SET", map: "MAP", group: "GROUP",
};

function blockMessage(block: SchemaBlockJson): object {
  // Sorted so the encoded schema is the same bytes for the same input.
  const attributes = Object.keys(block.attributes ?? {}).sort().map((name) => {
    const attribute = block.attributes![name]!;
    return {
      name,
      type: Buffer.from(JSON.stringify(attribute.type ?? "dynamic")),
      description: attribute.description ?? "",
      required: attribute.required === true,
      optional: attribute.optional === true,
      computed: attribute.computed === true,
      sensitive: attribute.sensitive === true,
      deprecated: attribute.deprecated === true,
    };
  });
  const blockTypes = Object.keys(block.block_types ?? {}).sort().map((name) => {
    const nested = block.block_types![name]!;
    return {
      type_name: name,
      block: blockMessage(nested.block),
      nesting: NESTING[nested.nesting_mode],
      min_items: nested.min_items ?? 0,
      max_items: nested.max_items ?? 0,
    };
  });
  return { attributes, block_types: blockTypes, description: block.description ?? "", deprecated: block.deprecated === true };
}

function schemaMessage(schema: SchemaJson): object {
  return { version: schema.version ?? 0, block: blockMessage(schema.block) };
}

function schemaMap(schemas: Readonly<Record<string, SchemaJson>> | undefined): Record<string, object> {
  const out: Record<string, object> = {};
  for (const name of Object.keys(schemas ?? {}).sort()) out[name] = schemaMessage(schemas![name]!);
  return out;
}

function getProviderSchemaResponse(schema: ProviderSchemaJson): object {
  return {
    provider: schemaMessage(schema.provider),
    resource_schemas: schemaMap(schema.resource_schemas),
    data_source_schemas: schemaMap(schema.data_source_schemas),
    diagnostics: [],
    // Every process of a run serves the same schema, so Terraform may reuse the one it read first.
    server_capabilities: { get_provider_schema_optional: true },
  };
}

function getMetadataResponse(schema: ProviderSchemaJson): object {
  return {
    server_capabilities: { get_provider_schema_optional: true },
    diagnostics: [],
    resources: Object.keys(schema.resource_schemas ?? {}).sort().map((type_name) => ({ type_name })),
    data_sources: Object.keys(schema.data_source_schemas ?? {}).sort().map((type_name) => ({ type_name })),
  };
}

/**
 * Every answer a provider's plugin gives, encoded once per run from the protocol files: the
 * schema (the AWS provider's is ~1,500 types; encoding it in each of the dozens of plugin
 * processes a run starts would cost more than validation), the metadata, a serving health
 * check, and for every other method of the declared services an empty answer (for the
 * validation methods: no diagnostics). Streaming methods are listed to be held open.
 */
export function pluginAnswers(protocol: PackageDefinition, schema: ProviderSchemaJson): PluginAnswers {
  const special: Record<string, object> = {
    "/tfplugin6.Provider/GetProviderSchema": getProviderSchemaResponse(schema),
    "/tfplugin6.Provider/GetMetadata": getMetadataResponse(schema),
    "/grpc.health.v1.Health/Check": { status: "SERVING" },
  };
  const unary: Record<string, string> = {};
  const streams: Record<string, { requestStream: boolean }> = {};
  for (const definition of Object.values(protocol)) {
    if ("format" in definition) continue; // a message type, not a service
    for (const method of Object.values(definition as Record<string, any>)) {
      if (method.responseStream) streams[method.path] = { requestStream: method.requestStream === true };
      else unary[method.path] = (method.responseSerialize(special[method.path] ?? {}) as Buffer).toString("base64");
    }
  }
  return { unary, streams, shutdown: "/plugin.GRPCController/Shutdown" };
}
