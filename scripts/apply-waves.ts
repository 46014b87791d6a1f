import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initAnd, pool, stackDir } from "./terraform-run";
import { isEntryPoint } from "../lib/project-root.js";

/**
 * `npm run -s apply-waves -- --waves waves.txt [--out cdktf.out] [--logs applies] [--parallel 4] [--terraform terraform]`
 *
 * Applies the stacks of `npm run stacks -- --changed <file> --waves` (one wave per line,
 * stacks separated by spaces): the stacks of a wave side by side, a wave only after every
 * stack of the one before applied. After a failure no later wave starts (its stacks rely on
 * what failed); the run fails, the applied tag stays, and the next run retries from there.
 * Each stack's output goes to `<logs>/<stack>.log`. Resolves to the exit code.
 */
export async function run(args: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({ args, options: {
    waves: { type: "string" }, out: { type: "string", default: "cdktf.out" }, logs: { type: "string", default: "applies" },
    parallel: { type: "string", default: "4" }, terraform: { type: "string", default: "terraform" },
  } });
  if (!values.waves) {
    process.stderr.write("Pass --waves <file with one wave of stacks per line>.\n");
    return 2;
  }
  const waves = readFileSync(values.waves, "utf8").split("\n").map((l) => l.trim().split(/\s+/).filter(Boolean)).filter((w) => w.length > 0);
  mkdirSync(values.logs, { recursive: true });
  const parallel = Math.max(1, Number(values.parallel) || 1);

  for (const [i, wave] of waves.entries()) {
    process.stdout.write(`wave ${i + 1}/${waves.length}: ${wave.join(" ")}\n`);
    const codes = await pool(wave, parallel, (stack) =>
      initAnd(values.terraform, stackDir(values.out, stack), ["apply", "-input=false", "-no-color", "-auto-approve"], path.join(values.logs, `${stack}.log`)));
    const failed = wave.filter((_, j) => codes[j] !== 0);
    for (const [j, stack] of wave.entries()) process.stdout.write(`  ${stack}: ${codes[j] === 0 ? "applied" : `failed (exit ${codes[j]}, see ${path.join(values.logs, `${stack}.log`)})`}\n`);
    if (failed.length > 0) {
      const rest = waves.slice(i + 1).flat();
      process.stdout.write(`::error::apply failed in ${failed.join(", ")}${rest.length > 0 ? `; not started: ${rest.join(", ")}` : ""}. The next apply run retries them from the last applied commit.\n`);
      return 1;
    }
  }
  process.stdout.write(`applied ${waves.flat().length} stack(s) in ${waves.length} wave(s)\n`);
  return 0;
}

// No top-level await: the command may run bundled as CommonJS.
if (isEntryPoint(import.meta.url)) void run().then((code) => { process.exitCode = code; });
