import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { SyntaxKind } from "ts-morph";
import type { Problem } from "../lib/config/problems";
import { DNS_LABEL } from "../lib/config/schema";
import { commit, insertProperty, loadModelAt, locate, parse, propertyName, reportProblems, exitCodeOf, validateEdit } from "./config-edit.js";
import { isEntryPoint } from "../lib/project-root.js";

/*
 * `npm run add-developer -- --github <user> --name "<full name>" --email <email> --slack <member id>
 *  [--key <key>] [--datadog-role <role>] [--pagerduty-role <role>]`
 *
 * Adds one entry to config/developers.ts in key order, keeping the file's formatting, after
 * validating the whole config with the entry in place. The onboarding workflow runs it.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  key?: string;
  name: string;
  email: string;
  github: string;
  slack: string;
  datadogRole?: string;
  pagerdutyRole?: string;
  config: string;
  codeowners?: string;
}

/** A developer key from a GitHub username: lower-case, hyphens for anything else, at most 40 characters. */
export function keyFromGithub(github: string): string {
  return github.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
}

async function main(argv: readonly string[]): Promise<number> {
  const o = new Command("add-developer")
    .description("Add a developer to config/developers.ts")
    .requiredOption("--name <name>", "full name, as shown in Datadog and PagerDuty")
    .requiredOption("--email <email>", "work email")
    .requiredOption("--github <user>", "GitHub username")
    .requiredOption("--slack <id>", "Slack member ID, e.g. U01ABCDEF")
    .option("--key <key>", "developer key (services list it as an owner); default: from the GitHub username")
    .option("--datadog-role <role>", "Datadog role; default: the first of config/platform.ts datadog.roles")
    .option("--pagerduty-role <role>", "PagerDuty role; default: the first of config/platform.ts pagerduty.roles")
    .option("--config <dir>", "config directory", path.join(ROOT, "config"))
    .option("--codeowners <file>", "CODEOWNERS to regenerate; default: next to the config directory")
    .exitOverride()
    .parse([...argv], { from: "user" })
    .opts<Options>();

  const at = locate(o.config, o.codeowners);
  const model = await loadModelAt(at.dir, at.label);
  const file = `${at.label}/developers.ts`;
  const key = o.key ?? keyFromGithub(o.github);
  const problems: Problem[] = [];
  if (!DNS_LABEL.test(key) || key.length > 40) {
    problems.push({ file, entry: key, field: "", value: key, message: "is not a valid developer key", fix: "pass --key with a short lower-case name of letters, digits and hyphens, such as \"alice\" or \"bob-k\"" });
  } else if (model.developers.some((d) => d.key === key)) {
    problems.push({ file, entry: key, field: "", value: key, message: "is already a developer", fix: "pass another --key, or edit the existing entry" });
  }
  if (problems.length > 0) return reportProblems(problems);

  const q = (v: string) => JSON.stringify(v);
  const entry = [
    `${propertyName(key)}: {`,
    `  name: ${q(o.name)},`,
    `  email: ${q(o.email)},`,
    `  github: ${q(o.github)},`,
    `  slack: ${q(o.slack)},`,
    `  datadogRole: ${q(o.datadogRole ?? model.platform.datadog.roles[0]!)},`,
    `  pagerdutyRole: ${q(o.pagerdutyRole ?? model.platform.pagerduty.roles[0]!)},`,
    `}`,
  ].join("\n");
  const text = readFileSync(path.join(at.dir, "developers.ts"), "utf8");
  const call = parse(text).getExportAssignmentOrThrow((e) => !e.isExportEquals()).getExpressionIfKindOrThrow(SyntaxKind.CallExpression);
  const object = call.getArguments()[0]!.asKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  const files = { "developers.ts": insertProperty(text, object, key, entry) };
  const next = await validateEdit(at, files);
  commit(at, files, next);
  process.stdout.write(`Added developer "${key}" (${o.github}) to ${file}.\n`);
  return 0;
}

/** Runs the command with its arguments; resolves to the exit code. */
export function run(args: readonly string[]): Promise<number> {
  return exitCodeOf(() => main(args));
}

if (isEntryPoint(import.meta.url)) process.exitCode = await run(process.argv.slice(2));
