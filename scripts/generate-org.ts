import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import platform from "../config/platform.js";
import { generateOrg, renderOrgFiles, type GeneratedOrg } from "../lib/config/generate-org";
import type { PlatformInput } from "../lib/config/schema";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Writes a synthetic organization into a config directory (`npm run generate-org`). Its
 * platform is `options.platform`, by default the organization's own `config/platform.ts`.
 */
export function writeOrg(dir: string, developers: number, services: number, options: { seed?: number; vendingShards?: number; platform?: PlatformInput } = {}): GeneratedOrg {
  const { platform: base = platform, ...sizes } = options;
  const org = generateOrg(base, { developers, services, ...sizes });
  const files = renderOrgFiles(org, path.join(ROOT, "lib/define.ts"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return org;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = new Command()
    .description("Write a synthetic organization for benchmarks and scale tests")
    .requiredOption("--out <dir>", "config directory to write")
    .option("--developers <n>", "number of developers", "120")
    .option("--services <n>", "number of services", "40")
    .option("--seed <n>", "random seed", "1")
    .parse()
    .opts<{ out: string; developers: string; services: string; seed: string }>();
  const org = writeOrg(path.resolve(opts.out), Number(opts.developers), Number(opts.services), { seed: Number(opts.seed) });
  process.stdout.write(`Wrote ${opts.developers} developers in ${org.teams} teams and ${opts.services} services to ${opts.out}; synthesize with: npm run synth -- --config ${opts.out}\n`);
}
