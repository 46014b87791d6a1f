import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrganizationModel } from "../lib/config/model";
import { applyBaseline, readBaseline } from "../lib/rehearsal/baseline";
import { rehearse, RehearsalInputError } from "../lib/rehearsal/rehearse";
import type { RehearsalFinding } from "../lib/rehearsal/types";
import { loadModel } from "../main.js";
import { synthesize } from "../synth.js";
import { writeOrg } from "../scripts/generate-org.js";
import { run } from "../scripts/rehearse.js";
import { runCommand } from "./command.js";
import platform from "./fixtures/org/platform.js";
import { scratchDir } from "./scratch.js";

/*
 * The rehearsal gate on a fixture organization (generated, two regions, shared and dedicated
 * tenancy), through the library and through `npm run rehearse`'s script.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASELINE = path.join(ROOT, "rehearsal-baseline.json");
let work: string;
let configDir: string;
let out: string;
let model: OrganizationModel;

beforeAll(async () => {
  work = scratchDir("rehearsal-");
  configDir = path.join(work, "config");
  out = path.join(work, "cdktf.out");
  writeOrg(configDir, 12, 5, { platform, seed: 4 });
  model = await loadModel(configDir, "config");
  synthesize(model, out);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the output with two errors planted in one organizational unit of the organization stack. */
function planted(dir: string): { copy: string; type: string; name: string } {
  const copy = path.join(work, dir);
  cpSync(out, copy, { recursive: true });
  const file = path.join(copy, "stacks", "organization", "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8"));
  const [type, byName] = Object.entries<any>(json.resource).find(([t]) => t === "aws_organizations_organizational_unit")!;
  const name = Object.keys(byName)[0]!;
  byName[name].parent = "${aws_organizations_organization.nowhere.roots[0].id}";
  writeFileSync(file, JSON.stringify(json));
  return { copy, type, name };
}

/** `npm run rehearse` on the fixture organization, in a child process as the command runs. */
function cli(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/rehearse.ts"), "--config", configDir, ...args], { cwd: ROOT, encoding: "utf8" });
}

/** The same command's `run` in this process. */
function rehearseCommand(...args: string[]) {
  return runCommand(() => run(["--config", configDir, ...args]));
}

describe("the rehearsal gate", () => {
  it("passes the fixture organization modulo the committed baseline, whose every entry still matches", async () => {
    const result = await rehearse(model, out);
    const gate = applyBaseline(result.findings, readBaseline(BASELINE));
    expect(gate.fresh.map((f) => `${f.stack} ${f.address}: ${f.message}`)).toEqual([]);
    expect(gate.stale).toEqual([]);
    // The stacks come in apply waves: the workspace factory first, the organization after it.
    const wave = new Map(result.stacks.map((s) => [s.spec.name, s.wave]));
    expect(wave.get("workspaces")).toBe(0);
    expect(wave.get("organization")!).toBeGreaterThan(0);
    expect(result.stacks.map((s) => s.wave)).toEqual([...result.stacks.map((s) => s.wave)].sort((a, b) => a - b));
  });

  it("finds an error planted in a synthesized stack, as new", async () => {
    const { copy, type, name } = planted("planted");
    const gate = applyBaseline((await rehearse(model, copy)).findings, readBaseline(BASELINE));
    expect(gate.fresh).toEqual<RehearsalFinding[]>([
      expect.objectContaining({
        class: "validity",
        stack: "organization",
        address: `${type}.${name}`,
        message: expect.stringContaining('Unsupported argument: an argument named "parent" is not expected here'),
      }),
      expect.objectContaining({ address: `${type}.${name}`, message: expect.stringContaining('Reference to undeclared resource "aws_organizations_organization.nowhere"') }),
    ]);
  });

  it("refuses a missing output, naming the command to run", async () => {
    await expect(rehearse(model, path.join(work, "nothing"))).rejects.toThrow(RehearsalInputError);
    await expect(rehearse(model, path.join(work, "nothing"))).rejects.toThrow(/No synthesized output at .*nothing \(manifest.json is missing\)\. Run `npm run synth` first/);
  });

  it("refuses an output synthesized from a different config", async () => {
    const other = path.join(work, "other-config");
    writeOrg(other, 12, 6, { platform, seed: 4 });
    // The same config, loaded again, is accepted.
    await expect(rehearse(structuredClone(model), out)).resolves.toBeDefined();
    const otherModel = await loadModel(other, "config");
    await expect(rehearse(otherModel, out)).rejects.toThrow(/synthesized from a different config than the one being rehearsed.*Run `npm run synth` first/);
  });

  it("refuses a stale output whose stacks do not match the plan", async () => {
    const stale = path.join(work, "stale");
    cpSync(out, stale, { recursive: true });
    const manifestFile = path.join(stale, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    delete manifest.stacks.organization;
    manifest.stacks["service-retired-ap-northeast-1"] = {};
    writeFileSync(manifestFile, JSON.stringify(manifest));
    await expect(rehearse(model, stale)).rejects.toThrow(/is stale: its stacks do not match the plan of this config \(missing organization; not planned any more: service-retired-ap-northeast-1\)/);
  });
});

describe("npm run rehearse", () => {
  it("exits 0 on a clean output", async () => {
    const r = await rehearseCommand("--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^First-apply rehearsal: \d+ stacks in \d+ waves\./);
    expect(r.stdout).toContain("\n0 new finding(s), ");
  });

  it("prints findings by wave and stack, marks known ones with their issue, and exits 0 when nothing is new", async () => {
    const { copy, type } = planted("planted-known");
    const baseline = path.join(work, "known-baseline.json");
    writeFileSync(baseline, JSON.stringify({ findings: [{ class: "validity", stack: "organization", address: `${type}.*`, message: "*", issue: "#14" }] }));
    const r = await rehearseCommand("--out", copy, "--baseline", baseline);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\nWave \\d+\\n {2}organization\\n {4}\\[known, #14\\] validity: ${type}\\.`));
    expect(r.stdout).toContain("\n0 new finding(s), 2 known");
  });

  it("exits 1 on a new finding and on a stale baseline entry, and says so in --json", async () => {
    const baseline = path.join(work, "baseline.json");
    writeFileSync(baseline, JSON.stringify({ findings: [{ class: "validity", stack: "network-*", address: "*", message: "*", issue: "#14" }] }));
    const r = await rehearseCommand("--out", planted("planted-new").copy, "--baseline", baseline, "--json");
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.passed).toBe(false);
    expect(report.new).toBeGreaterThan(0);
    expect(report.findings[0]).toMatchObject({ class: "validity", stack: "organization", known: null, wave: expect.any(Number) });
    expect(report.stale).toEqual([{ class: "validity", stack: "network-*", address: "*", message: "*", issue: "#14" }]);
  });

  // The command's one run in its own process: exit code, stdout and stderr as a user sees them.
  it("names the command to run when the output is missing, without a stack trace", () => {
    const r = cli("--out", path.join(work, "missing"));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^No synthesized output at .*missing \(manifest.json is missing\)\. Run `npm run synth -- --config .* --out .*missing` first, then rehearse again\.\n$/);
  });

  it("rejects a baseline entry without the issue that removes it", async () => {
    const baseline = path.join(work, "bad-baseline.json");
    writeFileSync(baseline, JSON.stringify({ findings: [{ class: "validity", stack: "organization", address: "*", message: "*", issue: "soon" }] }));
    const r = await rehearseCommand("--out", out, "--baseline", baseline);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('findings[0].issue is "soon"; name the issue that removes the finding, as "#<number>"');
  });
});
