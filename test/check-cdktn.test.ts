import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CDKTN, CONSTRUCTS_FOR_CDKTN, cdktnPackage } from "../scripts/check-cdktn.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("the package.json of the cdktn check", () => {
  it("aliases cdktf to cdktn and makes every package use that cdktf and constructs", () => {
    const out = cdktnPackage(pkg);
    expect(out.dependencies.cdktf).toBe(CDKTN);
    expect(out.dependencies.constructs).toBe(CONSTRUCTS_FOR_CDKTN);
    expect(out.overrides).toEqual({ cdktf: "$cdktf", constructs: "$constructs" });
  });

  it("keeps every other dependency at the project's pinned version and only the dev dependencies synthesis needs", () => {
    const before = structuredClone(pkg);
    const out = cdktnPackage(pkg);
    expect(out.dependencies).toEqual({ ...pkg.dependencies, cdktf: CDKTN, constructs: CONSTRUCTS_FOR_CDKTN });
    expect(Object.keys(out.dependencies).sort()).toEqual(Object.keys(pkg.dependencies).sort());
    expect(out.devDependencies).toEqual({ tsx: pkg.devDependencies.tsx, esbuild: pkg.devDependencies.esbuild });
    expect(pkg).toEqual(before);
  });

  it("says which dev dependency is missing rather than installing a package.json that cannot synthesize", () => {
    expect(() => cdktnPackage({ ...pkg, devDependencies: { esbuild: "0.28.2" } })).toThrow("package.json has no devDependency tsx");
  });

  it("is the one the README's migration shows", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`"cdktf": "${CDKTN}"`);
    expect(readme).toContain(`"constructs": "${CONSTRUCTS_FOR_CDKTN}"`);
    expect(readme).toContain(`"cdktf": "$cdktf"`);
  });
});
