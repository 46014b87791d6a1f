import { existsSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { App } from "cdktf";
import type { Construct } from "constructs";
import { formatFindings, hasErrors } from "./guardrails/evaluate.js";
import type { Finding } from "./guardrails/rule.js";
import { loadConfig } from "./lib/load.js";
import type { OrganizationModel } from "./lib/model.js";
import { ConfigError, formatProblems } from "./lib/problems.js";
import { planStacks, type StackKind } from "./lib/stack-plan.js";
import { validate } from "./lib/validate.js";
import { AccountsStack } from "./stacks/accounts-stack.js";
import { BastionStack } from "./stacks/bastion-stack.js";
import { ClusterStack } from "./stacks/cluster-stack.js";
import { DatadogStack } from "./stacks/datadog-stack.js";
import { GithubStack } from "./stacks/github-stack.js";
import { LogArchiveStack } from "./stacks/log-archive-stack.js";
import { NamespacesStack } from "./stacks/namespaces-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";
import { OrganizationStack } from "./stacks/organization-stack.js";
import { PagerdutyStack } from "./stacks/pagerduty-stack.js";
import { PlatformStack, type PlatformStackProps } from "./stacks/platform-stack.js";
import { SecurityStack } from "./stacks/security-stack.js";
import { ServiceStack } from "./stacks/service-stack.js";
import { WorkspacesStack } from "./stacks/workspaces-stack.js";

const ROOT = path.dirname(fileURLToPath(import.meta.url));

const STACK_CLASSES: Record<StackKind, new (scope: Construct, props: PlatformStackProps) => PlatformStack> = {
  workspaces: WorkspacesStack,
  organization: OrganizationStack,
  accounts: AccountsStack,
  "log-archive": LogArchiveStack,
  security: SecurityStack,
  network: NetworkStack,
  cluster: ClusterStack,
  bastion: BastionStack,
  service: ServiceStack,
  namespaces: NamespacesStack,
  people: PagerdutyStack,
};
const PEOPLE_CLASSES: Record<string, new (scope: Construct, props: PlatformStackProps) => PlatformStack> = {
  github: GithubStack,
  datadog: DatadogStack,
  pagerduty: PagerdutyStack,
};

/** Builds every stack of the organization in one loop over the validated model. */
export function buildApp(model: OrganizationModel, outdir: string, only?: ReadonlySet<string>): App {
  // cdktf's construct validations would run `terraform version` once per stack for the cloud
  // block check (~40 ms each, 20 s at 500 stacks), and Terraform Cloud pins the version anyway.
  // Config is validated before this point and guardrails run on the synthesized JSON.
  const app = new App({ outdir, skipValidation: true });
  for (const spec of planStacks(model)) {
    if (only && !only.has(spec.name)) continue;
    const Stack = spec.kind === "people" ? PEOPLE_CLASSES[spec.name]! : STACK_CLASSES[spec.kind];
    new Stack(app, { spec, model });
  }
  return app;
}

/** Loads and validates a config directory; throws ConfigError with every problem. */
export async function loadModel(configDir: string, label: string): Promise<OrganizationModel> {
  return validate(await loadConfig(configDir, label));
}

/** Guardrail errors found while synthesizing; nothing is written when it is thrown. */
export class GuardrailError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(`${findings.length} guardrail finding(s)`);
    this.name = "GuardrailError";
  }
}

/** Every guardrail finding of a synthesized app (suppressed ones included, marked), in stack order. */
export function findingsOf(app: App): Finding[] {
  return app.node.children.flatMap((c) => (c instanceof PlatformStack ? c.findings : []));
}

/**
 * Synthesizes into a temporary directory and swaps it in only when everything succeeded
 * (including the guardrails), so a failure never leaves a partial `cdktf.out`.
 * Returns the findings (warnings only) for the caller to print.
 */
export function synthesize(model: OrganizationModel, outdir: string, build: typeof buildApp = buildApp): Finding[] {
  const staging = `${outdir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = build(model, staging);
    app.synth();
    const findings = findingsOf(app);
    if (hasErrors(findings)) throw new GuardrailError(findings);
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return findings;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The synth command. `build` lets a test app add constructs to the organization's app (for
 * example a resource that breaks a guardrail) and still go through the real command.
 */
export async function run(args: string[] = process.argv.slice(2), build: typeof buildApp = buildApp): Promise<number> {
  // cdktf captures a stack trace for every token it creates; with source maps on (tsx turns them
  // on) each capture maps every frame, which was a third of the construct-building time of a
  // large organization. Errors are reported without stack traces anyway.
  process.setSourceMapsEnabled(false);
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      out: { type: "string" },
      "validate-only": { type: "boolean", default: false },
    },
  });
  // The only place that reads the environment: a generated organization (benchmarks, fuzzing)
  // can be synthesized with --config or SUPER_TF_CONFIG_DIR.
  const configDir = path.resolve(values.config ?? process.env.SUPER_TF_CONFIG_DIR ?? path.join(ROOT, "config"));
  const label = path.relative(process.cwd(), configDir) || ".";
  const outdir = path.resolve(values.out ?? process.env.SUPER_TF_OUT_DIR ?? path.join(ROOT, "cdktf.out"));
  if (!existsSync(configDir)) {
    process.stderr.write(`Config directory ${configDir} does not exist. Fix: pass --config <dir> with platform.ts, developers.ts and services.ts.\n`);
    return 1;
  }
  try {
    const model = await loadModel(configDir, label);
    if (values["validate-only"]) {
      process.stdout.write(`Config is valid: ${model.developers.length} developers, ${model.services.length} services, ${planStacks(model).length} stacks.\n`);
      return 0;
    }
    // Warnings and suppressed findings: the synth output lists every suppression.
    const warnings = synthesize(model, outdir, build);
    if (warnings.length > 0) process.stderr.write(formatFindings(warnings));
    process.stdout.write(`Synthesized ${planStacks(model).length} stacks into ${path.relative(process.cwd(), outdir) || "."}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(formatProblems(error.problems));
      return 1;
    }
    if (error instanceof GuardrailError) {
      process.stderr.write(formatFindings(error.findings));
      return 1;
    }
    // Anything else is a defect of this project, not of the config: say so without a stack trace.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Synthesis failed: ${message}\nThis is a bug in the platform code, not in your config; please tell the platform team. Nothing was written.\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await run();
}
