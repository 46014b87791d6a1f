import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../lib/config/load";
import type { OrganizationModel } from "../lib/config/model";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { validate } from "../lib/config/validate";
import { planStacks } from "../lib/plan/stack-plan";
import { buildCatalog } from "../lib/review/catalog";
import { codeownersDiff, renderCodeowners } from "../lib/review/codeowners";
import { findSecrets } from "../lib/secrets.js";
import { synthesize } from "../synth.js";
import { scratchDir } from "./scratch.js";

/*
 * Checks of the organization's own config/, whatever it holds. Every assertion here is true of
 * any valid organization (no counts, no names of developers or services), so a pull request that
 * adds a developer or a service passes them, and one that breaks the config fails them with the
 * problems validation prints. Tests of the code run on the fixture organization (test/fixtures/org).
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const CONFIG = path.join(ROOT, "config");
const work = scratchDir("organization-config-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file below a directory with its bytes. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), "utf8"));
  }
  return out;
}

let model: OrganizationModel;
let loadError = "";
beforeAll(async () => {
  try {
    model = validate(await loadConfig(CONFIG, "config"));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    loadError = formatProblems(error.problems);
  }
});

describe("the organization's config/", () => {
  it("loads and validates with no problem", () => {
    expect(loadError, loadError).toBe("");
    expect(model.services.length + model.developers.length).toBeGreaterThan(0);
  });

  it("gives every service an owner who is a developer", () => {
    const developers = new Set(model.developers.map((d) => d.key));
    for (const s of model.services) {
      expect(s.owners.length, s.key).toBeGreaterThan(0);
      for (const o of s.owners) expect(developers.has(o), `${s.key} owner ${o}`).toBe(true);
    }
  });

  it("matches the committed CODEOWNERS (run `npm run codeowners` after changing config)", () => {
    const committed = readFileSync(path.join(ROOT, "CODEOWNERS"), "utf8");
    const generated = renderCodeowners(model);
    expect(committed, `CODEOWNERS is stale; run \`npm run codeowners\`. Diff:\n${codeownersDiff(committed, generated)}`).toBe(generated);
    for (const s of model.services.filter((x) => !x.retired)) expect(generated).toContain(`/config/services/${s.key}.ts `);
  });

  it("holds no secret", () => {
    const files = readdirSync(CONFIG, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    expect(files.flatMap((f) => findSecrets(readFileSync(f, "utf8")).map((h) => `${path.relative(ROOT, f)}: ${h.name}`))).toEqual([]);
  });

  it("synthesizes every planned stack, passes the guardrails, and is byte-identical twice", () => {
    // synthesize() throws GuardrailError on any unsuppressed error finding.
    const a = path.join(work, "a");
    const b = path.join(work, "b");
    synthesize(model, a);
    synthesize(model, b);
    const first = snapshot(a);
    const second = snapshot(b);
    const stacks = [...first.keys()].filter((f) => f.endsWith("cdk.tf.json")).map((f) => path.basename(path.dirname(f))).sort();
    expect(stacks).toEqual(planStacks(model).map((s) => s.name).sort());
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    expect([...first.keys()].filter((f) => first.get(f) !== second.get(f))).toEqual([]);
  });

  it("lists every service and developer in the catalog", () => {
    const catalog = buildCatalog(model);
    expect(catalog.services.map((s) => s.key).sort()).toEqual(model.services.map((s) => s.key).sort());
    expect(catalog.developers.map((d) => d.key).sort()).toEqual(model.developers.map((d) => d.key).sort());
  });
});
