import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locate } from "../lib/rehearsal/json-address";
import { defaultProtoDir, loadPluginProtocol, pluginAnswers } from "../lib/rehearsal/plugin-protocol";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../lib/rehearsal/plugin-server";
import type { ProviderSchemaJson } from "../lib/rehearsal/schema-types";
import { diagnosticsToFindings, makeCertificate, providerAddress, setUpPlugins, terraformValidate, terraformVersion, usedTypes, type TerraformValidateResult } from "../lib/rehearsal/terraform-validate";

/*
 * The real `terraform validate`, run offline through the schema plugin, on tiny stacks written
 * here with a tiny hand-made AWS schema: what Terraform reports must come back as findings.
 */

const AWS = "registry.terraform.io/hashicorp/aws";

/** Two types of the AWS provider, with the flags that matter to validation. */
const awsSchema: ProviderSchemaJson = {
  provider: { version: 0, block: { attributes: { region: { type: "string", optional: true } } } },
  resource_schemas: {
    aws_s3_bucket: {
      version: 0,
      block: {
        attributes: {
          id: { type: "string", optional: true, computed: true },
          arn: { type: "string", computed: true },
          bucket: { type: "string", optional: true, computed: true },
          tags: { type: ["map", "string"], optional: true },
        },
      },
    },
    aws_cloudformation_stack_set: {
      version: 0,
      block: {
        attributes: {
          id: { type: "string", optional: true, computed: true },
          name: { type: "string", required: true },
          template_body: { type: "string", optional: true },
        },
        block_types: {
          auto_deployment: { nesting_mode: "list", max_items: 1, block: { attributes: { enabled: { type: "bool", optional: true } } } },
        },
      },
    },
  },
  data_source_schemas: {},
};

const schemaFor = (address: string): ProviderSchemaJson | undefined => (address === AWS ? awsSchema : undefined);

/** A stack as cdktf writes it: required providers, an HCP Terraform `cloud` block, one provider config. */
function stack(resources: Record<string, Record<string, object>>, providers: Record<string, object> = { aws: { source: "aws", version: "6.25.0" } }): object {
  return {
    terraform: { required_providers: providers, cloud: { organization: "example", workspaces: { name: "small" } } },
    provider: { aws: [{ region: "ap-northeast-1" }] },
    resource: resources,
  };
}

const validStack = stack({
  aws_s3_bucket: { logs: { bucket: "example-logs", tags: { source: "${aws_s3_bucket.other.arn}" } }, other: { bucket: "example-other" } },
  aws_cloudformation_stack_set: { oidc: { name: "oidc", template_body: '{"Sub":"tfc-plan-$${RoleSuffix1}"}', auto_deployment: [{ enabled: true }] } },
});

describe("provider address", () => {
  it("reads a stack's short sources as registry addresses, in lower case", () => {
    expect(providerAddress("aws")).toBe(AWS);
    expect(providerAddress("DataDog/datadog")).toBe("registry.terraform.io/datadog/datadog");
    expect(providerAddress("registry.terraform.io/integrations/github")).toBe("registry.terraform.io/integrations/github");
  });

  it("gives each provider the types the stacks use, by type prefix or by the provider argument", () => {
    const used = usedTypes([{
      terraform: { required_providers: { aws: { source: "aws" }, slack: { source: "pablovarela/slack" } } },
      resource: { aws_s3_bucket: { a: {} }, slack_usergroup: { b: { provider: "slack" } } },
      data: { aws_caller_identity: { c: { provider: "aws.network" } } },
    }]);
    expect(used.get(AWS)).toEqual({ resources: ["aws_s3_bucket"], dataSources: ["aws_caller_identity"] });
    expect(used.get("registry.terraform.io/pablovarela/slack")).toEqual({ resources: ["slack_usergroup"], dataSources: [] });
  });
});

describe("diagnostics to findings", () => {
  const text = `${JSON.stringify(stack({ aws_s3_bucket: { logs: { bucket: "x", bogus: 1 } } }), null, 2)}\n`;
  const byte = Buffer.from(text).indexOf('"bogus"');

  it("addresses an error by the block and argument its byte offset falls in", () => {
    expect(locate(text, byte)).toEqual({ address: "aws_s3_bucket.logs", argument: "bogus" });
    expect(locate(text, Buffer.from(text).indexOf('"ap-northeast-1"'))).toEqual({ address: "provider.aws", argument: "region" });
  });

  it("turns errors into validity findings and keeps warnings out of them", () => {
    const output = JSON.stringify({
      valid: false,
      diagnostics: [
        { severity: "error", summary: "Extraneous JSON object property", detail: 'No argument or block type is named "bogus".', range: { filename: "cdk.tf.json", start: { byte }, end: { byte: byte + 7 } } },
        { severity: "warning", summary: "Provider development overrides are in effect", detail: "..." },
        { severity: "warning", summary: "Deprecated attribute", detail: "use something else" },
      ],
    });
    const { findings, warnings } = diagnosticsToFindings("small", output, text);
    expect(findings).toEqual([expect.objectContaining({ class: "validity", stack: "small", address: "aws_s3_bucket.logs", message: expect.stringContaining('in bogus: No argument or block type is named "bogus"') })]);
    expect(findings[0]!.fix).toMatch(/Remove the argument/);
    expect(warnings).toEqual(["(stack): Deprecated attribute: use something else"]);
  });
});

describe("the plugin's answers", () => {
  const protocol = loadPluginProtocol(defaultProtoDir());
  const answers = pluginAnswers(protocol, awsSchema);
  const provider = protocol["tfplugin6.Provider"] as any;

  it("encodes the schema with each attribute's cty type, flags and each block's nesting", () => {
    const decoded = provider.GetProviderSchema.responseDeserialize(Buffer.from(answers.unary["/tfplugin6.Provider/GetProviderSchema"]!, "base64"));
    const stackSet = decoded.resource_schemas.aws_cloudformation_stack_set.block;
    const name = stackSet.attributes.find((a: any) => a.name === "name");
    expect(JSON.parse(Buffer.from(name.type).toString())).toBe("string");
    expect(name.required).toBe(true);
    expect(stackSet.block_types[0]).toMatchObject({ type_name: "auto_deployment", nesting: "LIST", max_items: 1 });
    const tags = decoded.resource_schemas.aws_s3_bucket.block.attributes.find((a: any) => a.name === "tags");
    expect(JSON.parse(Buffer.from(tags.type).toString())).toEqual(["map", "string"]);
    expect(decoded.server_capabilities.get_provider_schema_optional).toBe(true);
  });

  it("answers validation with no diagnostics, and holds the stdio and broker streams open", () => {
    const validate = provider.ValidateResourceConfig.responseDeserialize(Buffer.from(answers.unary["/tfplugin6.Provider/ValidateResourceConfig"]!, "base64"));
    expect(validate.diagnostics ?? []).toEqual([]);
    expect(Object.keys(answers.streams).sort()).toEqual(["/plugin.GRPCBroker/StartStream", "/plugin.GRPCStdio/StreamStdio"]);
    expect(answers.unary["/plugin.GRPCController/Shutdown"]).toBe("");
    expect(answers.unary["/grpc.health.v1.Health/Check"]).toBeDefined();
  });
});

describe("the plugin process", () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(path.join(tmpdir(), "plugin-test-"));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("prints go-plugin's handshake with its certificate and serves the schema over mutual TLS to the client whose certificate it was given", async () => {
    const setup = setUpPlugins(workDir, [AWS], usedTypes([validStack]), schemaFor);
    const clientDir = path.join(workDir, "client");
    mkdirSync(clientDir);
    makeCertificate(clientDir);
    const clientCert = readFileSync(path.join(clientDir, "server.crt"));
    const child = spawn(setup.executables.get(AWS)!, [], {
      env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6", PLUGIN_CLIENT_CERT: clientCert.toString() },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const line = await new Promise<string>((resolve) => child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())));
      const [core, app, network, address, protocol, cert] = line.split("|");
      expect([core, app, network, protocol]).toEqual(["1", "6", "tcp", "grpc"]);
      expect(cert).toMatch(/^[A-Za-z0-9+/]+$/); // unpadded base64 DER, as go-plugin reads it

      const serverPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(cert!, "base64").toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
      const credentials = grpc.credentials.createSsl(Buffer.from(serverPem), readFileSync(path.join(clientDir, "server.key")), clientCert);
      const client = new grpc.Client(address!, credentials, { "grpc.ssl_target_name_override": "localhost" });
      const call = (method: string) => new Promise<Buffer>((resolve, reject) => {
        client.makeUnaryRequest(method, (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (error, value) => (error ? reject(error) : resolve(value!)));
      });
      const schema = (loadPluginProtocol(defaultProtoDir())["tfplugin6.Provider"] as any).GetProviderSchema.responseDeserialize(await call("/tfplugin6.Provider/GetProviderSchema"));
      expect(Object.keys(schema.resource_schemas).sort()).toEqual(["aws_cloudformation_stack_set", "aws_s3_bucket"]);

      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      await call("/plugin.GRPCController/Shutdown");
      expect(await exited).toBe(0);
      client.close();
    } finally {
      child.kill();
    }
  });

  it("refuses to run when not started by Terraform", async () => {
    const setup = setUpPlugins(path.join(workDir, "again"), [AWS], usedTypes([validStack]), schemaFor);
    const child = spawn(setup.executables.get(AWS)!, [], { env: { ...process.env, [MAGIC_COOKIE_KEY]: "" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(1);
    expect(stderr).toMatch(/Terraform starts it/);
  });
});

const version = terraformVersion();
if (!version) {
  // Visible in every run's output, beside the skipped tests: the real validation did not run.
  console.warn("SKIPPED: terraform validate tests need a `terraform` binary on PATH (Terraform 1.11 or later); none was found.");
}

describe.skipIf(!version)(`terraform validate through the schema plugin (${version ? `Terraform ${version}` : "SKIPPED: no terraform on PATH"})`, () => {
  let stacksDir: string;
  beforeAll(() => {
    stacksDir = mkdtempSync(path.join(tmpdir(), "validate-stacks-"));
    const write = (name: string, json: object): void => {
      mkdirSync(path.join(stacksDir, name));
      writeFileSync(path.join(stacksDir, name, "cdk.tf.json"), `${JSON.stringify(json, null, 2)}\n`);
    };
    write("valid", validStack);
    write("unknown-argument", stack({ aws_s3_bucket: { logs: { bucket: "example-logs", bucket_prefixx: "typo" } } }));
    write("missing-required", stack({ aws_cloudformation_stack_set: { oidc: { template_body: "{}" } } }));
    write("unescaped-template", stack({ aws_cloudformation_stack_set: { oidc: { name: "oidc", template_body: '{"Sub":"tfc-plan-${RoleSuffix1}"}' } } }));
    write("bad-references", stack({ aws_s3_bucket: {
      logs: { bucket: "${aws_s3_bucket.missing.bucket}", tags: { arn: "${aws_s3_bucket.other.no_such_attribute}" } },
      other: { bucket: "example-other" },
    } }));
    write("other-version", { ...validStack, terraform: { required_providers: { aws: { source: "aws", version: "6.0.0" } } } });
    write("unknown-provider", stack({ aws_s3_bucket: { logs: {} } }, { aws: { source: "aws" }, other: { source: "example/other" } }));
  });
  afterAll(() => rmSync(stacksDir, { recursive: true, force: true }));

  // One run over every fixture stack, as the rehearsal runs them; each test reads its stack's result.
  let shared: Promise<TerraformValidateResult> | undefined;
  const run = async (name: string) => {
    shared ??= terraformValidate({
      stacksDir, schemaFor, schemaVersionFor: (address) => (address === AWS ? "6.25.0" : undefined),
      stacks: ["valid", "unknown-argument", "missing-required", "unescaped-template", "bad-references", "other-version", "unknown-provider"],
    });
    const result = await shared;
    return { mode: result.mode, findings: result.findings.filter((f) => f.stack === name), stacks: result.stacks.filter((s) => s.stack === name) };
  };

  it("passes a valid stack, its HCP Terraform cloud block and escaped template included", async () => {
    const result = await run("valid");
    expect(result.mode).toBe("shared-plugins");
    expect(result.findings).toEqual([]);
    expect(result.stacks[0]!.seconds).toBeGreaterThan(0);
  });

  it("gives the same answers when Terraform starts a plugin per provider instance (dev_overrides, mutual TLS)", async () => {
    const result = await terraformValidate({ stacksDir, stacks: ["valid", "unknown-argument"], schemaFor, sharedPlugins: false });
    expect(result.mode).toBe("plugin-per-instance");
    expect(result.stacks.map((s) => [s.stack, s.findings.map((f) => f.message.split(":")[1]!.trim())])).toEqual([
      ["valid", []],
      ["unknown-argument", ["Extraneous JSON object property in bucket_prefixx"]],
    ]);
  });

  it("fails a stack with an argument the provider does not have", async () => {
    const { findings } = await run("unknown-argument");
    expect(findings).toEqual([expect.objectContaining({ class: "validity", stack: "unknown-argument", address: "aws_s3_bucket.logs", message: expect.stringMatching(/in bucket_prefixx: No argument or block type is named "bucket_prefixx"/) })]);
  });

  it("fails a stack that leaves out a required argument", async () => {
    const { findings } = await run("missing-required");
    expect(findings).toEqual([expect.objectContaining({ address: "aws_cloudformation_stack_set.oidc", message: expect.stringMatching(/Missing required argument.*"name"/) })]);
  });

  it("fails a CloudFormation placeholder written as a bare ${...}, with the escaping fix", async () => {
    const { findings } = await run("unescaped-template");
    expect(findings).toEqual([expect.objectContaining({ address: "aws_cloudformation_stack_set.oidc", message: expect.stringMatching(/Invalid reference in template_body/), fix: expect.stringContaining("$${") })]);
  });

  it("fails references to an undeclared resource and to an attribute the type lacks", async () => {
    const { findings } = await run("bad-references");
    expect(findings.map((f) => [f.address, f.message.split(":")[1]!.trim()]).sort()).toEqual([
      ["aws_s3_bucket.logs", "Reference to undeclared resource in bucket"],
      ["aws_s3_bucket.logs", "Unsupported attribute in tags.arn"],
    ]);
  });

  it("says a stack pinned to another provider version was validated against the schema there is", async () => {
    const { findings } = await run("other-version");
    expect(findings).toEqual([expect.objectContaining({ class: "not-checked", address: "provider.aws", message: "terraform validate checked against registry.terraform.io/hashicorp/aws 6.25.0, but the stack pins 6.0.0" })]);
  });

  it("with --real-providers, reports a stack whose providers cannot be installed as not checked, with Terraform's reason", async () => {
    // An empty provider mirror as the only installation method: init fails the same way with or without a network.
    const mirror = path.join(stacksDir, "..", `${path.basename(stacksDir)}-mirror`);
    mkdirSync(mirror, { recursive: true });
    const cliConfig = path.join(mirror, "terraformrc");
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
    const saved = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = cliConfig;
    try {
      const result = await terraformValidate({ stacksDir, stacks: ["valid"], realProviders: true });
      expect(result.mode).toBe("real-providers");
      expect(result.findings).toEqual([expect.objectContaining({ class: "not-checked", stack: "valid", message: expect.stringMatching(/terraform init -backend=false failed: Error: .*hashicorp\/aws/) })]);
    } finally {
      if (saved === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = saved;
      rmSync(mirror, { recursive: true, force: true });
    }
  });

  it("reports a stack whose provider has no schema as not checked, never as passed", async () => {
    const { findings } = await run("unknown-provider");
    expect(findings).toEqual([expect.objectContaining({ class: "not-checked", stack: "unknown-provider", message: expect.stringContaining("registry.terraform.io/example/other") })]);
  });
});
