import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadModelOrExit } from "./load-model";
import { planStacks } from "../lib/plan/stack-plan";
import { orderChangedStacks } from "../lib/review/changed-stacks";
import { planSchedule } from "../lib/review/plan-schedule";
import { initAnd, pool, stackDir } from "./terraform-run";

/**
 * `npm run -s plan-stacks -- --changed changed-stacks.txt [--dir plans] [--out cdktf.out] [--parallel 4] [--terraform terraform] [--api https://app.terraform.io]`
 *
 * The pull request's speculative plans, in waves (lib/review/plan-schedule.ts): asks Terraform
 * Cloud which changed stacks' workspaces exist (token: TF_TOKEN_app_terraform_io, the plan-only
 * team token), plans those that can be planned, side by side, and writes for `npm run
 * plan-summary` the files it reads: `order.txt`, `removed.txt` and per stack `.log`/`.exit`
 * (+ `.after`), `.skipped` or `.pending`.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: {
  changed: { type: "string" }, dir: { type: "string", default: "plans" }, out: { type: "string", default: "cdktf.out" },
  config: { type: "string" }, parallel: { type: "string", default: "4" }, terraform: { type: "string", default: "terraform" },
  api: { type: "string", default: "https://app.terraform.io" },
} });
if (!values.changed) {
  process.stderr.write("Pass --changed <changed-stacks.txt from npm run diff>.\n");
  process.exit(2);
}
const token = process.env.TF_TOKEN_app_terraform_io;
if (!token) {
  process.stderr.write("TF_TOKEN_app_terraform_io is not set. Fix: pass the plan team's token (secret TF_PLAN_TOKEN) in the workflow step's env.\n");
  process.exit(2);
}

const model = await loadModelOrExit(path.resolve(values.config ?? path.join(root, "config")));
const specs = planStacks(model);
const { ordered, unknown } = orderChangedStacks(specs.map((s) => s.name), readFileSync(values.changed, "utf8"));
const organization = model.platform.terraformCloud.organization;

/** Whether a workspace exists; anything but 200 or 404 stops the run (a wrong token must not look like "new"). */
async function exists(stack: string): Promise<boolean> {
  const url = `${values.api.replace(/\/+$/, "")}/api/v2/organizations/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(stack)}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.api+json" } });
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw new Error(`Terraform Cloud answered ${response.status} for workspace ${stack}. Fix: check that TF_PLAN_TOKEN is the plan team's token and the team has access to the project.`);
}

const existing = new Set<string>();
for (const [i, found] of (await pool(ordered, 8, exists)).entries()) if (found) existing.add(ordered[i]!);
const steps = planSchedule(specs, ordered, (s) => existing.has(s));

const dir = values.dir;
mkdirSync(dir, { recursive: true });
const file = (name: string) => path.join(dir, name);
writeFileSync(file("order.txt"), steps.map((s) => `${s.stack}\n`).join(""));
writeFileSync(file("removed.txt"), unknown.map((n) => `${n}: no longer planned; its workspace and resources stay until the platform team destroys them.\n`).join(""));
for (const step of steps) {
  if (step.action === "new") writeFileSync(file(`${step.stack}.skipped`), "new workspace: created by its factory on merge, planned after\n");
  if (step.action === "pending") writeFileSync(file(`${step.stack}.pending`), step.after.map((u) => `${u}\n`).join(""));
  if (step.action === "plan" && step.after.length > 0) writeFileSync(file(`${step.stack}.after`), step.after.map((u) => `${u}\n`).join(""));
}
const toPlan = steps.filter((s) => s.action === "plan").map((s) => s.stack);
const codes = await pool(toPlan, Math.max(1, Number(values.parallel) || 1), (stack) =>
  initAnd(values.terraform, stackDir(values.out, stack), ["plan", "-input=false", "-no-color"], file(`${stack}.log`)));
for (const [i, stack] of toPlan.entries()) {
  writeFileSync(file(`${stack}.exit`), `${codes[i]}\n`);
  // The full plan in the workflow log, folded per stack (the comment holds only the summary).
  process.stdout.write(`::group::plan ${stack}\n${readFileSync(file(`${stack}.log`), "utf8")}::endgroup::\n`);
}
for (const step of steps) {
  process.stdout.write(`${step.stack}: ${step.action === "plan" ? `planned (exit ${codes[toPlan.indexOf(step.stack)]})` : step.action === "new" ? "new workspace, not planned" : `waits for ${step.after.join(", ")}`}\n`);
}
