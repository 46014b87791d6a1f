import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatProofs, proofsHold, runProofs } from "../lib/access/proofs";
import { securityTable, tableOrganization, withSecurityTable } from "../lib/access/security-table";
import { validate } from "../lib/config/validate";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { projectRoot } from "../lib/project-root.js";
import { loadModel } from "../main.js";
import { synthesize } from "../synth.js";

/**
 * `npm run access-proofs [-- --config <dir>] [--json <file>] [--readme]`: synthesizes the organization into
 * a temporary directory, renders every policy of every stack and evaluates the access cases
 * (lib/access/cases.ts) with the IAM simulator. Exits 1 when a case fails, an expression stays
 * unresolved or an organization policy exceeds AWS's limits. `--readme` rewrites the security
 * table of README.md from the cases (the test fails when it is stale).
 */
const { values } = parseArgs({ options: { config: { type: "string" }, json: { type: "string" }, readme: { type: "boolean" } } });
const root = projectRoot(import.meta.url);
const configDir = path.resolve(values.config ?? path.join(root, "config"));
const out = mkdtempSync(path.join(tmpdir(), "access-proofs-"));
try {
  const started = Date.now();
  const model = await loadModel(configDir, path.relative(root, configDir) || "config");
  synthesize(model, path.join(out, "cdktf.out"));
  const dir = path.join(out, "cdktf.out", "stacks");
  const stacks: Record<string, unknown> = {};
  for (const name of readdirSync(dir).sort()) stacks[name] = JSON.parse(readFileSync(path.join(dir, name, "cdk.tf.json"), "utf8"));
  const run = await runProofs(model, stacks);
  process.stdout.write(formatProofs(run, Date.now() - started));
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(run.results.map((r) => ({ ...r.case, decision: r.decision, passed: r.passed })), null, 2)}\n`);
  }
  if (values.readme) {
    // The table comes from a generated organization on this platform config (see tableOrganization).
    const tableModel = validate(tableOrganization(model.platform as never));
    const tableDir = path.join(out, "table");
    synthesize(tableModel, tableDir);
    const tableStacks: Record<string, unknown> = {};
    for (const name of readdirSync(path.join(tableDir, "stacks")).sort()) tableStacks[name] = JSON.parse(readFileSync(path.join(tableDir, "stacks", name, "cdk.tf.json"), "utf8"));
    const tableRun = await runProofs(tableModel, tableStacks);
    const file = path.join(root, "README.md");
    writeFileSync(file, withSecurityTable(readFileSync(file, "utf8"), securityTable(tableRun.cases)));
    process.stdout.write(`Wrote the security table of README.md (${tableRun.results.filter((r) => r.passed).length} of ${tableRun.results.length} cases of the generated organization pass).\n`);
  }
  if (!proofsHold(run)) process.exitCode = 1;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(formatProblems(error.problems));
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
