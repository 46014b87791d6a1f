import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { renderWorld } from "../lib/access/render";
import { reportOn, reportWho } from "../lib/access/report";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { projectRoot } from "../lib/project-root.js";
import { loadModel } from "../main.js";
import { synthesize } from "../synth.js";

/**
 * `npm run access -- --who <developer>` or `--on <service>` [`--config <dir>`]: what a person can
 * do where and through which chain (SAML -> bastion role -> team role -> permissions), or who and
 * what can act on a service, from the synthesized policies.
 */
const { values } = parseArgs({ options: { who: { type: "string" }, on: { type: "string" }, config: { type: "string" } } });
if (!values.who && !values.on) {
  process.stderr.write("Missing --who <developer> or --on <service>. Fix: e.g. npm run access -- --who alice\n");
  process.exit(1);
}
const root = projectRoot(import.meta.url);
const configDir = path.resolve(values.config ?? path.join(root, "config"));
const out = mkdtempSync(path.join(tmpdir(), "access-"));
try {
  const model = await loadModel(configDir, path.relative(root, configDir) || "config");
  synthesize(model, path.join(out, "cdktf.out"));
  const dir = path.join(out, "cdktf.out", "stacks");
  const stacks: Record<string, Record<string, unknown>> = {};
  for (const name of readdirSync(dir).sort()) stacks[name] = JSON.parse(readFileSync(path.join(dir, name, "cdk.tf.json"), "utf8"));
  const world = renderWorld(model, stacks);
  if (values.who) process.stdout.write(await reportWho(model, world, values.who));
  if (values.on) process.stdout.write(await reportOn(model, world, values.on));
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(formatProblems(error.problems));
  else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
