import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseJoin, parseNewService, sign } from "../slack-command/handler.js";
import { loadConfig } from "../slack-command/lambda.js";
import { createSlackCommandServer } from "../slack-command/server.js";

const SECRET = "test-signing-secret-not-real";
const TOKEN = "test-github-token-not-real";
const received: Array<{ url: string; auth: string | undefined; body: any }> = [];
let github: Server;
let slack: Server;
let slackUrl: string;

/** Listens on an ephemeral loopback port and returns the base URL. */
function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  // A stand-in for the GitHub API that records every dispatch it receives.
  github = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ url: `${req.method} ${req.url}`, auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  const githubUrl = await listen(github);
  slack = createSlackCommandServer({ signingSecret: SECRET, githubToken: TOKEN, githubApiUrl: githubUrl, repository: "example/super-terraform" });
  slackUrl = await listen(slack);
});
afterAll(() => {
  github.close();
  slack.close();
});
beforeEach(() => {
  received.length = 0;
});

const form = (text: string) => new URLSearchParams({ command: "/super-terraform", text, user_id: "U01FRANK00", team_id: "T0001" }).toString();
const JOIN = 'join github=frank-o email=frank@example.com name="Frank Ono"';

/** Sends a request the way Slack does: signed with `secret` at `timestamp`. */
function post(body: string, options: { secret?: string; timestamp?: number; signedBody?: string } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return fetch(slackUrl, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": sign(options.secret ?? SECRET, timestamp, options.signedBody ?? body),
    },
    body,
  });
}

describe("the Slack slash command", () => {
  it("turns a signed join request into one onboarding repository_dispatch", async () => {
    const res = await post(form(JOIN));
    expect(res.status).toBe(200);
    expect((await res.json()).text).toMatch(/pull request/);
    expect(received).toEqual([{
      url: "POST /repos/example/super-terraform/dispatches",
      auth: `Bearer ${TOKEN}`,
      body: { event_type: "onboarding", client_payload: { github: "frank-o", email: "frank@example.com", name: "Frank Ono", slack: "U01FRANK00", requested_by: "U01FRANK00" } },
    }]);
  });

  it("answers 401 to a request signed with another secret, and dispatches nothing", async () => {
    const res = await post(form(JOIN), { secret: "forged" });
    expect(res.status).toBe(401);
    expect(received).toEqual([]);
  });

  it("answers 401 to a correctly signed request older than five minutes (a replay), and dispatches nothing", async () => {
    const res = await post(form(JOIN), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe("stale request");
    expect(received).toEqual([]);
  });

  it("answers 401 when the body was changed after signing", async () => {
    const res = await post(form(JOIN.replace("frank-o", "mallory")), { signedBody: form(JOIN) });
    expect(res.status).toBe(401);
    expect(received).toEqual([]);
  });

  it("answers 401 to an unsigned request", async () => {
    const res = await fetch(slackUrl, { method: "POST", body: form(JOIN) });
    expect(res.status).toBe(401);
    expect(received).toEqual([]);
  });

  it("explains the usage for a malformed command without dispatching", async () => {
    const res = await post(form("join github=frank-o"));
    expect(res.status).toBe(200);
    expect((await res.json()).text).toMatch(/email= must be an email address.*Usage: \/super-terraform join/);
    expect(received).toEqual([]);
  });
});

describe("the new-service command (the path for developers without write access)", () => {
  it("turns a signed new-service request into one new-service repository_dispatch with the workflow's inputs", async () => {
    const res = await post(form("new-service name=billing owner=erin owner=carol region=ap-northeast-1 region=ap-northeast-3"));
    expect(res.status).toBe(200);
    expect((await res.json()).text).toMatch(/pull request adding the service billing/);
    expect(received).toEqual([{
      url: "POST /repos/example/super-terraform/dispatches",
      auth: `Bearer ${TOKEN}`,
      body: { event_type: "new-service", client_payload: { name: "billing", owners: "erin carol", tenancy: "shared", regions: "ap-northeast-1 ap-northeast-3", ou: "", email: "", requested_by: "U01FRANK00" } },
    }]);
  });

  it("refuses a name or owner that is not a plain key, and a request without owner, without dispatching", async () => {
    const res = await post(form('new-service name="billing; rm -rf /" owner=$(id)'));
    expect((await res.json()).text).toMatch(/name= must be.*owner= must be developer keys.*Usage: \/super-terraform new-service/);
    expect(parseNewService("new-service name=billing")).toMatchObject({ error: expect.stringMatching(/owner= must name at least one owner/) });
    expect(parseNewService("new-service name=billing owner=erin tenancy=private")).toMatchObject({ error: expect.stringMatching(/tenancy= must be shared or dedicated/) });
    expect(received).toEqual([]);
  });

  it("reads every optional field", () => {
    expect(parseNewService("new-service name=ml owner=erin tenancy=dedicated ou=workloads-prod email=aws+ml@example.com")).toEqual({ name: "ml", owners: "erin", tenancy: "dedicated", regions: "", ou: "workloads-prod", email: "aws+ml@example.com" });
  });

  it("names both commands in the usage of an unknown one", () => {
    expect(parseJoin("leave", "U01ABCDEF")).toMatchObject({ error: expect.stringMatching(/join github=.*\n.*new-service name=/s) });
  });
});

describe("parsing /super-terraform join", () => {
  it("reads quoted names, accepts Slack's curly quotes and an explicit slack= member ID", () => {
    expect(parseJoin("join github=a-b email=a@example.com slack=U01ABCDEF name=\u201cA B\u201d", "U0REQUEST1")).toEqual({ github: "a-b", email: "a@example.com", name: "A B", slack: "U01ABCDEF" });
  });

  it("rejects unknown verbs and fields", () => {
    expect(parseJoin("leave github=a", "U01ABCDEF")).toMatchObject({ error: expect.stringMatching(/Unknown command "leave"/) });
    expect(parseJoin('join github=a email=a@example.com name="A" admin=true', "U01ABCDEF")).toMatchObject({ error: expect.stringMatching(/Unknown field admin/) });
  });
});

describe("the Lambda entry point", () => {
  it("reads the signing secret and the GitHub token by reference at run time", async () => {
    const reads: string[] = [];
    const config = await loadConfig({ SIGNING_SECRET_ARN: "arn:signing", GITHUB_TOKEN_SECRET_ARN: "arn:token", GITHUB_REPOSITORY: "example/super-terraform" }, async (arn) => {
      reads.push(arn);
      return `value-of-${arn}`;
    });
    expect(reads).toEqual(["arn:signing", "arn:token"]);
    expect(config).toMatchObject({ signingSecret: "value-of-arn:signing", githubToken: "value-of-arn:token", githubApiUrl: "https://api.github.com" });
  });
});

describe("npm run slack-command", () => {
  it("refuses to start without its secrets in the environment, naming them", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../slack-command/server.ts")], { encoding: "utf8", env: { PATH: process.env.PATH }, cwd: path.resolve(import.meta.dirname, "..") });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Set SLACK_SIGNING_SECRET, GITHUB_TOKEN, GITHUB_REPOSITORY/);
  });
});
