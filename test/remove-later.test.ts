import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeLater } from "../lib/remove-later";

const work = mkdtempSync(path.join(tmpdir(), "remove-later-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An output directory with `stacks` stack folders of one file each. */
function output(name: string, stacks: number): string {
  const dir = path.join(work, name);
  for (let i = 0; i < stacks; i++) {
    mkdirSync(path.join(dir, "stacks", `s${i}`), { recursive: true });
    writeFileSync(path.join(dir, "stacks", `s${i}`, "cdk.tf.json"), "{}\n");
  }
  writeFileSync(path.join(dir, "manifest.json"), "{}\n");
  return dir;
}

describe("removing the previous output", () => {
  it("frees the directory at once and deletes a large one in a background process", async () => {
    const dir = output("large", 3);
    const remover = removeLater(dir, 3);
    expect(remover).toBeDefined();
    expect(existsSync(dir)).toBe(false);
    const exit = await new Promise<number | null>((resolve) => remover!.once("exit", (code) => resolve(code)));
    expect(exit).toBe(0);
    expect(readdirSync(work).filter((f) => f.startsWith("large"))).toEqual([]);
  });

  it("deletes a small one in place, leaving nothing behind", () => {
    const dir = output("small", 2);
    expect(removeLater(dir, 3)).toBeUndefined();
    expect(readdirSync(work).filter((f) => f.startsWith("small"))).toEqual([]);
  });

  it("does nothing when there is no previous output", () => {
    expect(removeLater(path.join(work, "absent"))).toBeUndefined();
    expect(existsSync(path.join(work, "absent"))).toBe(false);
  });
});
