import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const RUN_BUNDLE = path.resolve(import.meta.dirname, "../scripts/run-bundle.cjs");
const work = mkdtempSync(path.join(tmpdir(), "run-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A stand-in for the synth build: prints whether it sees itself as the started script, loads a module
 * with import() the way lib/import-module.ts does, and exits with the code it is given.
 */
function writeBundle(dir: string, marker: string): string {
  const bundle = path.join(dir, "synth.cjs");
  writeFileSync(bundle, `"use strict";
const load = globalThis[Symbol.for("super-terraform.import")];
load("node:os").then((os) => {
  process.stdout.write(["${marker}", process.argv[1] === __filename, typeof os.cpus].join(" "));
  process.exitCode = Number(process.argv[2] ?? 0);
});
`);
  writeFileSync(path.join(dir, "main.cjs"), `require(${JSON.stringify(RUN_BUNDLE)})(require("node:path").join(__dirname, "synth.cjs"));\n`);
  return bundle;
}

function run(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(dir, "main.cjs"), ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".cache"));

describe("the synth build's entry (scripts/run-bundle.cjs)", () => {
  it("runs the build as the started script, writes its code cache after a successful run and runs from it after", () => {
    const dir = mkdtempSync(path.join(work, "ok-"));
    writeBundle(dir, "first");
    expect(run(dir, "1")).toMatchObject({ status: 1, stdout: "first true function", stderr: "" });
    expect(caches(dir)).toEqual([]);
    expect(run(dir, "0", "--validate-only")).toMatchObject({ status: 0, stdout: "first true function" });
    expect(caches(dir)).toEqual([]);
    expect(run(dir)).toMatchObject({ status: 0, stdout: "first true function", stderr: "" });
    const [cache] = caches(dir);
    expect(cache).toMatch(/^synth-[0-9a-f]{16}\.cache$/);
    const written = statSync(path.join(dir, cache!)).mtimeMs;
    // From the cache: import() still works (Node 20 loses it in cached code; the entry's own
    // import() is handed over), and an accepted cache is not written again.
    expect(run(dir)).toMatchObject({ status: 0, stdout: "first true function", stderr: "" });
    expect(statSync(path.join(dir, cache!)).mtimeMs).toBe(written);
  });

  it("never runs a changed build from the cache of the old one, even of the same length", () => {
    const dir = mkdtempSync(path.join(work, "changed-"));
    writeBundle(dir, "aaaaa");
    run(dir);
    const [old] = caches(dir);
    writeBundle(dir, "bbbbb");
    expect(run(dir)).toMatchObject({ status: 0, stdout: "bbbbb true function" });
    expect(caches(dir).filter((c) => c !== old)).toHaveLength(1);
  });
});
