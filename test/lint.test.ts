import { ESLint } from "eslint";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** A package-root import, assembled so this file does not itself contain one. */
const ROOT_IMPORT = ["@cdktf", "provider-aws"].join("/");
/** The same under cdktn, cdktf's maintained fork. */
const CDKTN_ROOT_IMPORT = ["@cdktn", "provider-aws"].join("/");

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

  it("rejects a cdktn provider imported from its package root", async () => {
    expect(await lint(`import { EcrRepository } from "${CDKTN_ROOT_IMPORT}";\nexport const x = EcrRepository;\n`, "constructs/x.ts")).toContain("no-restricted-imports");
    expect(await lint(`import { EcrRepository } from "${CDKTN_ROOT_IMPORT}/";\nexport const x = EcrRepository;\n`, "stacks/x.ts")).toContain("no-restricted-imports");
  });

  it("accepts a cdktn provider imported by deep path", async () => {
    expect(await lint(`import { EcrRepository } from "@cdktn/provider-aws/lib/ecr-repository";\nexport const x = EcrRepository;\n`, "constructs/x.ts")).toEqual([]);
  });

  it.each([
    ["cdktn", "lib/x.ts"],
    ["cdktn", "lib/plan/x.ts"],
    ["cdktn/lib/app", "lib/rehearsal/x.ts"],
    ["@cdktn/provider-aws/lib/ecr-repository", "lib/x.ts"],
    ["@cdktn/provider-aws/lib/ecr-repository", "lib/config/x.ts"],
  ])("rejects %s in %s, which must stay pure", async (module, file) => {
    expect(await lint(`import * as m from "${module}";\nexport const x = m;\n`, file)).toContain("no-restricted-imports");
  });

  it("accepts cdktn outside lib/, where cdktf is allowed too", async () => {
    expect(await lint(`import { App } from "cdktn";\nexport const x = App;\n`, "stacks/x.ts")).toEqual([]);
  });

  it("rejects a config import from a construct", async () => {
    expect(await lint(`import p from "../config/platform.js";\nexport const x = p;\n`, "constructs/x.ts")).toContain("no-restricted-imports");
  });
});
