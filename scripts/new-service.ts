import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { SyntaxKind } from "ts-morph";
import { firstFree, formatCidr, overlaps, parseCidr, poolOf, serviceVpcCidrs, slotCount, slotIndex, type Block } from "../lib/plan/cidr";
import { renderServiceManifests } from "../charts/render.js";
import type { OrganizationModel } from "../lib/config/model";
import { loadManifests } from "../lib/manifests/load";
import { scaffoldManifests } from "../lib/manifests/scaffold";
import { manifestSourcePath } from "../lib/plan/argocd";
import type { Problem } from "../lib/config/problems";
import { DNS_LABEL } from "../lib/config/schema";
import { commit, insertImport, insertProperty, loadModelAt, locate, parse, propertyName, reportProblems, exitCodeOf, validateEdit } from "./config-edit.js";
import { isEntryPoint } from "../lib/project-root.js";

/*
 * `npm run new-service -- --name x --owner a --owner b [--tenancy shared] [--region r]...
 *  [--ou ou] [--email e] [--description d] [--slack-handle h]`
 *
 * Writes config/services/<name>.ts, lists it in config/services.ts (imports and entries kept
 * in order), regenerates CODEOWNERS, and scaffolds the service's typed Kubernetes manifests
 * (manifests/<name>/manifests.ts, beside the config directory) rendered to plain YAML. VPC CIDRs are left to the hash allocation of lib/plan/cidr.ts
 * unless its slot is taken. Everything is validated before a file is written.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  name: string;
  owner: string[];
  tenancy: "shared" | "dedicated";
  region: string[];
  ou?: string;
  email?: string;
  description?: string;
  slackHandle?: string;
  config: string;
  codeowners?: string;
}

/** The import identifier of a service file, as validation suggests it. */
export function identifierOf(key: string): string {
  const c = key.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
  return /^[0-9]/.test(c) ? `s${c}` : c;
}

/** Input problems found before any file is generated: the name and the owners. */
function checkInput(o: Options, model: OrganizationModel, label: string, taken: boolean): Problem[] {
  const file = `${label}/services/${o.name}.ts`;
  const problems: Problem[] = [];
  if (!DNS_LABEL.test(o.name) || o.name.length > 40) {
    problems.push({ file, entry: o.name, field: "", value: o.name, message: "is not a valid service name (it becomes the namespace, stack and workspace name)", fix: "use at most 40 lower-case letters, digits and hyphens, starting and ending with a letter or digit, e.g. payments-api" });
  } else if (taken) {
    problems.push({ file, entry: o.name, field: "", value: o.name, message: "is already a service", fix: "choose another name, or edit the existing file to change that service" });
  }
  const developers = new Set(model.developers.map((d) => d.key));
  o.owner.forEach((owner, i) => {
    if (!developers.has(owner)) problems.push({ file, entry: o.name, field: `owners.${i}`, value: owner, message: "is not a developer in config/developers.ts", fix: "use a developer key from config/developers.ts, or add the developer first (npm run add-developer)" });
  });
  if (o.owner.length === 0) problems.push({ file, entry: o.name, field: "owners", value: [], message: "lists no owner", fix: "pass --owner <developer key> at least once" });
  return problems;
}

/** The new service file, in the same shape as the hand-written ones. */
function serviceFile(o: Options, model: OrganizationModel, regions: string[], ou: string, defineImport: string): string {
  const p = model.platform;
  const segment = p.organizationalUnits[ou]?.segment ?? "";
  // A service's VPC is allocated by a hash of its name (lib/plan/cidr.ts), so the file states no
  // CIDR unless that slot is already taken; then it states the next free block of the pool.
  const taken: Block[] = [...model.services.flatMap((s) => Object.values(s.vpcCidrs)), ...Object.values(p.network.egress), ...p.network.onPremises.cidrs]
    .map((c) => parseCidr(c)).filter((b): b is Block => b !== undefined);
  const allocated = serviceVpcCidrs(p, { key: o.name, segment, regions, cidrs: {} });
  const cidrs: Record<string, string> = {};
  for (const region of regions) {
    const block = allocated[region] === undefined ? undefined : parseCidr(allocated[region]);
    const pool = poolOf(p, region, segment);
    // No pool: leave it out and let validation explain what is missing.
    if (!block || !pool || !taken.some((t) => overlaps(t, block))) continue;
    const free = firstFree(pool, block.prefix, taken, slotIndex(o.name, Math.max(1, slotCount(pool, block.prefix))));
    if (free) {
      cidrs[region] = formatCidr(free);
      taken.push(free);
    }
  }
  const domain = p.accounts.management.email.split("@")[1];
  const q = (v: string) => JSON.stringify(v);
  const lines = [
    defineImport,
    ``,
    `export default defineService({`,
    `  description: ${q(o.description ?? `${o.name} service`)},`,
    `  owners: [${o.owner.map(q).join(", ")}],`,
    `  account: { email: ${q(o.email ?? `aws+${o.name}@${domain}`)}, ou: ${q(ou)} },`,
    `  regions: [${regions.map(q).join(", ")}],`,
    ...(Object.keys(cidrs).length > 0 ? [`  network: { cidrs: { ${Object.entries(cidrs).map(([r, c]) => `${q(r)}: ${q(c)}`).join(", ")} } },`] : []),
    `  kubernetes: { tenancy: ${q(o.tenancy)} },`,
    `  slack: { handle: ${q(o.slackHandle ?? o.name.slice(0, 21))} },`,
    `});`,
    ``,
  ];
  return lines.join("\n");
}

/** The `defineService` import as the existing service files write it (so a relocated config keeps working). */
function defineImportOf(dir: string): string {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    const m = /^import \{ defineService \} from "[^"]+";$/m.exec(readFileSync(path.join(dir, file), "utf8"));
    if (m) return m[0];
  }
  return `import { defineService } from "../../lib/define.js";`;
}

/** config/services.ts with the new service imported and listed in order. */
function indexFile(text: string, name: string): string {
  const ident = identifierOf(name);
  const specifier = `./services/${name}.js`;
  let out = insertImport(text, parse(text), `import ${ident} from ${JSON.stringify(specifier)};`, specifier);
  const file = parse(out);
  const object = file.getExportAssignmentOrThrow((e) => !e.isExportEquals()).getExpressionIfKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  out = insertProperty(out, object, name, ident === name ? name : `${propertyName(name)}: ${ident}`);
  return out;
}

async function main(argv: readonly string[]): Promise<number> {
  const o = new Command("new-service")
    .description("Scaffold config/services/<name>.ts, list it in config/services.ts and regenerate CODEOWNERS")
    .requiredOption("--name <name>", "service name: lower-case letters, digits, hyphens")
    .option("--owner <key>", "owner's developer key (repeat for several)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--tenancy <tenancy>", "shared (namespace on the platform cluster) or dedicated", "shared")
    .option("--region <region>", "region (repeat for several); default: the platform's primary region", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--ou <ou>", "organizational unit; default: the first workloads OU in config/platform.ts")
    .option("--email <email>", "root email of the service's AWS account; default: aws+<name>@<the platform's domain>")
    .option("--description <text>", "what the service does")
    .option("--slack-handle <handle>", "Slack user group handle; default: the name")
    .option("--config <dir>", "config directory", path.join(ROOT, "config"))
    .option("--codeowners <file>", "CODEOWNERS to regenerate; default: next to the config directory")
    .exitOverride()
    .parse([...argv], { from: "user" })
    .opts<Options>();

  const at = locate(o.config, o.codeowners);
  const model = await loadModelAt(at.dir, at.label);
  const indexPath = path.join(at.dir, "services.ts");
  const index = readFileSync(indexPath, "utf8");
  const taken = model.services.some((s) => s.key === o.name) || existsSync(path.join(at.dir, "services", `${o.name}.ts`));
  const problems = checkInput(o, model, at.label, taken);
  if (problems.length > 0) return reportProblems(problems);

  const p = model.platform;
  const regions = o.region.length > 0 ? o.region : [p.regions[0]!];
  const ou = o.ou ?? Object.entries(p.organizationalUnits).find(([, d]) => d.workloads)?.[0] ?? "";
  const files = {
    [path.join("services", `${o.name}.ts`)]: serviceFile(o, model, regions, ou, defineImportOf(path.join(at.dir, "services"))),
    "services.ts": indexFile(index, o.name),
  };
  const next = await validateEdit(at, files);
  const s = next.services.find((x) => x.key === o.name)!;
  const root = path.dirname(at.dir);
  const source = path.join(root, manifestSourcePath(s.key));
  if (existsSync(source)) return reportProblems([{ file: manifestSourcePath(s.key), entry: s.key, field: "", value: source, message: "already exists (left from an earlier service of this name?)", fix: `move it away or delete it, then run the command again` }]);
  commit(at, files, next);
  // The manifests import defineManifests from where the service files import defineService.
  mkdirSync(path.dirname(source), { recursive: true });
  writeFileSync(source, scaffoldManifests(next.platform, s, defineImportOf(path.join(at.dir, "services")).replace("defineService", "defineManifests")));
  const loaded = await loadManifests(root, next.platform, s, `${at.label}/services/${s.key}.ts`);
  if (!loaded.source) return reportProblems(loaded.problems);
  const rendered = renderServiceManifests(next.platform, s, loaded.source);
  for (const [file, text] of rendered) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  process.stdout.write(`Created ${at.label}/services/${o.name}.ts (owners ${s.owners.join(", ")}; ${s.regions.map((r) => `${r} ${s.vpcCidrs[r]}`).join(", ")}), listed it in ${at.label}/services.ts, regenerated CODEOWNERS and scaffolded ${manifestSourcePath(s.key)} (rendered to ${rendered.size} YAML files; edit it, then npm run manifests).\n`);
  return 0;
}

/** Runs the command with its arguments; resolves to the exit code. */
export function run(args: readonly string[]): Promise<number> {
  return exitCodeOf(() => main(args));
}

if (isEntryPoint(import.meta.url)) process.exitCode = await run(process.argv.slice(2));
