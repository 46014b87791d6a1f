import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readStackResult, renderPlanComment, type PlanResult } from "../lib/review/plan-summary";

/**
 * Reads the plan logs the workflows write into one directory and prints a summary.
 *
 *   npm run -s plan-summary -- --dir plans --order plans/order.txt --commit <sha> [--removed plans/removed.txt]
 *     prints the pull request comment (Markdown).
 *   npm run -s plan-summary -- --dir plans --order stacks.txt --status
 *     prints "<stack> <status>" per stack (the drift check reads it).
 *
 * Per stack the directory holds `<stack>.log` (init and plan output) and `<stack>.exit` (the
 * plan's exit code), or `<stack>.skipped` / `<stack>.pending` (why it was not planned); see
 * readStackResult in lib/review/plan-summary.ts.
 */
const { values } = parseArgs({ options: { dir: { type: "string" }, order: { type: "string" }, commit: { type: "string", default: "" }, removed: { type: "string" }, status: { type: "boolean", default: false } } });
if (!values.dir || !values.order) {
  process.stderr.write("Pass --dir <plan logs> and --order <file with one stack per line>.\n");
  process.exit(2);
}
const dir = values.dir;
const read = (file: string) => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), "utf8") : undefined);
const stacks = readFileSync(values.order, "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
const results: PlanResult[] = stacks.map((stack) => readStackResult(stack, read));
if (values.status) process.stdout.write(results.map((r) => `${r.stack} ${r.status}\n`).join(""));
else {
  const removed = values.removed && existsSync(values.removed) ? readFileSync(values.removed, "utf8").split("\n").map((l) => l.split(":")[0]!.trim()).filter(Boolean) : [];
  process.stdout.write(renderPlanComment(results, { commit: values.commit, removed }));
}
