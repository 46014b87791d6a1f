import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findSecrets } from "../lib/secrets.js";
import { buildApp } from "../synth.js";
import { exampleModel } from "./helpers.js";
import { scratchDir } from "./scratch.js";

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe("no secrets", () => {
  it("finds none in the synthesized output", () => {
    const out = scratchDir("secrets-");
    try {
      buildApp(exampleModel(), out).synth();
      const hits = filesUnder(out).flatMap((f) => findSecrets(readFileSync(f, "utf8")).map((h) => `${path.relative(out, f)}: ${h.name}`));
      expect(hits).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("detects each kind of planted token (the scan can fail)", () => {
    // Built from pieces so this file itself holds no token-shaped literal.
    const planted = [
      ["AKIA", "ABCDEFGHIJKLMNOP"].join(""),
      ["ghp_", "a".repeat(36)].join(""),
      ["xoxb-", "1234567890-abcdef"].join(""),
      ["https://hooks.slack.com/services/", "T0000/B0000/abcdefabcdef"].join(""),
      ["abcdefghijklmn", ".atlasv1.", "x".repeat(64)].join(""),
      [`"dd_api_key": "`, "0123456789abcdef0123456789abcdef", `"`].join(""),
      ["-----BEGIN RSA ", "PRIVATE KEY-----"].join(""),
    ];
    for (const text of planted) expect(findSecrets(`{"x": ${JSON.stringify(text)}} ${text}`)).not.toEqual([]);
  });

  it("does not flag cdktf's own unique ids and hashes", () => {
    expect(findSecrets(`{"uniqueId": "account-ledger_130BFFB5", "etag": "0123456789abcdef0123456789abcdef"}`)).toEqual([]);
  });
});
