import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppress } from "../guardrails/suppress.js";
import { codeVersion, INPUTS_FILE } from "../lib/incremental/inputs";
import { ReadRecorder } from "../lib/incremental/read-recorder";
import { validate } from "../lib/config/validate";
import { buildApp, synthesize, synthesizeIncrementally } from "../synth.js";
import { exampleRaw, withService } from "./helpers.js";
import { scratchDir } from "./scratch.js";

const work = scratchDir("incremental-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file of an output directory but the inputs record, by relative path. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name));
    if (e.isFile() && rel !== INPUTS_FILE) out[rel] = readFileSync(path.join(e.parentPath, e.name), "utf8");
  }
  return out;
}

type Raw = ReturnType<typeof exampleRaw>;

/** Config edits a pull request makes, each valid on the fixture organization and after the others. */
const edits: Array<fc.Arbitrary<{ name: string; apply: (raw: Raw) => void }>> = [
  fc.constantFrom("ledger", "payments", "recommendations").chain((key) => fc.string({ minLength: 1, maxLength: 12 }).map((text) => ({
    name: `describe ${key}`,
    apply: (raw: Raw) => { raw.serviceFiles[key] = { ...raw.serviceFiles[key], description: `Edited: ${text}` }; raw.index[key] = raw.serviceFiles[key]; },
  }))),
  fc.subarray(["alice", "bob", "carol"], { minLength: 1 }).map((owners) => ({
    name: `ledger owned by ${owners.join("+")}`,
    apply: (raw: Raw) => withService(raw, "ledger", { ...raw.serviceFiles.ledger, owners }),
  })),
  fc.integer({ min: 1, max: 5 }).map((n) => ({
    name: `new service svc${n}`,
    apply: (raw: Raw) => withService(raw, `svc${n}`, {
      description: `Service ${n}`, owners: ["carol"], account: { email: `aws+svc${n}@example.com`, ou: "workloads-prod" },
      regions: n % 2 ? ["ap-northeast-1"] : ["ap-northeast-1", "ap-northeast-3"], kubernetes: { tenancy: "shared" },
      registry: { kind: "ecr", repositories: [`svc${n}`] }, slack: { handle: `svc${n}-team` },
    }),
  })),
  fc.integer({ min: 1, max: 3 }).map((n) => ({
    name: `developer dev${n} joins`,
    apply: (raw: Raw) => {
      raw.developers[`dev${n}`] = { name: `Dev ${n}`, email: `dev${n}@example.com`, github: `dev${n}-gh`, slack: `U0DEV0000${n}`, datadogRole: "Datadog Standard Role", pagerdutyRole: "user" };
    },
  })),
  fc.constantFrom("example", "acme").map((value) => ({
    name: `organization tag ${value}`,
    apply: (raw: Raw) => { raw.platform.tags = { ...raw.platform.tags, organization: value }; },
  })),
  fc.constantFrom(["api"], ["api", "worker", "batch"]).map((repositories) => ({
    name: `payments repositories ${repositories.join(",")}`,
    apply: (raw: Raw) => withService(raw, "payments", { ...raw.serviceFiles.payments, registry: { ...raw.serviceFiles.payments.registry, repositories } }),
  })),
];

describe("incremental synthesis", () => {
  const base = path.join(work, "base");
  let baseRebuilt = 0;
  beforeAll(async () => {
    baseRebuilt = (await synthesizeIncrementally(validate(exampleRaw()), base)).rebuilt;
  });

  it("builds every stack when there is no previous output, and none when nothing changed", async () => {
    const out = path.join(work, "again");
    cpSync(base, out, { recursive: true });
    const result = await synthesizeIncrementally(validate(exampleRaw()), out);
    expect(baseRebuilt).toBeGreaterThan(20);
    expect(result).toMatchObject({ rebuilt: 0, reused: baseRebuilt });
    expect(files(out)).toEqual(files(base));
  });

  it("after a random sequence of config edits, writes exactly what a full synthesis writes, manifest included", async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(fc.oneof(...edits), { minLength: 1, maxLength: 3 }), async (sequence) => {
      const out = path.join(work, `edits-${++run}`);
      cpSync(base, out, { recursive: true });
      const raw = exampleRaw();
      let rebuilt = 0;
      for (const edit of sequence) {
        edit.apply(raw);
        rebuilt += (await synthesizeIncrementally(validate(raw), out)).rebuilt;
      }
      const full = path.join(work, `full-${run}`);
      synthesize(validate(raw), full);
      expect(files(out)).toEqual(files(full));
      // Each edit touches a few stacks, never the whole organization.
      expect(rebuilt).toBeLessThan(baseRebuilt * sequence.length);
      rmSync(out, { recursive: true, force: true });
      rmSync(full, { recursive: true, force: true });
    }), { numRuns: 3, seed: 19 });
  });

  it("rebuilds only the edited service's stack for a description change", async () => {
    const out = path.join(work, "one-service");
    cpSync(base, out, { recursive: true });
    const raw = exampleRaw();
    withService(raw, "ledger", { ...raw.serviceFiles.ledger, description: "General ledger, edited" });
    const result = await synthesizeIncrementally(validate(raw), out);
    expect(result.rebuilt).toBe(1);
    expect(JSON.parse(readFileSync(path.join(out, INPUTS_FILE), "utf8")).stacks).toHaveProperty("service-ledger-ap-northeast-1");
  });

  it("rebuilds only the stacks that list developers when a developer joins", async () => {
    const out = path.join(work, "joins");
    cpSync(base, out, { recursive: true });
    const raw = exampleRaw();
    expect(raw.developers.frank).toBeUndefined();
    raw.developers.frank = { name: "Frank Oda", email: "frank@example.com", github: "frank-oda", slack: "U01FRANK01", datadogRole: "Datadog Standard Role", pagerdutyRole: "user" };
    const before = JSON.parse(readFileSync(path.join(out, INPUTS_FILE), "utf8")).stacks;
    const result = await synthesizeIncrementally(validate(raw), out);
    const after = JSON.parse(readFileSync(path.join(out, INPUTS_FILE), "utf8")).stacks;
    const rebuilt = Object.keys(after).filter((name) => JSON.stringify(after[name]) !== JSON.stringify(before[name])).sort();
    // google holds every developer's GKE project role; the GKE namespace shards read the whole
    // developer list to find their owners' Google identities (ownerGoogleIdentities).
    expect(rebuilt).toEqual(["bastion", "datadog", "github", "gke-namespaces-2", "gke-namespaces-3", "google", "pagerduty", "workspaces"]);
    expect(result.rebuilt).toBe(8);
  });

  it("rebuilds only the stacks whose output changes when a service is added, whatever its key's place in the list", async () => {
    const out = path.join(work, "adds");
    cpSync(base, out, { recursive: true });
    const raw = exampleRaw();
    // Sorts between ledger and payments, so every later service moves one place in the list.
    withService(raw, "notifications", {
      description: "Notifications", owners: ["carol"], account: { email: "aws+notifications@example.com", ou: "workloads-prod" },
      regions: ["ap-northeast-1"], kubernetes: { tenancy: "shared" }, registry: { kind: "ecr", repositories: ["notifications"] }, githubRepositories: ["notifications"], slack: { handle: "notifications-team" },
    });
    const before = JSON.parse(readFileSync(path.join(out, INPUTS_FILE), "utf8")).stacks;
    const result = await synthesizeIncrementally(validate(raw), out);
    const after = JSON.parse(readFileSync(path.join(out, INPUTS_FILE), "utf8")).stacks;
    const rebuilt = Object.keys(after).filter((name) => JSON.stringify(after[name]) !== JSON.stringify(before[name])).sort();
    const baseFiles = files(base);
    const changed = Object.entries(files(out)).filter(([file, text]) => file.startsWith("stacks/") && baseFiles[file] !== text).map(([file]) => file.split("/")[1]!).sort();
    expect(changed).toContain("service-notifications-ap-northeast-1");
    expect(rebuilt).toEqual(changed);
    expect(result.rebuilt).toBe(changed.length);
    expect(result.rebuilt).toBeLessThan(6);
  });

  it("rebuilds every stack after a code change, and a reused stack keeps its guardrail warning", async () => {
    // The code change: a test app adds a stale suppression (a warning) to one stack. The
    // record of the previous output says it was written by other code.
    const stack = "service-payments-ap-northeast-3";
    const build: typeof buildApp = (model, outdir, only, recorders) => {
      const app = buildApp(model, outdir, only, recorders);
      const target = app.node.tryFindChild(stack);
      if (target) suppress(new SqsQueue(target, "queue", {}), "security/kms-key-rotation", "left over from a removed key");
      return app;
    };
    const out = path.join(work, "other-code");
    cpSync(base, out, { recursive: true });
    const record = JSON.parse(readFileSync(path.join(out, INPUTS_FILE), "utf8"));
    writeFileSync(path.join(out, INPUTS_FILE), JSON.stringify({ ...record, code: "0".repeat(64) }));
    const first = await synthesizeIncrementally(validate(exampleRaw()), out, { build });
    expect(first).toMatchObject({ rebuilt: baseRebuilt, reused: 0 });

    const raw = exampleRaw();
    withService(raw, "ledger", { ...raw.serviceFiles.ledger, description: "General ledger, edited" });
    const second = await synthesizeIncrementally(validate(raw), out, { build });
    const warning = (f: { ruleId: string; severity: string; path: string }) => f.ruleId === "guardrails/suppression" && f.severity === "warning" && f.path.startsWith(`${stack}/queue`);
    expect(first.findings.filter(warning)).toHaveLength(1);
    expect(second.rebuilt).toBe(1);
    expect(second.findings).toEqual(first.findings);
  });
});

describe("the code version", () => {
  const root = path.join(work, "repo");
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  beforeAll(() => {
    write("stacks/a-stack.ts", "export const a = 1;\n");
    write("package-lock.json", '{"lockfileVersion":3}\n');
    write("config/platform.ts", "export default {};\n");
    write("out/manifest.json", "{}\n");
  });

  it("changes with any source file and with the locked dependency versions", () => {
    const before = codeVersion(root, path.join(root, "out"));
    write("stacks/a-stack.ts", "export const a = 2;\n");
    const afterCode = codeVersion(root, path.join(root, "out"));
    write("package-lock.json", '{"lockfileVersion":3,"packages":{}}\n');
    const afterLock = codeVersion(root, path.join(root, "out"));
    expect(new Set([before, afterCode, afterLock]).size).toBe(3);
  });

  it("does not change with the organization's config or the output directory", () => {
    const before = codeVersion(root, path.join(root, "out"));
    write("config/platform.ts", "export default { name: 'x' };\n");
    write("out/manifest.json", '{"stacks":{}}\n');
    write("out.partial-1/manifest.json", "{}\n");
    expect(codeVersion(root, path.join(root, "out"))).toBe(before);
  });
});

describe("the read recorder", () => {
  it("records values, absent fields, key enumerations and lookups, and re-reads them on another model", () => {
    const recorder = new ReadRecorder({ services: [{ key: "a", regions: ["x"] }, { key: "b", regions: ["y"] }], tags: { t: "1" } as Record<string, string> });
    const m = recorder.model;
    expect(m.services.find((s) => s.key === "b")!.regions[0]).toBe("y");
    expect(Object.keys(m.tags)).toEqual(["t"]);
    expect((m.services[0] as { previousName?: string }).previousName).toBeUndefined();
    expect(m.services).toBe(m.services);
    const reads = recorder.recorded().map(({ read, value }) => `${read.how} ${read.path.join(".")} ${JSON.stringify(value)}`);
    expect(reads).toEqual(expect.arrayContaining([
      'get services.length 2', 'get services.0.key "a"', 'get services.1.key "b"', 'get services.1.regions.0 "y"',
      'keys tags ["t"]', 'get services.0.previousName {"absent":true}',
    ]));
    expect(reads.some((r) => r.startsWith("get services.0.regions"))).toBe(false);
  });

  it("refuses writes to the model", () => {
    const m = new ReadRecorder({ a: { b: 1 } }).model;
    expect(() => { (m.a as { b: number }).b = 2; }).toThrow(/read-only/);
  });
});
