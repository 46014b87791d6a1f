import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/load";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { validate } from "../lib/config/validate";
import { applyBaseline, readBaseline } from "../lib/rehearsal/baseline";
import { rehearse, RehearsalInputError } from "../lib/rehearsal/rehearse";
import { formatReport, gatePasses, jsonReport } from "../lib/rehearsal/report";
import { isEntryPoint } from "../lib/project-root.js";

/**
 * `npm run rehearse` rehearses the organization's first apply on the synthesized output:
 * findings grouped by apply wave and stack, each with what is wrong and the fix. Exits 1 on a
 * finding the baseline (rehearsal-baseline.json) does not list, or on a stale baseline entry.
 *
 *   npm run rehearse [-- --config <dir>] [--out <cdktf.out>] [--baseline <file>] [--json]
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Runs the rehearsal with the command's arguments; resolves to the exit code. */
export async function run(args: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      out: { type: "string" },
      baseline: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const configDir = path.resolve(values.config ?? path.join(root, "config"));
  const outdir = path.resolve(values.out ?? path.join(root, "cdktf.out"));
  const baselineFile = path.resolve(values.baseline ?? path.join(root, "rehearsal-baseline.json"));
  const baselineName = path.relative(process.cwd(), baselineFile) || baselineFile;
  // The command that makes the output this rehearsal expects, for the error messages.
  const synthArgs = [values.config ? `--config ${values.config}` : "", values.out ? `--out ${values.out}` : ""].filter(Boolean).join(" ");
  const synthCommand = synthArgs ? `npm run synth -- ${synthArgs}` : "npm run synth";
  try {
    if (!existsSync(configDir)) throw new RehearsalInputError(`Config directory ${configDir} does not exist. Pass --config <dir>.`);
    const model = validate(await loadConfig(configDir, path.relative(process.cwd(), configDir) || "."));
    const entries = readBaseline(baselineFile);
    const result = await rehearse(model, outdir, undefined, synthCommand);
    const gate = applyBaseline(result.findings, entries);
    process.stdout.write(values.json ? `${JSON.stringify(jsonReport(result, gate), null, 2)}\n` : formatReport(result, gate, baselineName));
    return gatePasses(gate) ? 0 : 1;
  } catch (error) {
    if (error instanceof ConfigError) process.stderr.write(formatProblems(error.problems));
    else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof ConfigError || error instanceof RehearsalInputError ? 1 : 2;
  }
}

// No top-level await: the command may run bundled as CommonJS.
if (isEntryPoint(import.meta.url)) void run().then((code) => { process.exitCode = code; });
