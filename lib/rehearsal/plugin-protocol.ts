import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import type { PluginAnswers } from "./plugin-server.js";
import type { BlockJson, BlockTypeJson, ProviderSchemaJson, SchemaJson } from "./schema-types.js";

/*
 * Terraform's provider plugin protocol as this project speaks it: the protocol files under
 * lib/rehearsal/proto/, and the translation of a provider schema from the JSON shape of
 * `terraform providers schema -json` (schema-types.ts) into the protocol's answers.
 */

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

const NESTING: Record<BlockTypeJson["nesting_mode"], string> = {
  single: "SINGLE", list: "LIST", set: "SET", map: "MAP", group: "GROUP",
};

function blockMessage(block: BlockJson): object {
  // Sorted so the encoded schema is the same bytes for the same input.
  const attributes = Object.keys(block.attributes ?? {}).sort().map((name) => {
    const attribute = block.attributes![name]!;
    return {
      name,
      type: Buffer.from(JSON.stringify(attribute.type)),
      required: attribute.required === true,
      optional: attribute.optional === true,
      computed: attribute.computed === true,
      sensitive: attribute.sensitive === true,
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
  return { attributes, block_types: blockTypes };
}

function schemaMessage(schema: SchemaJson): object {
  return { version: schema.version, block: blockMessage(schema.block) };
}

function schemaMap(schemas: Readonly<Record<string, SchemaJson>>): Record<string, object> {
  const out: Record<string, object> = {};
  for (const name of Object.keys(schemas).sort()) out[name] = schemaMessage(schemas[name]!);
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
    resources: Object.keys(schema.resource_schemas).sort().map((type_name) => ({ type_name })),
    data_sources: Object.keys(schema.data_source_schemas).sort().map((type_name) => ({ type_name })),
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
