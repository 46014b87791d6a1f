import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terraformVersion } from "../lib/rehearsal/terraform-validate";
import { run } from "../scripts/rehearse-terraform.js";
import { runCommand } from "./command.js";

/*
 * `npm run rehearse:terraform` end to end on a fixture `cdktf.out`, with the schemas derived
 * from the installed @cdktf/provider-* packages: a stack that is valid for the real provider
 * passes, a planted unknown argument fails with exit 1.
 */

const ROOT = path.resolve(import.meta.dirname, "..");

/** A small AWS stack as cdktf writes it, references between resources included. */
function awsStack(roleArguments: object): object {
  return {
    terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } }, cloud: { organization: "example", workspaces: { name: "fixture" } } },
    provider: { aws: [{ region: "ap-northeast-1", default_tags: [{ tags: { "managed-by": "super-terraform" } }] }] },
    data: { aws_caller_identity: { current: {} } },
    resource: {
      aws_iam_role: {
        deploy: {
          name: "deploy",
          assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"},"Action":"sts:AssumeRole"}]}',
          ...roleArguments,
        },
      },
      aws_s3_bucket: { logs: { bucket: "example-logs", tags: { role: "${aws_iam_role.deploy.arn}" } } },
    },
  };
}

const version = terraformVersion();
if (!version) console.warn("SKIPPED: npm run rehearse:terraform tests need a `terraform` binary on PATH (Terraform 1.11 or later); none was found.");

describe.skipIf(!version)(`npm run rehearse:terraform (${version ? `Terraform ${version}` : "SKIPPED: no terraform on PATH"})`, () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "rehearse-terraform-cli-"));
    for (const [name, json] of [["fixture-valid", awsStack({})], ["fixture-typo", awsStack({ max_session_durations: 3600 })]] as const) {
      mkdirSync(path.join(out, "stacks", name), { recursive: true });
      writeFileSync(path.join(out, "stacks", name, "cdk.tf.json"), `${JSON.stringify(json, null, 2)}\n`);
    }
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  // The command in a process of its own, as `npm run rehearse:terraform` runs it: one test does.
  const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/rehearse-terraform.ts"), "--out", out, ...args], { cwd: ROOT, encoding: "utf8" });
  // The same command's run() in this process.
  const here = (...args: string[]) => runCommand(() => run(["--out", out, ...args]));

  it("passes a stack the pinned AWS provider accepts, against the schema derived from its package", () => {
    const result = cli("--stacks", "fixture-valid");
    expect(result.stdout).toMatch(/fixture-valid\s+[\d.]+ s {2}valid/);
    expect(result.status).toBe(0);
  });

  it("fails a planted unknown argument with exit 1 and names it in --json", async () => {
    const result = await here("--stacks", "fixture-typo", "--json");
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout).findings;
    expect(findings).toEqual([expect.objectContaining({ class: "validity", stack: "fixture-typo", address: "aws_iam_role.deploy", message: expect.stringContaining('No argument or block type is named "max_session_durations"') })]);
  });

  it("refuses a missing cdktf.out with the command to run", async () => {
    const result = await runCommand(() => run(["--out", path.join(out, "nothing-here")]));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/run `npm run synth` first/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
