import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { defaultProtoDir, loadPluginProtocol, pluginAnswers } from "./plugin-protocol.js";
import type { ProviderSchemaJson } from "./schema-types.js";
import { locate } from "./json-address.js";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "./plugin-server.js";
import type { RehearsalFinding } from "./types.js";

/*
 * The real `terraform validate` of every synthesized stack, offline. Terraform cannot download
 * providers here, so each provider the stacks use is replaced, through a `dev_overrides` CLI
 * config written to a temporary folder, by a local plugin (lib/rehearsal/plugin-server.ts) that
 * serves the schema derived from the pinned `@cdktf/provider-*` package. Terraform then checks
 * what it checks itself: types, arguments, blocks, required arguments, references, expressions.
 * Where real providers can be installed (a user's CI), `realProviders` runs
 * `terraform init -backend=false` and `terraform validate` with them instead.
 */

/** How to validate. */
export interface TerraformValidateOptions {
  /** Folder of the synthesized stacks (`cdktf.out/stacks`). */
  readonly stacksDir: string;
  /** Stacks to validate, by name. @default - every folder under `stacksDir`, sorted */
  readonly stacks?: readonly string[];
  /**
   * The schema of a provider, by its address (`registry.terraform.io/hashicorp/aws`), holding
   * at least the types the stacks use (`used`); undefined when the provider is not known, and
   * then the stacks that use it are reported as not checked. Not read when `realProviders` is set.
   */
  readonly schemaFor?: (address: string, used: UsedTypes) => ProviderSchemaJson | undefined;
  /**
   * The provider version a served schema describes, by address; a stack that pins another exact
   * version gets a `not-checked` finding (it is validated against the schema there is).
   * @default - versions are not compared
   */
  readonly schemaVersionFor?: (address: string) => string | undefined;
  /** Validate with the real providers (`terraform init -backend=false` first; needs the registry). @default false */
  readonly realProviders?: boolean;
  /**
   * One plugin process per provider for the whole run, which every Terraform run attaches to
   * (`TF_REATTACH_PROVIDERS`), instead of Terraform starting a process per provider and per
   * provider configuration through `dev_overrides` (with mutual TLS). The same checks; about
   * ten times less work, since a process start costs more than a stack's validation.
   * @default true
   */
  readonly sharedPlugins?: boolean;
  /** Stacks validated at the same time. @default - the number of cores */
  readonly concurrency?: number;
  /** The Terraform executable. @default "terraform" (from PATH) */
  readonly terraform?: string;
}

/** The resource and data source types the stacks use of one provider. */
export interface UsedTypes {
  readonly resources: readonly string[];
  readonly dataSources: readonly string[];
}

/** What Terraform said about one stack. */
export interface StackValidation {
  readonly stack: string;
  /** Wall time of this stack's Terraform runs, in seconds. */
  readonly seconds: number;
  /** Errors, as findings of class `validity` (or `not-checked` when Terraform could not run). */
  readonly findings: readonly RehearsalFinding[];
  /** Warnings (deprecations and the like): shown, never a finding. */
  readonly warnings: readonly string[];
}

/** The whole run. */
export interface TerraformValidateResult {
  readonly terraformVersion: string;
  /** Shared plugins (reattached), a plugin process per provider instance (dev_overrides), or the real providers. */
  readonly mode: "shared-plugins" | "plugin-per-instance" | "real-providers";
  readonly stacks: readonly StackValidation[];
  /** Every stack's findings, in stack order. */
  readonly findings: readonly RehearsalFinding[];
  /** Wall time of the whole run (setup included), in seconds. */
  readonly seconds: number;
  /** Wall time of the setup alone (schemas encoded, plugin built, certificate made), in seconds. */
  readonly setupSeconds: number;
}

/** The Terraform version on PATH (or at `terraform`), or undefined when there is none. */
export function terraformVersion(terraform = "terraform"): string | undefined {
  const result = spawnSync(terraform, ["version", "-json"], { encoding: "utf8", env: terraformEnv(process.env, undefined) });
  if (result.error || result.status !== 0) return undefined;
  try {
    return JSON.parse(result.stdout).terraform_version as string;
  } catch {
    return undefined;
  }
}

/**
 * The full address of a provider source as a stack writes it: `aws` and `hashicorp/aws` are
 * both `registry.terraform.io/hashicorp/aws`. Terraform compares addresses in lower case.
 */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
  return parts.join("/");
}

/** A stack's provider local names (`aws`) and the addresses they stand for. */
function localProviders(json: any): Map<string, string> {
  const required = json?.terraform?.required_providers ?? {};
  return new Map(Object.entries(required).map(([name, spec]: [string, any]) => [name, providerAddress(typeof spec === "string" ? name : spec?.source ?? name)]));
}

/** Every provider address a stack requires. */
function requiredProviders(json: any): string[] {
  return [...localProviders(json).values()];
}

/**
 * The types each provider must serve for these stacks: a block belongs to the provider its
 * `provider` argument names, else to the one its type's prefix names (`aws_s3_bucket` -> aws),
 * as Terraform decides. A prefix no provider of the stack has is left to Terraform to report.
 */
export function usedTypes(stacks: Iterable<any>): Map<string, UsedTypes> {
  const found = new Map<string, { resources: Set<string>; dataSources: Set<string> }>();
  for (const json of stacks) {
    const locals = localProviders(json);
    for (const [section, key] of [["resource", "resources"], ["data", "dataSources"]] as const) {
      for (const [type, blocks] of Object.entries<any>(json?.[section] ?? {})) {
        for (const block of Object.values<any>(blocks ?? {})) {
          const local = typeof block?.provider === "string" ? block.provider.split(".")[0] : type.split("_")[0];
          const address = locals.get(local);
          if (!address) continue;
          if (!found.has(address)) found.set(address, { resources: new Set(), dataSources: new Set() });
          found.get(address)![key].add(type);
        }
      }
    }
  }
  return new Map([...found].map(([address, used]) => [address, { resources: [...used.resources].sort(), dataSources: [...used.dataSources].sort() }]));
}

/**
 * The environment of every Terraform run: no update check (it would call out), no colour, no
 * debug log, no workspace override; with the plugins, the run's own CLI config instead of the
 * user's (with real providers, the user's stays: it may name a mirror).
 */
function terraformEnv(base: NodeJS.ProcessEnv, cliConfig: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", NO_COLOR: "1" };
  delete env.TF_LOG;
  delete env.TF_WORKSPACE;
  delete env.TF_REATTACH_PROVIDERS;
  if (cliConfig) env.TF_CLI_CONFIG_FILE = cliConfig;
  return env;
}

/** Writes `server.crt` and `server.key` to `tlsDir`: a self-signed certificate for the plugins' AutoMTLS answer, one per run, shared by its plugins. */
export function makeCertificate(tlsDir: string): void {
  const result = spawnSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", path.join(tlsDir, "server.key"), "-out", path.join(tlsDir, "server.crt"),
    "-days", "1", "-subj", "/O=rehearsal/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign",
    "-addext", "extendedKeyUsage=serverAuth,clientAuth",
  ], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(`openssl could not make the plugins' certificate (${result.error?.message ?? result.stderr.trim()}); install openssl (Debian: apt-get install openssl).`);
  }
  chmodSync(path.join(tlsDir, "server.key"), 0o600);
}

/**
 * Builds the plugin and gRPC into one minified file: each of the dozens of plugin processes a
 * run starts then loads one file, without a TypeScript loader or module resolution.
 */
function buildPlugin(outfile: string): void {
  buildSync({
    stdin: {
      contents: 'import { servePlugin } from "./plugin-server.ts";\n'
        + "servePlugin({ answersFile: process.argv[2], tlsDir: process.argv[3], sharedSocket: process.argv[4] });\n",
      resolveDir: path.dirname(defaultProtoDir()),
      loader: "ts",
    },
    outfile,
    bundle: true,
    minify: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "error",
  });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** The HCL string literal of a path in the CLI config. */
function hclString(value: string): string {
  return JSON.stringify(value);
}

/** The plugins of a run, as written to its temporary folder. */
export interface PluginSetup {
  /** The CLI config file (for `TF_CLI_CONFIG_FILE`) whose `dev_overrides` point at the plugins. */
  readonly cliConfig: string;
  /** Provider address -> the executable Terraform starts for it (`terraform-provider-<type>`). */
  readonly executables: ReadonlyMap<string, string>;
  /** Provider addresses served by a plugin. */
  readonly served: ReadonlySet<string>;
}

/** Writes one plugin per provider with a schema into `workDir`, and the CLI config that points Terraform at them. */
export function setUpPlugins(workDir: string, addresses: readonly string[], used: ReadonlyMap<string, UsedTypes>, schemaFor: (address: string, used: UsedTypes) => ProviderSchemaJson | undefined): PluginSetup {
  const protoDir = defaultProtoDir();
  const protocol = loadPluginProtocol(protoDir);
  const tlsDir = path.join(workDir, "tls");
  mkdirSync(tlsDir, { recursive: true });
  makeCertificate(tlsDir);
  const pluginFile = path.join(workDir, "plugin-server.cjs");
  buildPlugin(pluginFile);
  const executables = new Map<string, string>();
  const overrides: string[] = [];
  for (const address of addresses) {
    const schema = schemaFor(address, used.get(address) ?? { resources: [], dataSources: [] });
    if (!schema) continue;
    const type = address.split("/").at(-1)!;
    const providerDir = path.join(workDir, "providers", address.replace(/[^a-z0-9-]+/g, "_"));
    mkdirSync(providerDir, { recursive: true });
    const answersFile = path.join(providerDir, "answers.json");
    writeFileSync(answersFile, JSON.stringify(pluginAnswers(protocol, schema)));
    const executable = path.join(providerDir, `terraform-provider-${type}`);
    writeFileSync(executable, [
      "#!/bin/sh",
      "# Serves this provider's schema to terraform validate (written by the rehearsal; removed after the run).",
      `exec ${[process.execPath, pluginFile, answersFile, tlsDir].map(shellQuote).join(" ")} "$@"`,
      "",
    ].join("\n"));
    chmodSync(executable, 0o755);
    overrides.push(`    ${hclString(address)} = ${hclString(providerDir)}`);
    executables.set(address, executable);
  }
  const cliConfig = path.join(workDir, "terraformrc");
  writeFileSync(cliConfig, [
    "provider_installation {",
    "  dev_overrides {",
    ...overrides,
    "  }",
    "  direct {}",
    "}",
    "",
  ].join("\n"));
  return { cliConfig, executables, served: new Set(executables.keys()) };
}

/** Plugins started once for the whole run, and the `TF_REATTACH_PROVIDERS` value that points Terraform at them. */
interface SharedPlugins {
  readonly reattach: string;
  readonly stop: () => void;
}

/**
 * Starts one shared plugin per provider, each on a Unix socket in the run's private folder
 * (mkdtemp makes it 0700), and reads its handshake line. `Test: true` is go-plugin's mark of
 * a plugin the client must not stop: Terraform then neither starts nor kills it.
 */
async function startSharedPlugins(workDir: string, setup: PluginSetup): Promise<SharedPlugins> {
  const children: ChildProcess[] = [];
  const stop = (): void => {
    for (const child of children) child.kill();
  };
  const reattach: Record<string, object> = {};
  // Started side by side: each takes a Node start-up, and a run may need eight.
  const start = async ([address, executable]: [string, string], index: number): Promise<void> => {
    const socket = path.join(workDir, `plugin-${index}.sock`);
    const child = spawn(executable, [socket], { env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE }, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
      child.stdout!.setEncoding("utf8").once("data", (chunk: string) => resolve(chunk.trim()));
      child.once("exit", (code) => reject(new Error(`The ${address} plugin stopped before its handshake (exit ${code}): ${stderr.trim()}`)));
    });
    const [, protocolVersion, network, listen] = line.split("|");
    reattach[address] = { Protocol: "grpc", ProtocolVersion: Number(protocolVersion), Pid: child.pid, Test: true, Addr: { Network: network, String: listen } };
  };
  try {
    await Promise.all([...setup.executables].map(start));
  } catch (error) {
    stop();
    throw error;
  }
  return { reattach: JSON.stringify(reattach), stop };
}

interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
    child.on("error", (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The fix for a Terraform error, by its summary; Terraform's own detail says what is wrong. */
function fixFor(summary: string): string {
  switch (summary) {
    case "Invalid reference":
      return "A `${...}` in a string is a Terraform reference: name a declared resource, data source, local or variable, or, for literal text (a CloudFormation placeholder, a shell variable), write `$${` so Terraform leaves it alone.";
    case "Reference to undeclared resource":
    case "Reference to undeclared input variable":
    case "Reference to undeclared local value":
      return "Declare what the reference names in this stack, or correct the reference; stacks never reference each other.";
    case "Unsupported attribute":
      return "Reference an attribute the type has at the pinned provider version (see its @cdktf/provider-* class).";
    case "Unsupported argument":
    case "Extraneous JSON object property":
      return "Remove the argument or correct its name: the pinned provider version does not have it.";
    case "Missing required argument":
      return "Set the required argument in the construct that creates this block.";
    case "Unsupported block type":
      return "Remove the block or correct its name: the pinned provider version does not have it.";
    case "Invalid resource type":
    case "Invalid data source":
      return "Use a type the pinned provider version has (a typo, or a type added in a later version).";
    default:
      return "Correct the construct as Terraform's message says, then `npm run synth` and rehearse again.";
  }
}

/** Warnings every run with dev_overrides carries; they say nothing about the stack. */
function isRunNoise(diagnostic: any): boolean {
  return diagnostic?.summary === "Provider development overrides are in effect";
}

/** Turns `terraform validate -json` output into findings and warnings. */
export function diagnosticsToFindings(stack: string, output: string, fileText: string | undefined): { findings: RehearsalFinding[]; warnings: string[] } {
  let parsed: any;
  try {
    parsed = JSON.parse(output);
  } catch {
    return { findings: [], warnings: [] };
  }
  const findings: RehearsalFinding[] = [];
  const warnings: string[] = [];
  for (const diagnostic of parsed?.diagnostics ?? []) {
    if (isRunNoise(diagnostic)) continue;
    // Terraform points into a JSON string by the decoded template's offsets, so only the key
    // path (block and argument) is exact; no excerpt of the source is quoted.
    const start = diagnostic.range?.start?.byte;
    const where = fileText !== undefined && typeof start === "number" ? locate(fileText, start) : { address: "(stack)", argument: "" };
    const address = where.address;
    const detail = String(diagnostic.detail ?? "").replace(/\s+/g, " ").trim();
    const message = `terraform validate: ${diagnostic.summary}${where.argument ? ` in ${where.argument}` : ""}${detail ? `: ${detail}` : ""}`;
    if (diagnostic.severity === "error") {
      findings.push({ class: "validity", stack, address, message, fix: fixFor(String(diagnostic.summary)) });
    } else {
      warnings.push(`${address}: ${diagnostic.summary}${detail ? `: ${detail}` : ""}`);
    }
  }
  return { findings, warnings };
}

/** Terraform's first error in plain output ("Error: <summary>" and its first paragraph), in one line. */
export function firstError(output: string): string {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => /^(│ )?Error: /.test(line));
  if (start < 0) return output.trim().split("\n").slice(-3).join(" ").trim();
  const paragraph: string[] = [];
  for (const line of lines.slice(start, start + 12)) {
    const text = line.replace(/^│ ?/, "").trim();
    if (text === "" && paragraph.length > 1) break;
    if (text !== "") paragraph.push(text);
  }
  return paragraph.join(" ");
}

function notChecked(stack: string, why: string, fix: string): RehearsalFinding {
  return { class: "not-checked", stack, address: "(stack)", message: `terraform validate did not run: ${why}`, fix };
}

/** A stack pinned to an exact provider version other than the one the served schema describes. */
function versionMismatches(stack: string, json: any, schemaVersionFor: (address: string) => string | undefined): RehearsalFinding[] {
  const findings: RehearsalFinding[] = [];
  for (const [local, spec] of Object.entries<any>(json?.terraform?.required_providers ?? {})) {
    const pinned = typeof spec?.version === "string" ? spec.version.trim().replace(/^=\s*/, "") : undefined;
    const address = providerAddress(typeof spec === "string" ? local : spec?.source ?? local);
    const served = schemaVersionFor(address);
    if (!pinned || !served || !/^\d+\.\d+\.\d+$/.test(pinned) || pinned === served) continue;
    findings.push({
      class: "not-checked", stack, address: `provider.${local}`,
      message: `terraform validate checked against ${address} ${served}, but the stack pins ${pinned}`,
      fix: `Pin ${served}, the version the installed binding was generated for, or install the binding of ${pinned}.`,
    });
  }
  return findings;
}

/** Runs `limit` tasks at a time, keeping the results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Runs `terraform validate` on every stack. Throws only when the run itself cannot start
 * (no stacks folder, no Terraform, no openssl); a stack Terraform could not validate is a
 * `not-checked` finding, never a silent pass.
 */
export async function terraformValidate(options: TerraformValidateOptions): Promise<TerraformValidateResult> {
  const started = performance.now();
  const terraform = options.terraform ?? "terraform";
  const version = terraformVersion(terraform);
  if (!version) throw new Error(`No Terraform at "${terraform}": install Terraform (1.11 or later) or pass its path.`);
  if (!existsSync(options.stacksDir)) throw new Error(`No synthesized stacks at ${options.stacksDir}: run \`npm run synth\` first.`);
  const names = options.stacks ?? readdirSync(options.stacksDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

  const stackJson = new Map<string, any>();
  for (const name of names) {
    const file = path.join(options.stacksDir, name, "cdk.tf.json");
    if (!existsSync(file)) throw new Error(`No ${path.relative(process.cwd(), file)}: run \`npm run synth\` first.`);
    stackJson.set(name, JSON.parse(readFileSync(file, "utf8")));
  }

  const workDir = mkdtempSync(path.join(tmpdir(), "rehearse-terraform-"));
  let shared: SharedPlugins | undefined;
  try {
    const realProviders = options.realProviders === true;
    const addresses = [...new Set([...stackJson.values()].flatMap(requiredProviders))].sort();
    const setup = realProviders ? undefined : setUpPlugins(workDir, addresses, usedTypes(stackJson.values()), options.schemaFor ?? (() => undefined));
    const mode = realProviders ? "real-providers" : options.sharedPlugins === false ? "plugin-per-instance" : "shared-plugins";
    if (mode === "shared-plugins") shared = await startSharedPlugins(workDir, setup!);
    const setupSeconds = (performance.now() - started) / 1000;
    const env = terraformEnv(process.env, setup?.cliConfig);
    if (shared) env.TF_REATTACH_PROVIDERS = shared.reattach;

    const stacks = await mapLimited(names, options.concurrency ?? availableParallelism(), async (name): Promise<StackValidation> => {
      const stackStarted = performance.now();
      const json = stackJson.get(name);
      const missing = setup ? requiredProviders(json).filter((address) => !setup.served.has(address)) : [];
      if (missing.length > 0) {
        return {
          stack: name, seconds: 0, warnings: [],
          findings: [notChecked(name, `no schema for ${missing.join(", ")}`, "Add the provider's schema to the rehearsal (lib/rehearsal/provider-schema.ts), or run with --real-providers where the registry is reachable.")],
        };
      }
      const stackDir = path.join(workDir, "stacks", name);
      mkdirSync(stackDir, { recursive: true });
      // A copy, so Terraform writes nothing beside the synthesized stack. The `cloud` block stays:
      // validate reads it without contacting HCP Terraform (checked with Terraform 1.11).
      const text = readFileSync(path.join(options.stacksDir, name, "cdk.tf.json"), "utf8");
      writeFileSync(path.join(stackDir, "cdk.tf.json"), text);
      const stackEnv = { ...env, TF_DATA_DIR: path.join(stackDir, ".terraform") };
      if (realProviders) {
        const init = await run(terraform, ["init", "-backend=false", "-input=false", "-no-color"], stackDir, stackEnv);
        if (init.status !== 0) {
          return {
            stack: name, seconds: (performance.now() - stackStarted) / 1000, warnings: [],
            findings: [notChecked(name, `terraform init -backend=false failed: ${firstError(`${init.stdout}\n${init.stderr}`)}`, "Make the provider registry reachable (or a provider mirror in the CLI config), or run without --real-providers.")],
          };
        }
      }
      const validate = await run(terraform, ["validate", "-json", "-no-color"], stackDir, stackEnv);
      const { findings, warnings } = diagnosticsToFindings(name, validate.stdout, text);
      if (setup && options.schemaVersionFor) findings.unshift(...versionMismatches(name, json, options.schemaVersionFor));
      const seconds = (performance.now() - stackStarted) / 1000;
      // Exit 1 with errors is Terraform's answer; no JSON or no errors with a failure is not.
      if (validate.status !== 0 && findings.length === 0) {
        const why = firstError(`${validate.stderr}\n${validate.stdout}`) || `exit status ${validate.status}`;
        return { stack: name, seconds, warnings, findings: [notChecked(name, why, "Run `terraform validate` in a copy of the stack to see the full error.")] };
      }
      return { stack: name, seconds, findings, warnings };
    });

    return {
      terraformVersion: version,
      mode,
      stacks,
      findings: stacks.flatMap((s) => s.findings),
      seconds: (performance.now() - started) / 1000,
      setupSeconds,
    };
  } finally {
    shared?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
