import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBundled } from "../lib/config/bundle";
import { configFiles, loadConfig } from "../lib/config/load";
import { FIXTURE_ORG } from "./helpers.js";

const work = mkdtempSync(path.join(tmpdir(), "config-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ROOT = path.resolve(import.meta.dirname, "..");

/** A copy of the fixture organization (library imports made absolute), with `edit` applied to one service file. */
function brokenCopy(name: string, edit: (text: string) => string): string {
  const dir = path.join(work, name);
  cpSync(FIXTURE_ORG, dir, { recursive: true });
  for (const file of [...readdirSync(dir).map((f) => path.join(dir, f)), ...readdirSync(path.join(dir, "services")).map((f) => path.join(dir, "services", f))]) {
    if (file.endsWith(".ts")) writeFileSync(file, readFileSync(file, "utf8").replace(/from "(\.\.\/)+lib\//g, `from "${ROOT}/lib/`));
  }
  const file = path.join(dir, "services", configFiles(dir).services[0]![1].replace(/^services\//, ""));
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return dir;
}

describe("loading the config as one bundle", () => {
  it("gives the same values as loading it file by file", async () => {
    const files = configFiles(FIXTURE_ORG);
    expect(files.services.length).toBeGreaterThan(2);
    const bundled = await loadBundled(FIXTURE_ORG, files);
    const byFile = await loadConfig(FIXTURE_ORG, "config");
    expect(byFile.problems).toEqual([]);
    expect(bundled).toBeDefined();
    expect(bundled!.platform).toEqual(byFile.platform);
    expect(bundled!.developers).toEqual(byFile.developers);
    expect(bundled!.index).toEqual(byFile.index);
    expect(bundled!.serviceFiles).toEqual(byFile.serviceFiles);
    expect(bundled!.retired).toEqual(byFile.retired);
    // The index lists the very objects the service files export, as require() gives them.
    const [stem] = files.services[0]!;
    expect(Object.values(bundled!.index as object)).toContain(bundled!.serviceFiles[stem]);
  });

  it("gives up on a file that does not compile, throws, exports nothing or reads its own place, leaving it to the file-by-file load", async () => {
    const cases = {
      syntax: brokenCopy("syntax", (t) => t.replace("export default", "export default {")),
      throws: brokenCopy("throws", (t) => `throw new Error("no");\n${t}`),
      "no default, imported by the index": brokenCopy("no-default", (t) => t.replace("export default", "export const entry =")),
      "no default, not listed": brokenCopy("orphan", (t) => t),
      "reads import.meta": brokenCopy("import-meta", (t) => `${t}\nexport const here = import.meta.url;\n`),
      "reads __dirname": brokenCopy("dirname", (t) => `${t}\nexport const here = __dirname;\n`),
    };
    writeFileSync(path.join(cases["no default, not listed"], "services", "orphan.ts"), "export const entry = {};\n");
    for (const [what, dir] of Object.entries(cases)) expect(await loadBundled(dir, configFiles(dir)), what).toBeUndefined();
    // The same copy unbroken loads.
    const intact = brokenCopy("intact", (t) => t);
    expect(await loadBundled(intact, configFiles(intact))).toBeDefined();
  });
});
