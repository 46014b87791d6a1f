import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driftActions, readExplorerPage } from "../lib/review/drift";
import { exampleModel } from "./helpers.js";

/*
 * The drift report from health assessments. test/fixtures/drift holds API answers in the
 * documented formats (HCP Terraform's explorer `workspaces` view, two pages; GitHub's open
 * issues of the drift label); a local server plays both APIs, so no test reaches the network.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const fixture = (name: string) => JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/drift", name), "utf8"));
const requests: Array<{ method: string; path: string; query: URLSearchParams; auth?: string; body?: any }> = [];
let server: Server;
let api: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url!, "http://x");
      requests.push({ method: req.method!, path: url.pathname, query: url.searchParams, auth: req.headers.authorization, body: body ? JSON.parse(body) : undefined });
      const json = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (url.pathname.endsWith("/explorer")) return json(200, fixture(`explorer-page-${url.searchParams.get("page[number]")}.json`));
      if (req.method === "GET" && url.pathname === "/repos/example/super-terraform/issues") return json(200, url.searchParams.get("page") === "1" ? fixture("github-open-issues.json") : []);
      if (req.method === "POST" && url.pathname.endsWith("/labels")) return json(422, { message: "Validation Failed" });
      return json(req.method === "POST" ? 201 : 200, { ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

function report(extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/drift-issues.ts"), "--tfe-api", api, "--github-api", api, ...extra], {
      cwd: ROOT,
      env: { ...process.env, TF_TOKEN_app_terraform_io: "test-tfe-token-not-real", GH_TOKEN: "test-gh-token-not-real", GITHUB_REPOSITORY: "example/super-terraform", RUN_URL: "https://github.com/example/super-terraform/actions/runs/7" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the drift report", () => {
  let run: Awaited<ReturnType<typeof report>>;
  const writes = () => requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/labels"));
  beforeAll(async () => {
    requests.length = 0;
    run = await report();
  });

  it("reads every page of the project's workspaces from the explorer with the drift token", () => {
    expect(run.code, run.stderr).toBe(0);
    const explorer = requests.filter((r) => r.path.endsWith("/explorer"));
    const { organization, project } = exampleModel().platform.terraformCloud;
    expect(explorer.map((r) => r.path)).toEqual([`/api/v2/organizations/${organization}/explorer`, `/api/v2/organizations/${organization}/explorer`]);
    expect(explorer.map((r) => r.query.get("page[number]"))).toEqual(["1", "2"]);
    expect(explorer.every((r) => r.query.get("type") === "workspaces" && r.query.get("filter[0][project_name][is][0]") === project)).toBe(true);
    expect(explorer.every((r) => r.auth === "Bearer test-tfe-token-not-real")).toBe(true);
  });

  it("opens an issue for a workspace with a new finding (failed checks), labelled drift", () => {
    const created = writes().filter((r) => r.method === "POST" && r.path === "/repos/example/super-terraform/issues");
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({ title: "Drift in workspace github", labels: ["drift"] });
    expect(created[0]!.body.body).toContain("**2 check(s) failed**");
    expect(created[0]!.auth).toBe("Bearer test-gh-token-not-real");
  });

  it("updates the open issue of a workspace whose drift changed, with a comment saying what it finds now", () => {
    const on44 = writes().filter((r) => r.path.startsWith("/repos/example/super-terraform/issues/44"));
    expect(on44.map((r) => r.method)).toEqual(["PATCH", "POST"]);
    expect(on44[0]!.body.body).toContain("**3 of 12 resource(s) drifted**");
    expect(on44[1]!.body.body).toMatch(/3 of 12 resource\(s\) drifted/);
  });

  it("leaves an issue whose drift is unchanged alone (no daily comment)", () => {
    expect(writes().filter((r) => r.path.startsWith("/repos/example/super-terraform/issues/41"))).toEqual([]);
  });

  it("closes the issue of a workspace the latest assessment finds clean, and keeps one whose workspace it does not list", () => {
    const on42 = writes().filter((r) => r.path.startsWith("/repos/example/super-terraform/issues/42"));
    expect(on42.map((r) => [r.method, r.body.state ?? "comment"])).toEqual([["POST", "comment"], ["PATCH", "closed"]]);
    expect(writes().filter((r) => r.path.startsWith("/repos/example/super-terraform/issues/43"))).toEqual([]);
  });

  it("changes nothing in a dry run", async () => {
    requests.length = 0;
    const dry = await report(["--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split("\n").filter(Boolean)).toEqual(["create github", "close network-ap-northeast-1 #42", "update service-payments-ap-northeast-1 #44"]);
    expect(writes()).toEqual([]);
  });
});

describe("reading assessments", () => {
  it("reads the explorer's rows and the next page", () => {
    const page = readExplorerPage(fixture("explorer-page-1.json"));
    expect(page.nextPage).toBe(2);
    expect(page.rows[0]).toEqual({ workspace: "cluster-ap-northeast-1", drifted: true, resourcesDrifted: 1, resourceCount: 40, checksFailed: 0 });
    expect(readExplorerPage(fixture("explorer-page-2.json")).nextPage).toBeNull();
  });

  it("refuses an answer that is not an explorer page", () => {
    expect(() => readExplorerPage({ errors: [{ status: "401" }] })).toThrow(/without a data array/);
  });

  it("opens one issue per drifted workspace, never two", () => {
    const h = { workspace: "a", drifted: true, resourcesDrifted: 1, resourceCount: 2, checksFailed: 0 };
    const ctx = { organization: "o", runUrl: "u" };
    const [create] = driftActions([h], [], ctx);
    expect(create).toMatchObject({ kind: "create", title: "Drift in workspace a" });
    expect(driftActions([h], [{ number: 1, title: "Drift in workspace a", body: (create as { body: string }).body }], ctx)).toEqual([]);
  });
});
