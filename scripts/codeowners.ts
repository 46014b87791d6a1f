import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { codeownersDiff, renderCodeowners } from "../lib/review/codeowners";
import { loadConfig } from "../lib/config/load";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { validate } from "../lib/config/validate";

/**
 * Writes CODEOWNERS from the config (`npm run codeowners`); with `--check`, writes nothing and
 * fails with the diff when the committed file differs (CI).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const file = path.join(root, "CODEOWNERS");
try {
  const model = validate(await loadConfig(path.join(root, "config"), "config"));
  const generated = renderCodeowners(model);
  if (process.argv.includes("--check")) {
    const committed = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (committed !== generated) {
      process.stderr.write(`CODEOWNERS differs from what config/ generates (it is generated; do not edit it by hand). Fix: run \`npm run codeowners\` and commit the result.\n${codeownersDiff(committed, generated)}\n`);
      process.exitCode = 1;
    } else process.stdout.write("CODEOWNERS is up to date.\n");
  } else {
    writeFileSync(file, generated);
    process.stdout.write("Wrote CODEOWNERS.\n");
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(formatProblems(error.problems));
  process.exitCode = 1;
}
