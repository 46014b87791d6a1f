/*
 * Reading Terraform CLI plan output (plain text, `-no-color`) into a short per-workspace
 * summary for the pull request comment and the drift check. Remote (Terraform Cloud) plans
 * cannot be saved for `terraform show -json`, so the summary line is what there is to read.
 */

export interface PlanResult {
  readonly stack: string;
  /** `pending`: waits for an upstream stack of the same pull request to apply (never a failure). */
  readonly status: "changes" | "no-changes" | "drift" | "failed" | "skipped" | "pending";
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly import: number;
  /** Why it was skipped or is pending, or the first error line. */
  readonly note?: string;
}

/** Marker that identifies the one plan comment of a pull request, so it is updated, not duplicated. */
export const PLAN_COMMENT_MARKER = "<!-- super-terraform-plan -->";

const count = (text: string, what: string) => Number(new RegExp(`(\\d+) to ${what}`).exec(text)?.[1] ?? 0);

/** Classifies one plan's output and exit code. */
export function readPlan(stack: string, output: string, exitCode: number): PlanResult {
  const base = { stack, add: 0, change: 0, destroy: 0, import: 0 };
  if (exitCode !== 0 && exitCode !== 2) {
    const error = /Error: (.+)/.exec(output)?.[1]?.trim();
    return { ...base, status: "failed", note: error ?? `terraform exited with ${exitCode}` };
  }
  const drift = /changes made outside of Terraform/.test(output);
  const summary = /Plan: ([^\n]+)/.exec(output)?.[1];
  if (summary) {
    const r = { ...base, add: count(summary, "add"), change: count(summary, "change"), destroy: count(summary, "destroy"), import: count(summary, "import") };
    return { ...r, status: r.add + r.change + r.destroy + r.import > 0 ? "changes" : drift ? "drift" : "no-changes" };
  }
  return { ...base, status: drift ? "drift" : "no-changes" };
}

/**
 * One stack's result from the files the plan script writes into the plan directory:
 * `<stack>.skipped` (not planned: a new workspace), `<stack>.pending` (not planned: waits for
 * the upstream stacks it names, one per line), or `<stack>.log` and `<stack>.exit` of its plan,
 * with `<stack>.after` naming upstream stacks changed in the same pull request. A plan that
 * fails while an upstream of the same pull request changes is reported as waiting for that
 * upstream: it was planned against the upstream as it is today, and the apply runs in waves.
 */
export function readStackResult(stack: string, read: (file: string) => string | undefined): PlanResult {
  const none = { stack, add: 0, change: 0, destroy: 0, import: 0 };
  const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
  const skipped = read(`${stack}.skipped`);
  if (skipped !== undefined) return { ...none, status: "skipped", note: skipped.trim() };
  const pending = read(`${stack}.pending`);
  if (pending !== undefined) return { ...none, status: "pending", note: `plans after ${lines(pending).map((u) => `\`${u}\``).join(", ")} applies` };
  const exit = read(`${stack}.exit`);
  const result = readPlan(stack, read(`${stack}.log`) ?? "", exit === undefined ? 1 : Number(exit.trim()));
  const after = lines(read(`${stack}.after`) ?? "");
  if (result.status !== "failed" || after.length === 0) return result;
  return { ...none, status: "pending", note: `plans after ${after.map((u) => `\`${u}\``).join(", ")} applies (planned against today's ${after.length > 1 ? "upstreams" : "upstream"}: ${result.note ?? "failed"})` };
}

const ICON: Record<PlanResult["status"], string> = { changes: "📝", "no-changes": "✅", drift: "⚠️", failed: "❌", skipped: "⏭️", pending: "⏳" };

/** The pull request comment: one table row per workspace, failures and destroys called out. */
export function renderPlanComment(results: readonly PlanResult[], context: { readonly commit: string; readonly removed?: readonly string[] }): string {
  const lines = [PLAN_COMMENT_MARKER, `### Terraform plans for ${context.commit.slice(0, 12)}`, ""];
  if (results.length === 0) lines.push("No stack's synthesized configuration changed: nothing to plan.");
  else {
    lines.push("| workspace | result | add | change | destroy |", "|---|---|--:|--:|--:|");
    for (const r of results) {
      const result = r.status === "failed" ? `${ICON.failed} failed: ${r.note ?? ""}` : r.status === "skipped" || r.status === "pending" ? `${ICON[r.status]} ${r.note ?? r.status}` : `${ICON[r.status]} ${r.status}`;
      lines.push(`| \`${r.stack}\` | ${result.replace(/\|/g, "\\|")} | ${r.add} | ${r.change} | ${r.destroy > 0 ? `**${r.destroy}**` : r.destroy} |`);
    }
    const destroys = results.filter((r) => r.destroy > 0).map((r) => `\`${r.stack}\``);
    if (destroys.length > 0) lines.push("", `**Destroys** in ${destroys.join(", ")}: check the plan logs before approving.`);
    const failed = results.filter((r) => r.status === "failed").length;
    if (failed > 0) lines.push("", `${failed} plan(s) failed; the check fails until they plan cleanly.`);
    const pending = results.filter((r) => r.status === "pending").length;
    if (pending > 0) lines.push("", `${pending} plan(s) wait for a stack of this pull request: merging applies in waves, so they plan and apply after it.`);
  }
  if (context.removed && context.removed.length > 0) {
    lines.push("", `Stacks no longer planned: ${context.removed.map((s) => `\`${s}\``).join(", ")}. Their workspaces keep their resources until the platform team destroys them.`);
  }
  lines.push("", "_Speculative plans in Terraform Cloud; full logs are in the workflow run._");
  return `${lines.join("\n")}\n`;
}

/**
 * The whole pull request comment: the plan results, then the change summary of the synthesized
 * configuration (lib/review/change-summary.ts) folded below them. Before posting it goes through
 * `fitComment` (lib/review/comment-limit.ts), which keeps it within GitHub's limit.
 */
export function composePlanComment(planComment: string, changeSummary: string | undefined): string {
  if (changeSummary === undefined) return planComment;
  return [planComment, "<details><summary>What changed in the synthesized configuration</summary>", "", changeSummary.trimEnd(), "", "</details>", ""].join("\n");
}
