import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOrg } from "../../scripts/generate-org.js";
import platform from "../fixtures/org/platform.js";

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

  it("keeps every stack at or below 1,500 resources", () => {
    const sizes = [...files(path.join(work, "a"))].filter(([f]) => f.endsWith("cdk.tf.json")).map(([f, text]) => {
      const json = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
      return [f, Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0)] as const;
    });
    expect(sizes.filter(([, n]) => n > 1500)).toEqual([]);
  });
});
