import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../lib/config/load";
import { validate } from "../lib/config/validate";
import { planStacks } from "../lib/plan/stack-plan";
import { writeOrg } from "../scripts/generate-org";
import platform from "./fixtures/org/platform.js";

/*
 * `npm run plan-stacks` end to end on a generated organization: a stand-in Terraform Cloud API
 * answers which workspaces exist (a new service's does not), a stand-in terraform records what
 * it plans, and the plan directory holds what the summary reads.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(path.join(tmpdir(), "plan-stacks-"));
const config = path.join(scratch, "config");
const plans = path.join(scratch, "plans");
const asked: string[] = [];
let server: Server;
let api: string;
let names: { service: string; shard: string; factory: string; cluster: string };

beforeAll(async () => {
  writeOrg(config, 6, 4, { platform, seed: 3 });
  const specs = planStacks(validate(await loadConfig(config, "config")));
  const service = specs.find((s) => s.kind === "service")!;
  // A namespace shard reads the outputs of its region's services (lib/plan/waves.ts).
  const shard = specs.find((s) => s.kind === "namespaces" && s.region === service.region)!;
  names = { service: service.name, shard: shard.name, factory: service.workspaceFactory, cluster: `cluster-${service.region}` };
  server = createServer((req, res) => {
    asked.push(`${req.headers.authorization} ${req.url}`);
    const ws = decodeURIComponent(req.url!.split("/").at(-1)!);
    res.writeHead(ws === names.service ? 404 : 200, { "content-type": "application/vnd.api+json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(scratch, { recursive: true, force: true });
});

function planStacksCli(changed: string[]): Promise<{ code: number | null; out: string; calls: string[] }> {
  const bin = path.join(scratch, "terraform");
  const calls = path.join(scratch, "calls.txt");
  writeFileSync(bin, `#!/bin/sh\necho "$(basename "\${1#-chdir=}") $2" >> "${calls}"\nif [ "$2" = plan ]; then echo "Plan: 1 to add, 0 to change, 0 to destroy."; exit 2; fi\n`);
  chmodSync(bin, 0o755);
  writeFileSync(calls, "");
  writeFileSync(path.join(scratch, "changed.txt"), `${changed.join("\n")}\nretired-stack\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/plan-stacks.ts"), "--changed", path.join(scratch, "changed.txt"), "--dir", plans, "--config", config, "--terraform", bin, "--api", api], {
      cwd: ROOT, env: { ...process.env, TF_TOKEN_app_terraform_io: "test-plan-token-not-real" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out, calls: readFileSync(calls, "utf8").split("\n").filter(Boolean) }));
  });
}

describe("npm run plan-stacks for a pull request that adds a service", () => {
  let run: Awaited<ReturnType<typeof planStacksCli>>;
  beforeAll(async () => {
    run = await planStacksCli([names.shard, names.service, names.factory]);
  });

  it("asks Terraform Cloud about each changed workspace with the plan token", () => {
    expect(run.code, run.out).toBe(0);
    expect(asked.filter((a) => a.startsWith("Bearer test-plan-token-not-real ")).length).toBe(3);
  });

  it("plans only the vending shard; the new service and its namespace shard are not planned", () => {
    expect(run.calls).toEqual([`${names.factory} init`, `${names.factory} plan`]);
  });

  it("leaves the files the summary reads: order in waves, skipped, pending, exit code, removed stacks", () => {
    const read = (f: string) => readFileSync(path.join(plans, f), "utf8");
    expect(read("order.txt")).toBe(`${names.factory}\n${names.service}\n${names.shard}\n`);
    expect(read(`${names.service}.skipped`)).toMatch(/new workspace/);
    expect(read(`${names.shard}.pending`)).toBe(`${names.service}\n`);
    expect(read(`${names.factory}.exit`)).toBe("2\n");
    expect(existsSync(path.join(plans, `${names.shard}.exit`))).toBe(false);
    expect(read("removed.txt")).toMatch(/^retired-stack: no longer planned/);
  });

  it("prints the comment with the namespace shard pending and nothing failed", async () => {
    const summary = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/plan-summary.ts"), "--dir", plans, "--order", path.join(plans, "order.txt"), "--status"], { cwd: ROOT });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("close", () => resolve(out));
    });
    expect(summary).toBe(`${names.factory} changes\n${names.service} skipped\n${names.shard} pending\n`);
  });
});
