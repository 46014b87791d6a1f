import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * Checks on the workflow files that need no YAML parser. They do not replace actionlint
 * (run in the ci workflow); they pin down two promises of this repository: every action is
 * pinned to an exact version, and no run script interpolates an expression (inputs and event
 * payloads reach scripts only through environment variables).
 */
const DIR = path.resolve(import.meta.dirname, "../.github/workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort();
const text = (f: string) => readFileSync(path.join(DIR, f), "utf8");

/** The lines of every `run:` script, with their file and line number. */
function runLines(source: string): Array<{ line: number; text: string }> {
  const lines = source.split("\n");
  const out: Array<{ line: number; text: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:- )?run:\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    if (m[2] !== "|" && m[2] !== ">") {
      out.push({ line: i + 1, text: m[2]! });
      continue;
    }
    const indent = m[1]!.length;
    for (let j = i + 1; j < lines.length && (lines[j]!.trim() === "" || /^\s*/.exec(lines[j]!)![0].length > indent); j++) out.push({ line: j + 1, text: lines[j]! });
  }
  return out;
}

describe("the workflows", () => {
  it("cover CI, plan, apply, new service, onboarding and drift with their triggers", () => {
    expect(files).toEqual(["apply.yml", "ci.yml", "drift.yml", "new-service.yml", "onboarding.yml", "plan.yml"]);
    expect(text("plan.yml")).toMatch(/^on:\n {2}pull_request:/m);
    expect(text("apply.yml")).toMatch(/^on:\n {2}push:\n {4}branches: \[main\]/m);
    expect(text("new-service.yml")).toMatch(/^on:\n {2}repository_dispatch:\n {4}types: \[new-service\]\n {2}workflow_dispatch:/m);
    expect(text("onboarding.yml")).toMatch(/^on:\n {2}repository_dispatch:\n {4}types: \[onboarding\]/m);
    expect(text("drift.yml")).toMatch(/^on:\n {2}schedule:/m);
  });

  it("rehearse the first apply after synthesis: in CI, in every pull request's plan and in .ci/run", () => {
    const ci = readFileSync(path.resolve(DIR, "../../.ci/run"), "utf8");
    for (const [name, source] of [["ci.yml", text("ci.yml")], ["plan.yml", text("plan.yml")], [".ci/run", ci]] as const) {
      const synth = source.search(/^\s*(?:run: )?npm run synth(?: -- --incremental)?$/m);
      const rehearse = source.search(/^\s*(?:run: )?npm run rehearse$/m);
      expect(synth, name).toBeGreaterThanOrEqual(0);
      expect(rehearse, name).toBeGreaterThan(synth);
    }
  });

  it("pin every action to an exact version", () => {
    for (const f of files) {
      for (const [, ref] of text(f).matchAll(/uses:\s*(\S+)/g)) {
        expect(ref, `${f}: ${ref}`).toMatch(/^(?:[\w.-]+\/[\w.-]+@v\d+\.\d+\.\d+|docker:\/\/[\w./-]+:\d+\.\d+\.\d+)$/);
      }
    }
  });

  it("declare their token permissions explicitly", () => {
    for (const f of files) expect(text(f), f).toMatch(/^permissions:\n/m);
  });

  it("never interpolate an expression into a run script", () => {
    for (const f of files) {
      for (const l of runLines(text(f))) expect(l.text, `${f}:${l.line}`).not.toContain("${{");
    }
  });

  it("run the script checker on a script that interpolates, so the check above can fail", () => {
    expect(runLines("    steps:\n      - run: |\n          echo \"${{ inputs.name }}\"\n      - uses: x/y@v1.0.0\n").map((l) => l.text)).toEqual(["          echo \"${{ inputs.name }}\""]);
  });
});
