import { spawnSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isEntryPoint } from "../lib/project-root.js";
import { decideApply, type ApplyFacts } from "../lib/review/apply-range";

/**
 * `npm run -s apply-range -- [--repo <dir>] [--main origin/main] [--github-output <file>]`
 *
 * Reads the git facts of an apply run (HEAD, the tip of main, the `applied` tag) and prints
 * what the run applies: every commit since the last applied one, or why nothing. With
 * `--github-output` it also writes `action=apply|skip|refuse` and `base=<sha or empty>` for the
 * next steps (an empty base means nothing was applied yet: apply every stack). Exits 1 when the
 * record cannot be trusted.
 */
/** Runs the command with its arguments; returns the exit code. */
export function run(args: string[] = process.argv.slice(2)): number {
  const { values } = parseArgs({ args, options: { repo: { type: "string", default: "." }, main: { type: "string", default: "origin/main" }, "github-output": { type: "string" }, tag: { type: "string", default: "applied" } } });
  const git = (...gitArgs: string[]): { ok: boolean; out: string } => {
    const r = spawnSync("git", ["-C", values.repo, ...gitArgs], { encoding: "utf8" });
    return { ok: r.status === 0, out: (r.stdout ?? "").trim() };
  };
  const rev = (ref: string): string | undefined => {
    const r = git("rev-parse", "-q", "--verify", `${ref}^{commit}`);
    return r.ok && r.out !== "" ? r.out : undefined;
  };

  const head = rev("HEAD");
  const mainTip = rev(values.main);
  if (head === undefined || mainTip === undefined) {
    process.stderr.write(`Cannot read ${head === undefined ? "HEAD" : values.main} in ${values.repo}. Fix: check out with full history (fetch-depth: 0) and fetch main.\n`);
    return 1;
  }
  const applied = rev(`refs/tags/${values.tag}`);
  const appliedIsAncestor = applied !== undefined && git("merge-base", "--is-ancestor", applied, head).ok;
  const range = applied !== undefined && appliedIsAncestor ? `${applied}..${head}` : head;
  const commits = git("rev-list", "--reverse", range).out.split("\n").filter(Boolean);
  const facts: ApplyFacts = { head, mainTip, applied, appliedIsAncestor, commits };
  const decision = decideApply(facts);

  if (decision.action === "apply") {
    process.stdout.write(decision.base === undefined
      ? `Nothing applied yet: applying every stack at ${head}.\n`
      : `Applying ${decision.commits.length} commit(s) since the last applied one (${decision.base}):\n${decision.commits.map((c) => `  ${c}\n`).join("")}`);
  } else {
    process.stdout.write(`${decision.action}: ${decision.reason}\n`);
  }
  if (values["github-output"]) {
    appendFileSync(values["github-output"], `action=${decision.action}\nbase=${decision.action === "apply" ? decision.base ?? "" : ""}\n`);
  }
  return decision.action === "refuse" ? 1 : 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = run();
