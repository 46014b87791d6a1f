import { ESLint } from "eslint";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** A package-root import, assembled so this file does not itself contain one. */
const ROOT_IMPORT = ["@cdktf", "provider-aws"].join("/");

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, "..") });

async function lint(code: string, file: string) {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.map((m) => m.ruleId);
}

describe("the import rules", () => {
  it("rejects a provider imported from its package root", async () => {
    expect(await lint(`import { EcrRepository } from "${ROOT_IMPORT}";\nexport const x = EcrRepository;\n`, "constructs/x.ts")).toContain("no-restricted-imports");
  });

  it("accepts a provider imported by deep path", async () => {
    expect(await lint(`import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";\nexport const x = EcrRepository;\n`, "constructs/x.ts")).toEqual([]);
  });

  it("rejects cdktf in lib/, which must stay pure", async () => {
    expect(await lint(`import { App } from "cdktf";\nexport const x = App;\n`, "lib/x.ts")).toContain("no-restricted-imports");
  });

  it("rejects a config import from a construct", async () => {
    expect(await lint(`import p from "../config/platform.js";\nexport const x = p;\n`, "constructs/x.ts")).toContain("no-restricted-imports");
  });
});
