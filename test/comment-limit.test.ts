import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { StackChange } from "../lib/review/change-summary";
import { renderSummary } from "../lib/review/change-summary";
import { fitComment, GITHUB_COMMENT_LIMIT } from "../lib/review/comment-limit";
import { composePlanComment, PLAN_COMMENT_MARKER, renderPlanComment, type PlanResult } from "../lib/review/plan-summary";
import { run as planSummary } from "../scripts/plan-summary.js";
import { runCommand } from "./command.js";
import { scratchDir } from "./scratch.js";

const work = scratchDir("comment-limit-");
afterAll(() => rmSync(work, { recursive: true, force: true }));
const RUN = "https://github.com/example/super-terraform/actions/runs/42";

/** A change to `stacks` workspaces with `resources` new resources each, as a platform-wide edit makes. */
function bigChange(stacks: number, resources: number): { plans: PlanResult[]; changes: StackChange[] } {
  const names = Array.from({ length: stacks }, (_, i) => `service-team-${String(i).padStart(4, "0")}-ap-northeast-1`);
  const changes = names.map((stack): StackChange => ({
    stack, status: "changed", other: [],
    resources: Array.from({ length: resources }, (_, j) => ({ address: `aws_iam_role_policy_attachment.attachment-${j}_ABCDEF01`, action: "change" as const, paths: ["tags.owners", "tags_all.owners"], dangerous: false })),
  }));
  const plans = names.map((stack): PlanResult => ({ stack, status: "changes", add: 0, change: resources, destroy: 0, import: 0 }));
  return { plans, changes };
}

function balanced(markdown: string): boolean {
  return markdown.split("<details>").length === markdown.split("</details>").length && (markdown.match(/^\s*```/gm) ?? []).length % 2 === 0;
}

describe("the plan comment", () => {
  it("is posted whole when it fits", () => {
    const { plans, changes } = bigChange(3, 2);
    const whole = composePlanComment(renderPlanComment(plans, { commit: "0123456789abcdef" }), renderSummary(changes, "main"));
    expect(whole.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(fitComment(whole, { artifact: "plan-summary", runUrl: RUN })).toBe(whole);
  });

  it("keeps within GitHub's limit at any size, keeping its beginning and linking the whole", () => {
    for (const [stacks, resources] of [[200, 40], [1_000, 20], [5_000, 30]] as const) {
      const { plans, changes } = bigChange(stacks, resources);
      const whole = composePlanComment(renderPlanComment(plans, { commit: "0123456789abcdef" }), renderSummary(changes, "main"));
      expect(whole.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
      const comment = fitComment(whole, { artifact: "plan-summary", runUrl: RUN });
      expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(comment.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 2_000);
      expect(comment.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
      expect(comment).toContain(`The whole summary is the artifact \`plan-summary\` of [this workflow run](${RUN}).`);
      expect(comment).toContain(`The summary is ${whole.length.toLocaleString("en-US")} characters`);
      expect(balanced(comment)).toBe(true);
      // What is shown is the summary's own beginning, cut at a line.
      const shown = comment.slice(0, comment.indexOf("\n\n</details>") >= 0 ? comment.indexOf("\n\n</details>") : comment.indexOf("\n> [!NOTE]"));
      expect(whole.startsWith(shown)).toBe(true);
    }
  });

  it("closes an open code fence and every open <details> where it is cut", () => {
    const markdown = ["<details><summary>a</summary>", "", "```", ...Array.from({ length: 200 }, (_, i) => `line ${i}`), "```", "</details>", ""].join("\n");
    for (const limit of [400, 700, 1_000, 1_500]) {
      const comment = fitComment(markdown, { artifact: "plan-summary", limit });
      expect(comment.length).toBeLessThanOrEqual(limit);
      expect(balanced(comment)).toBe(true);
      expect(comment).toContain("`plan-summary` of the workflow run");
    }
  });
});

describe("npm run plan-summary with the change summary", () => {
  // The command's run() in this process; its own process is tested in plan-stacks.test.ts.
  it("prints a comment within the limit and writes the whole summary for the artifact", async () => {
    const { plans, changes } = bigChange(1_000, 20);
    const dir = path.join(work, "plans");
    const order = path.join(work, "order.txt");
    mkdirSync(dir, { recursive: true });
    for (const p of plans) {
      writeFileSync(path.join(dir, `${p.stack}.log`), `Plan: 0 to add, ${p.change} to change, 0 to destroy.\n`);
      writeFileSync(path.join(dir, `${p.stack}.exit`), "2\n");
    }
    writeFileSync(order, plans.map((p) => p.stack).join("\n"));
    writeFileSync(path.join(dir, "change-summary.md"), renderSummary(changes, "main"));
    const full = path.join(work, "full.md");
    const r = await runCommand(() => planSummary(["--dir", dir, "--order", order, "--commit", "0123456789abcdef",
      "--change-summary", path.join(dir, "change-summary.md"), "--full", full, "--run-url", RUN]));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(r.stdout).toContain(RUN);
    const whole = readFileSync(full, "utf8");
    expect(whole.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(whole).toContain(`| \`${plans.at(-1)!.stack}\` |`);
    expect(whole).toContain(readFileSync(path.join(dir, "change-summary.md"), "utf8").trimEnd());
  });
});
