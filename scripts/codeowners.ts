import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderCodeowners } from "../lib/codeowners.js";
import { loadConfig } from "../lib/load.js";
import { ConfigError, formatProblems } from "../lib/problems.js";
import { validate } from "../lib/validate.js";

/** Writes CODEOWNERS from the config (`npm run codeowners`). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
try {
  const model = validate(await loadConfig(path.join(root, "config"), "config"));
  writeFileSync(path.join(root, "CODEOWNERS"), renderCodeowners(model));
  process.stdout.write("Wrote CODEOWNERS.\n");
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(formatProblems(error.problems));
  process.exitCode = 1;
}
