import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fitComment } from "../lib/review/comment-limit";
import { composePlanComment, readStackResult, renderPlanComment, type PlanResult } from "../lib/review/plan-summary";
import { isEntryPoint } from "../lib/project-root.js";

/**
 * Reads the plan logs the workflows write into one directory and prints a summary.
 *
 *   npm run -s plan-summary -- --dir plans --order plans/order.txt --commit <sha> [--removed plans/removed.txt]
 *       [--change-summary plans/change-summary.md] [--full plans/plan-summary-full.md] [--run-url <url>]
 *     prints the pull request comment (Markdown), with the change summary folded below the
 *     plans; a comment longer than GitHub allows keeps its beginning and links the run, whose
 *     artifact `plan-summary` holds the whole (written to --full).
 *   npm run -s plan-summary -- --dir plans --order stacks.txt --status
 *     prints "<stack> <status>" per stack (the drift check reads it).
 *
 * Per stack the directory holds `<stack>.log` (init and plan output) and `<stack>.exit` (the
 * plan's exit code), or `<stack>.skipped` / `<stack>.pending` (why it was not planned); see
 * readStackResult in lib/review/plan-summary.ts. Resolves to the exit code.
 */
export async function run(args: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: "string" },
      order: { type: "string" },
      commit: { type: "string", default: "" },
      removed: { type: "string" },
      status: { type: "boolean", default: false },
      "change-summary": { type: "string" },
      full: { type: "string" },
      "run-url": { type: "string" },
    },
  });
  if (!values.dir || !values.order) {
    process.stderr.write("Pass --dir <plan logs> and --order <file with one stack per line>.\n");
    return 2;
  }
  const dir = values.dir;
  const read = (file: string) => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), "utf8") : undefined);
  const stacks = readFileSync(values.order, "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
  const results: PlanResult[] = stacks.map((stack) => readStackResult(stack, read));
  if (values.status) process.stdout.write(results.map((r) => `${r.stack} ${r.status}\n`).join(""));
  else {
    const removed = values.removed && existsSync(values.removed) ? readFileSync(values.removed, "utf8").split("\n").map((l) => l.split(":")[0]!.trim()).filter(Boolean) : [];
    const changeSummary = values["change-summary"] && existsSync(values["change-summary"]) ? readFileSync(values["change-summary"], "utf8") : undefined;
    const whole = composePlanComment(renderPlanComment(results, { commit: values.commit, removed }), changeSummary);
    if (values.full) writeFileSync(values.full, whole);
    process.stdout.write(fitComment(whole, { artifact: "plan-summary", runUrl: values["run-url"] }));
  }
  return 0;
}

// No top-level await: the command may run bundled as CommonJS.
if (isEntryPoint(import.meta.url)) void run().then((code) => { process.exitCode = code; });
