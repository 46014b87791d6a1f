import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Runs once before the test files: builds `.gen/main.cjs` and the one-file build of main.ts it
 * runs (`.gen/synth.cjs`, rebuilt only when an input changed), which `npm run synth` and
 * `npm run validate` run, so the command-line tests run the command as those scripts do.
 */
export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, "../scripts/build-synth.mjs")], { stdio: "inherit" });
}
