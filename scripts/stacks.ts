import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { orderChangedStacks } from "../lib/review/changed-stacks";
import { loadConfig } from "../lib/config/load";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { formatFirstApply } from "../lib/plan/first-apply";
import { planStacks } from "../lib/plan/stack-plan";
import { wavesOf } from "../lib/plan/waves";
import { validate } from "../lib/config/validate";
import { isEntryPoint } from "../lib/project-root.js";

/**
 * `npm run stacks` prints every stack in dependency order, one per line;
 * `npm run stacks -- --changed changed-stacks.txt` prints only the changed ones, in that order,
 * and names the removed ones on stderr. With `--waves`, one line per apply wave (stacks of a
 * wave separated by spaces; a wave relies only on earlier ones): the apply workflow applies
 * them wave by wave. The workflows loop over this output.
 * `npm run stacks -- --first-apply` prints the first apply of a new organization for people:
 * the prerequisites, then the stacks in waves, with the manual steps between them.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Runs the command with its arguments; resolves to the exit code. */
export async function run(args: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({ args, options: { changed: { type: "string" }, config: { type: "string" }, waves: { type: "boolean", default: false }, "first-apply": { type: "boolean", default: false } } });
  try {
    const model = validate(await loadConfig(path.resolve(values.config ?? path.join(root, "config")), "config"));
    const specs = planStacks(model);
    const order = specs.map((s) => s.name);
    // The full list (drift) leaves out removed services' stacks: they hold nothing, and their
    // workspaces may have been deleted by hand; a change still applies them in order.
    const print = (names: string[]) => {
      const lines = values.waves ? wavesOf(names, specs).map((w) => w.join(" ")) : names;
      if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
    };
    if (values["first-apply"]) process.stdout.write(formatFirstApply(model, specs));
    else if (values.changed === undefined) print(specs.filter((s) => !s.tombstoned).map((s) => s.name));
    else {
      const { ordered, unknown } = orderChangedStacks(order, readFileSync(values.changed, "utf8"));
      print(ordered);
      for (const name of unknown) process.stderr.write(`${name}: no longer planned; its workspace and resources stay until the platform team destroys them.\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(formatProblems(error.problems));
    return 1;
  }
}

// No top-level await: the command may run bundled as CommonJS.
if (isEntryPoint(import.meta.url)) void run().then((code) => { process.exitCode = code; });
