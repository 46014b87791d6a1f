import stableStringify from "json-stable-stringify";
import { describe, expect, it } from "vitest";
import { compareOutputs, type OutputFiles } from "../lib/review/output-equivalence";

const names = { reference: "cdktf", candidate: "cdktn" };

/** cdktf 0.21 writes with json-stable-stringify: sorted keys, an empty list spread over two lines. */
const cdktfLayout = (value: unknown) => stableStringify(value, { space: 2 })!;
/** cdktn writes with safe-stable-stringify: sorted keys, `[]` and `{}`. */
const cdktnLayout = (value: unknown) => JSON.stringify(JSON.parse(stableStringify(value)!), null, 2);

/** A small stack as both libraries synthesize it, stamped with `version`. */
function stack(version: string, bucket = "org-logs") {
  return {
    "//": { metadata: { backend: "local", stackName: "log-archive", version }, outputs: {} },
    provider: { aws: [{ default_tags: [{ tags: { owner: "platform" } }], region: "ap-northeast-1" }] },
    resource: { aws_s3_bucket: { logs: { "//": { metadata: { path: "log-archive/logs", uniqueId: "logs" } }, bucket, tags: {} } } },
    terraform: { required_providers: { aws: { source: "aws", version: "6.0.0" } } },
  };
}

const manifest = (version: string) => ({ stacks: { "log-archive": { annotations: [], dependencies: [], name: "log-archive" } }, version });

function output(version: string, layout: (v: unknown) => string, edit: (s: ReturnType<typeof stack>) => void = () => {}): Map<string, string> {
  const s = stack(version);
  edit(s);
  return new Map([
    ["manifest.json", layout(manifest(version))],
    ["model-fingerprint.txt", "abc\n"],
    ["stacks/log-archive/cdk.tf.json", layout(s)],
  ]);
}

describe("comparing a cdktn synthesis with a cdktf one", () => {
  it("allows the version stamp and the layout of empty lists and objects, and counts them", () => {
    const cdktf = output("0.21.0", cdktfLayout);
    const cdktn = output("0.24.0", cdktnLayout);
    expect(cdktf.get("stacks/log-archive/cdk.tf.json")).not.toEqual(cdktn.get("stacks/log-archive/cdk.tf.json"));
    expect(compareOutputs(cdktf, cdktn, names)).toEqual({ differences: [], compared: 3, identical: 1, versionStamp: 2, emptyLayout: 2 });
  });

  it("names the stack and JSON path of a changed value", () => {
    const cdktn = output("0.24.0", cdktnLayout, (s) => (s.resource.aws_s3_bucket.logs.bucket = "org-logs-2"));
    expect(compareOutputs(output("0.21.0", cdktfLayout), cdktn, names).differences).toEqual([
      { stack: "log-archive", file: "stacks/log-archive/cdk.tf.json", path: "$.resource.aws_s3_bucket.logs.bucket", detail: '"org-logs" in cdktf, "org-logs-2" in cdktn' },
    ]);
  });

  it("reports a key one side lacks and a list of another length", () => {
    const cdktn = output("0.24.0", cdktnLayout, (s) => {
      (s.resource.aws_s3_bucket.logs as Record<string, unknown>).force_destroy = true;
      s.provider.aws.push({ default_tags: [], region: "us-east-1" });
    });
    const found = compareOutputs(output("0.21.0", cdktfLayout), cdktn, names).differences.map((d) => `${d.stack} ${d.path}: ${d.detail}`);
    expect(found).toEqual([
      "log-archive $.provider.aws: 1 items in cdktf, 2 in cdktn",
      "log-archive $.resource.aws_s3_bucket.logs.force_destroy: only in cdktn: true",
    ]);
  });

  it("allows a version only where the libraries stamp it, not a provider's version", () => {
    const cdktn = output("0.24.0", cdktnLayout, (s) => (s.terraform.required_providers.aws.version = "6.1.0"));
    expect(compareOutputs(output("0.21.0", cdktfLayout), cdktn, names).differences.map((d) => d.path)).toEqual(["$.terraform.required_providers.aws.version"]);
  });

  it("reports a stack only one side wrote", () => {
    const cdktn = output("0.24.0", cdktnLayout);
    cdktn.set("stacks/extra/cdk.tf.json", cdktnLayout(stack("0.24.0")));
    expect(compareOutputs(output("0.21.0", cdktfLayout), cdktn, names).differences).toEqual([
      { stack: "extra", file: "stacks/extra/cdk.tf.json", path: "$", detail: "only cdktn wrote this file" },
    ]);
  });

  it("reports keys written in another order, at their path", () => {
    const cdktn = output("0.24.0", cdktnLayout);
    const reordered = JSON.parse(cdktn.get("stacks/log-archive/cdk.tf.json")!);
    const logs = reordered.resource.aws_s3_bucket.logs;
    reordered.resource.aws_s3_bucket.logs = { tags: logs.tags, bucket: logs.bucket, "//": logs["//"] };
    cdktn.set("stacks/log-archive/cdk.tf.json", JSON.stringify(reordered, null, 2));
    const [d, ...rest] = compareOutputs(output("0.21.0", cdktfLayout), cdktn, names).differences;
    expect(rest).toEqual([]);
    expect(d!.stack).toBe("log-archive");
    expect(d!.path).toMatch(/^\$\.resource\.aws_s3_bucket\.logs/);
    expect(d!.detail).toContain("laid out differently");
  });

  it("reports other layout changes, such as another indent", () => {
    const files = output("0.21.0", cdktfLayout);
    const cdktn = new Map([...files].map(([f, t]) => [f, f.endsWith(".json") ? JSON.stringify(JSON.parse(t), null, 4) : t]));
    const found = compareOutputs(files, cdktn, names).differences;
    expect(found.map((d) => d.file)).toEqual(["manifest.json", "stacks/log-archive/cdk.tf.json"]);
    expect(found[1]!.path).not.toBe("$");
  });

  it("compares files that are not JSON byte for byte", () => {
    const cdktn: OutputFiles = new Map([...output("0.24.0", cdktnLayout), ["model-fingerprint.txt", "abd\n"]]);
    expect(compareOutputs(output("0.21.0", cdktfLayout), cdktn, names).differences).toEqual([
      { stack: "model-fingerprint.txt", file: "model-fingerprint.txt", path: "$", detail: 'the files differ (line 1: "abc" in cdktf, "abd" in cdktn)' },
    ]);
  });
});
