import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Runs once before the test files: builds `.gen/main.cjs`, the bundle of main.ts that
 * `npm run synth` and `npm run validate` run, so the command-line tests run the command as
 * those scripts do, at about 60% of the CPU of loading main.ts through the TypeScript loader.
 */
export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, "../scripts/build-synth.mjs")], { stdio: "inherit" });
}
