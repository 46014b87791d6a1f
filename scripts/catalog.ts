import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildCatalog } from "../lib/review/catalog";
import { renderCatalogHtml } from "../lib/review/catalog-html";
import { loadConfig } from "../lib/config/load";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { validate } from "../lib/config/validate";

/**
 * `npm run catalog [-- --config <dir> --out <dir>]`: writes catalog/catalog.json and the
 * static page catalog/index.html from the validated config. No credentials, no network.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { config: { type: "string" }, out: { type: "string" } } });
const configDir = path.resolve(values.config ?? path.join(root, "config"));
const outDir = path.resolve(values.out ?? path.join(root, "catalog"));
try {
  const model = validate(await loadConfig(configDir, path.relative(process.cwd(), configDir) || "."));
  const catalog = buildCatalog(model);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "catalog.json"), `${JSON.stringify(catalog, null, 2)}\n`);
  writeFileSync(path.join(outDir, "index.html"), renderCatalogHtml(catalog));
  process.stdout.write(`Wrote the catalog of ${catalog.services.length} services and ${catalog.developers.length} developers to ${path.relative(process.cwd(), outDir) || "."}/{catalog.json,index.html}.\n`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(formatProblems(error.problems));
  process.exitCode = 1;
}
