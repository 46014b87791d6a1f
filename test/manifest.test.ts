import { describe, expect, it } from "vitest";
import { manifestText } from "../lib/plan/manifest";

/** A stack entry of a manifest, as both libraries write it (keys sorted, empty lists). */
const entry = (name: string) => ({ annotations: [], constructPath: name, dependencies: [], name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` });

/** cdktf 0.21's layout: an empty list spread over two lines. */
const cdktfLayout = (value: unknown) => JSON.stringify(value, null, 2).replace(/\[\]/g, "[\n      ]");
/** cdktn's layout: `[]`. */
const cdktnLayout = (value: unknown) => JSON.stringify(value, null, 2);

describe("the manifest the project writes", () => {
  it("is the same bytes whichever library's layout it was read from", () => {
    const manifest = { stacks: { network: entry("network"), workspaces: entry("workspaces") }, version: "0.21.0" };
    expect(cdktfLayout(manifest)).not.toEqual(cdktnLayout(manifest));
    expect(manifestText([cdktfLayout(manifest)])).toEqual(manifestText([cdktnLayout(manifest)]));
  });

  it("lists the stacks of every part, keys sorted whatever order the parts came in", () => {
    const a = { version: "0.24.0", stacks: { workspaces: entry("workspaces") } };
    const b = { stacks: { "accounts-0": entry("accounts-0") }, version: "0.24.0" };
    const merged = manifestText([cdktnLayout(a), cdktfLayout(b)]);
    expect(JSON.parse(merged)).toEqual({ stacks: { "accounts-0": entry("accounts-0"), workspaces: entry("workspaces") }, version: "0.24.0" });
    expect(merged).toEqual(manifestText([cdktfLayout(b), cdktnLayout(a)]));
    expect(merged.indexOf('"accounts-0"')).toBeLessThan(merged.indexOf('"workspaces"'));
    expect(merged.indexOf('"annotations"')).toBeLessThan(merged.indexOf('"constructPath"'));
    expect(merged).toContain('"annotations": [],');
  });

  it("keeps the version stamp of the first part", () => {
    const merged = manifestText([cdktnLayout({ stacks: {}, version: "0.24.0" }), cdktnLayout({ stacks: {}, version: "0.21.0" })]);
    expect(JSON.parse(merged).version).toBe("0.24.0");
  });
});
