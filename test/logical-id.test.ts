import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, TerraformElement, TerraformLocal, TerraformStack } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { logicalId } from "../stacks/logical-id.js";
import { PlatformStack } from "../stacks/platform-stack.js";
import { buildApp } from "../synth.js";
import { exampleModel } from "./helpers.js";

/** cdktf's own logical ID of an element (TerraformStack's, not PlatformStack's). */
function cdktfId(stack: TerraformStack, element: TerraformElement): string {
  return (TerraformStack.prototype as unknown as { allocateLogicalId(e: TerraformElement): string }).allocateLogicalId.call(stack, element);
}

function elements(scope: IConstruct): TerraformElement[] {
  return scope.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c));
}

describe("logical IDs", () => {
  it("are cdktf's for every element of the fixture organization", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "logical-id-"));
    try {
      const app = buildApp(exampleModel(), dir);
      let hashed = 0;
      let checked = 0;
      for (const stack of app.node.children.filter((c): c is PlatformStack => c instanceof PlatformStack)) {
        for (const element of elements(stack)) {
          const id = logicalId(stack, element);
          expect(id, element.node.path).toBe(cdktfId(stack, element));
          if (/_[0-9A-F]{8}$/.test(id!)) hashed++;
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(1000);
      expect(hashed).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("are cdktf's for hidden, repeated, long and odd ids", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "logical-id-")), skipValidation: true });
    const stack = new TerraformStack(app, "odd");
    const cases = [
      new TerraformLocal(new Construct(new Construct(stack, "bucket"), "bucket-policy"), "Resource", { expression: 1 }),
      new TerraformLocal(new Construct(stack, "logs-bucket"), "bucket", { expression: 1 }),
      new TerraformLocal(new Construct(new Construct(stack, "a"), "Default"), "inner", { expression: 1 }),
      new TerraformLocal(new Construct(stack, "outer"), "Default", { expression: 1 }),
      new TerraformLocal(stack, "with spaces & dots.x", { expression: 1 }),
      new TerraformLocal(stack, "x".repeat(300), { expression: 1 }),
      new TerraformLocal(new Construct(stack, "y".repeat(200)), "z".repeat(100), { expression: 1 }),
    ];
    for (const element of cases) expect(logicalId(stack, element), element.node.path).toBe(cdktfId(stack, element));
    // A path of only hidden ids: cdktf throws, and this leaves it to cdktf.
    const onlyHidden = new TerraformLocal(new Construct(new Construct(stack, "Default"), "Default"), "Default", { expression: 1 });
    expect(() => cdktfId(stack, onlyHidden)).toThrow("empty set of components");
    expect(logicalId(stack, onlyHidden)).toBeUndefined();
  });
});
