import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { providerSchema, schemaCoverage, schemaProviderVersion } from "../lib/rehearsal/provider-schema";
import { terraformValidate, terraformVersion, type TerraformValidateResult } from "../lib/rehearsal/terraform-validate";
import { isEntryPoint } from "../lib/project-root.js";

/**
 * `npm run rehearse:terraform` runs the real `terraform validate` on every synthesized stack
 * (`npm run synth` first), offline: each provider is served by a local plugin with the schema
 * derived from its pinned `@cdktf/provider-*` package. Exits 1 on any finding.
 *
 *   --real-providers   validate with the real providers instead (terraform init -backend=false; needs the registry)
 *   --plugin-per-instance  let Terraform start a plugin per provider instance (dev_overrides, mutual TLS), as it
 *                      starts real providers, instead of attaching every run to one shared plugin per provider
 *   --stacks a,b       only these stacks
 *   --changed <file>   only the stacks listed in the file (`npm run diff`'s changed-stacks.txt), skipping removed ones
 *   --concurrency N    stacks at once (default: the number of cores)
 *   --json             the findings and timings as JSON, for CI
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function render(result: TerraformValidateResult): string {
  const lines = [`terraform validate (Terraform ${result.terraformVersion}, ${result.mode.replace(/-/g, " ")}):`];
  const width = Math.max(0, ...result.stacks.map((s) => s.stack.length));
  for (const stack of result.stacks) {
    const errors = stack.findings.filter((f) => f.class === "validity").length;
    const status = stack.findings.some((f) => f.class === "not-checked") ? "NOT CHECKED" : errors > 0 ? `${errors} error${errors === 1 ? "" : "s"}` : "valid";
    lines.push(`  ${stack.stack.padEnd(width)}  ${stack.seconds.toFixed(1).padStart(5)} s  ${status}${stack.warnings.length > 0 ? ` (${stack.warnings.length} warning${stack.warnings.length === 1 ? "" : "s"})` : ""}`);
  }
  for (const stack of result.stacks) {
    if (stack.findings.length === 0 && stack.warnings.length === 0) continue;
    lines.push("", `${stack.stack}:`);
    for (const finding of stack.findings) lines.push(`  ${finding.address}: ${finding.message}`, `    fix: ${finding.fix}`);
    for (const warning of stack.warnings) lines.push(`  warning: ${warning}`);
  }
  lines.push("", `${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} in ${result.stacks.length} stacks; ${result.seconds.toFixed(1)} s (setup ${result.setupSeconds.toFixed(1)} s).`);
  return `${lines.join("\n")}\n`;
}

/** Runs the command with its arguments; resolves to the exit code. */
export async function run(args: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      "real-providers": { type: "boolean", default: false },
      "plugin-per-instance": { type: "boolean", default: false },
      stacks: { type: "string" },
      changed: { type: "string" },
      concurrency: { type: "string" },
      json: { type: "boolean", default: false },
      out: { type: "string", default: path.join(root, "cdktf.out") },
    },
  });

  if (!terraformVersion()) {
    process.stderr.write("terraform validate did not run: no `terraform` on PATH. Install Terraform 1.11 or later (the rehearsal's other checks do not need it).\n");
    return 1;
  }

  const stacksDir = path.join(path.resolve(values.out), "stacks");

  // The stacks asked for, if any; a changed stack that is no longer synthesized (removed) has nothing to validate.
  const selectedStacks = (): string[] | undefined => {
    if (values.stacks !== undefined) return values.stacks.split(",").map((s) => s.trim()).filter(Boolean);
    if (values.changed === undefined) return undefined;
    const listed = readFileSync(values.changed, "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
    const removed = listed.filter((name) => !existsSync(path.join(stacksDir, name, "cdk.tf.json")));
    for (const name of removed) process.stderr.write(`${name}: not synthesized any more (removed); nothing to validate.\n`);
    return listed.filter((name) => !removed.includes(name));
  };

  try {
    const result = await terraformValidate({
      stacksDir,
      stacks: selectedStacks(),
      realProviders: values["real-providers"],
      sharedPlugins: !values["plugin-per-instance"],
      concurrency: values.concurrency ? Number(values.concurrency) : undefined,
      schemaFor: (address, used) => (schemaCoverage(address) ? providerSchema(address, used) : undefined),
      schemaVersionFor: schemaProviderVersion,
    });
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : render(result));
    return result.findings.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}

// No top-level await: the command may run bundled as CommonJS.
if (isEntryPoint(import.meta.url)) void run().then((code) => { process.exitCode = code; });
