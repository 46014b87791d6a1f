import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOrg } from "../../scripts/generate-org.js";
import platform from "../fixtures/org/platform.js";
import { STATEFUL_TYPES } from "../../guardrails/rules/stateful-protected.js";
import { compareSynths, renderSummary, type Synth } from "../../lib/review/change-summary";
import { fitComment, GITHUB_COMMENT_LIMIT } from "../../lib/review/comment-limit";
import { composePlanComment, PLAN_COMMENT_MARKER, renderPlanComment } from "../../lib/review/plan-summary";

const ROOT = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "scale-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function synth(config: string, out: string): void {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "main.ts"), "--config", config, "--out", out], { cwd: ROOT, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), "utf8"));
  }
  return out;
}

describe("a generated organization at ten times DMM's size", () => {
  const config = path.join(work, "config");
  writeOrg(config, 1200, 400, { platform });

  it("synthesizes byte-identical output twice", () => {
    synth(config, path.join(work, "a"));
    synth(config, path.join(work, "b"));
    const a = files(path.join(work, "a"));
    const b = files(path.join(work, "b"));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    const differing = [...a.keys()].filter((f) => a.get(f) !== b.get(f));
    expect(differing).toEqual([]);
    expect(a.size).toBeGreaterThan(400);
  });

  it("rehearses its first apply with no finding (npm run rehearse)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/rehearse.ts"), "--config", config, "--out", path.join(work, "a"), "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { stack: string; address: string; message: string }) => `${f.stack} ${f.address}: ${f.message}`)).toEqual([]);
    expect(r.status).toBe(0);
  });

  it("rehearses a generated organization of DMM's size with no finding", () => {
    const dmm = path.join(work, "dmm");
    writeOrg(dmm, 120, 40, { platform });
    synth(dmm, path.join(work, "dmm-out"));
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/rehearse.ts"), "--config", dmm, "--out", path.join(work, "dmm-out"), "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.status).toBe(0);
  });

  it("posts the first apply's plan comment within GitHub's limit, the whole in the artifact", () => {
    // Every stack is new: the largest summary this organization can produce.
    const head: Record<string, Synth[string]> = {};
    for (const [f, text] of files(path.join(work, "a"))) if (f.endsWith("cdk.tf.json")) head[path.basename(path.dirname(f))] = JSON.parse(text);
    const changes = compareSynths({}, head, { isStateful: (t) => STATEFUL_TYPES.has(t) });
    const plans = changes.map((c) => ({ stack: c.stack, status: "changes" as const, add: c.resources.length, change: 0, destroy: 0, import: 0 }));
    const whole = composePlanComment(renderPlanComment(plans, { commit: "0123456789abcdef" }), renderSummary(changes, "main"));
    const runUrl = "https://github.com/example/super-terraform/actions/runs/1";
    const comment = fitComment(whole, { artifact: "plan-summary", runUrl });
    expect(whole.length).toBeGreaterThan(10 * GITHUB_COMMENT_LIMIT);
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(comment).toContain(`[this workflow run](${runUrl})`);
    expect(comment.split("<details>").length).toBe(comment.split("</details>").length);
  });

  it("keeps every stack at or below 1,500 resources", () => {
    const sizes = [...files(path.join(work, "a"))].filter(([f]) => f.endsWith("cdk.tf.json")).map(([f, text]) => {
      const json = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
      return [f, Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0)] as const;
    });
    expect(sizes.filter(([, n]) => n > 1500)).toEqual([]);
  });
});
