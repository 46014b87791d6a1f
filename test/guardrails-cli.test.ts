import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../main.js";
import { runCommand } from "./command.js";
import { guardrailApp } from "./fixtures/guardrail-app.js";
import { scratchDir } from "./scratch.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const work = scratchDir("guardrails-cli-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FIXTURE_ORG = path.join(ROOT, "test/fixtures/org");

/**
 * The synth command's `run` with the test app (the organization's app plus extra resources) on
 * the fixture organization, in this process: the exit code and output `npm run synth` would
 * give. The command's own process is tested once, in cli.test.ts.
 */
async function synthAppHere(scenario: string) {
  const out = path.join(work, scenario);
  return { ...(await runCommand(() => run(["--config", FIXTURE_ORG, "--out", out], guardrailApp(scenario)))), out };
}

describe("synth with a resource breaking each rule", () => {
  let result: Awaited<ReturnType<typeof synthAppHere>>;
  beforeAll(async () => {
    result = await synthAppHere("broken");
  });

  it("fails with exit code 1 and writes nothing", () => {
    expect(result.status).toBe(1);
    expect(existsSync(result.out)).toBe(false);
    expect(result.stderr).toMatch(/^Guardrails found 5 errors; nothing was synthesized\./);
  });

  it.each([
    ["security/s3-public-access-blocked", "open-bucket", /S3BucketPublicAccessBlock/],
    ["security/s3-tls-only", "open-bucket", /aws:SecureTransport/],
    ["security/kms-key-rotation", "static-key", /enableKeyRotation: true/],
    ["security/no-admin-policy", "admin", /grant the actions the workload needs/],
    ["tagging/service-owner-tags", "untagged-queue", /do not set or blank owners/],
  ])("reports %s with the construct path and the fix", (ruleId, construct, fix) => {
    const block = new RegExp(`error ${ruleId} at service-payments-ap-northeast-3/${construct}\\n  problem: .+\\n  fix:     (.+)`).exec(result.stderr);
    expect(block, result.stderr).not.toBeNull();
    expect(block![1]).toMatch(fix);
  });
});

describe("suppressions", () => {
  it("excuse findings next to the resource, are listed in the synth output, and let synth succeed", async () => {
    const result = await synthAppHere("suppressed");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Suppressed guardrail findings \(2\):/);
    expect(result.stderr).toMatch(/suppressed security\/s3-public-access-blocked at service-payments-ap-northeast-3\/public-site\n    reason: static status page, public by design \(PLAT-42\)\n/);
    expect(result.stderr).toMatch(/suppressed security\/s3-tls-only at .*public-site\n    reason: served to legacy HTTP clients/);
    expect(result.stderr).toMatch(/warning guardrails\/suppression at service-payments-ap-northeast-3\/queue\n  problem: suppresses "security\/kms-key-rotation" but excuses no finding/);
    expect(JSON.parse(readFileSync(path.join(result.out, "stacks/service-payments-ap-northeast-3/cdk.tf.json"), "utf8")).resource.aws_s3_bucket).toBeDefined();
  });

  it("with a short reason or an unknown rule id fail synth with what to fix", async () => {
    const result = await synthAppHere("bad-reason");
    expect(result.status).toBe(1);
    expect(existsSync(result.out)).toBe(false);
    expect(result.stderr).toMatch(/error guardrails\/suppression at service-payments-ap-northeast-3\/static-key\n  problem: suppresses "security\/kms-key-rotation" with the reason "legacy", which says too little to review\n  fix:     give a reason of at least 10 characters/);
    expect(result.stderr).toMatch(/problem: suppresses "security\/no-such-rule", which is not a guardrail rule\n  fix:     use one of the rule ids: .*security\/kms-key-rotation/);
    // The short reason does not excuse the finding.
    expect(result.stderr).toMatch(/error security\/kms-key-rotation at service-payments-ap-northeast-3\/static-key\n/);
  });
});
