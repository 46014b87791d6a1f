import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { writeOrg } from "../../scripts/generate-org.js";
import platform from "../fixtures/org/platform.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "scale-incremental-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the synth command; returns how many stacks it rebuilt (with --incremental). */
function synth(config: string, out: string, incremental: boolean): { rebuilt: number; reused: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "main.ts"), "--config", config, "--out", out, ...(incremental ? ["--incremental"] : [])], { cwd: ROOT, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const counts = /\((\d+) rebuilt, (\d+) reused\)/.exec(r.stdout);
  return { rebuilt: Number(counts?.[1] ?? -1), reused: Number(counts?.[2] ?? -1) };
}

/** Every file of an output directory but the inputs record, by relative path. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name));
    if (e.isFile() && rel !== "inputs.json") out.set(rel, readFileSync(path.join(e.parentPath, e.name), "utf8"));
  }
  return out;
}

/** Rewrites the JSON argument of a generated config file (`export default defineX({...});`). */
function editFile(file: string, change: (value: any) => void): void {
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("(", text.indexOf("export default")) + 1;
  const end = text.lastIndexOf(");");
  const value = JSON.parse(text.slice(start, end));
  change(value);
  writeFileSync(file, `${text.slice(0, start)}${JSON.stringify(value, null, 2)}${text.slice(end)}`);
}

describe("incremental synthesis of a generated organization at ten times DMM's size", () => {
  const config = path.join(work, "config");
  writeOrg(config, 1200, 400, { platform });
  const services = readdirSync(path.join(config, "services")).map((f) => f.replace(/\.ts$/, "")).sort();
  const developers = Object.keys(JSON.parse((() => {
    const text = readFileSync(path.join(config, "developers.ts"), "utf8");
    return text.slice(text.indexOf("(", text.indexOf("export default")) + 1, text.lastIndexOf(");"));
  })()));

  /** Edits a pull request makes: a service's description or repositories, a developer's name. */
  const edit = fc.oneof(
    fc.tuple(fc.constantFrom(...services), fc.nat(999)).map(([key, n]) => ({
      name: `describe ${key}`,
      apply: () => editFile(path.join(config, "services", `${key}.ts`), (s) => { s.description = `Edited service ${n}`; }),
    })),
    fc.tuple(fc.constantFrom(...services), fc.constantFrom(["api"], ["api", "worker"], ["api", "worker", "batch", "jobs"])).map(([key, repositories]) => ({
      name: `repositories of ${key}`,
      apply: () => editFile(path.join(config, "services", `${key}.ts`), (s) => { s.registry = { ...s.registry, repositories }; }),
    })),
    fc.tuple(fc.constantFrom(...developers), fc.nat(999)).map(([key, n]) => ({
      name: `rename ${key}`,
      apply: () => editFile(path.join(config, "developers.ts"), (d) => { d[key].name = `Renamed ${n}`; }),
    })),
  );

  it("writes after random config edits exactly what a full synthesis writes, each edit rebuilding a few stacks", () => {
    const out = path.join(work, "incremental");
    const first = synth(config, out, true);
    expect(first.reused).toBe(0);
    let run = 0;
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (sequence) => {
      for (const step of sequence) {
        step.apply();
        const { rebuilt, reused } = synth(config, out, true);
        expect(rebuilt + reused).toBe(first.rebuilt);
        expect(rebuilt, step.name).toBeLessThanOrEqual(4);
      }
      const full = path.join(work, `full-${++run}`);
      synth(config, full, false);
      const a = files(out);
      const b = files(full);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      expect([...a.keys()].filter((f) => a.get(f) !== b.get(f))).toEqual([]);
      rmSync(full, { recursive: true, force: true });
    }), { numRuns: 2, seed: 19 });
  });
});
