import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * The `/super-terraform` Slack slash command. A developer without write access to the
 * repository types
 *
 *   /super-terraform join github=<user> email=<email> name="<full name>" [slack=<member id>]
 *
 * and the handler asks GitHub for a `repository_dispatch` (event type "onboarding"), which the
 * onboarding workflow turns into a pull request adding them to config/developers.ts.
 *
 * Only node built-ins: the same file runs in the local server, in tests and in Lambda.
 */

/** Requests older (or newer) than this are replays or forgeries: Slack's own recommendation. */
export const MAX_AGE_SECONDS = 5 * 60;

export interface SlackCommandConfig {
  /** Slack app's signing secret. */
  readonly signingSecret: string;
  /** Token allowed to create repository dispatches (contents: write on the repository). */
  readonly githubToken: string;
  /** GitHub API base URL, e.g. https://api.github.com. */
  readonly githubApiUrl: string;
  /** owner/name of the platform repository. */
  readonly repository: string;
  /** Current time in seconds. @default - the system clock */
  readonly now?: () => number;
}

export interface CommandRequest {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body exactly as received: the signature covers these bytes. */
  readonly body: string;
}

export interface CommandResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Why a signature check failed, or "ok". */
export type SignatureCheck = "ok" | "missing" | "stale" | "mismatch";

/**
 * Slack's v0 signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing
 * secret. Compared in constant time; a timestamp more than five minutes away is refused even
 * with a valid signature, so a captured request cannot be replayed.
 */
export function checkSignature(secret: string, timestamp: string | undefined, body: string, signature: string | undefined, nowSeconds: number): SignatureCheck {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return "missing";
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_AGE_SECONDS) return "stale";
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? "ok" : "mismatch";
}

/** The signature Slack would send for a body at a timestamp. */
export function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** An onboarding request as the onboarding workflow receives it in `client_payload`. */
export interface JoinRequest {
  readonly github: string;
  readonly email: string;
  readonly name: string;
  readonly slack: string;
}

const GITHUB_USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const EMAIL = /^[^\s@"]+@[^\s@"]+\.[^\s@"]+$/;
const SLACK_USER_ID = /^[UW][A-Z0-9]{6,12}$/;

export const USAGE = 'Usage: /super-terraform join github=<username> email=<work email> name="<full name>" [slack=<member id>]';

/**
 * Parses the command text. `key=value` pairs; values with spaces in double quotes (Slack may
 * turn them into curly quotes, which are accepted too). Values are checked only enough to be
 * safe to pass on; the onboarding pull request runs the full validation.
 */
export function parseJoin(text: string, requester: string | undefined): JoinRequest | { readonly error: string } {
  const normalized = text.replace(/[\u201c\u201d]/g, '"').trim();
  const verb = normalized.split(/\s+/)[0];
  if (verb !== "join") return { error: `Unknown command "${verb ?? ""}". ${USAGE}` };
  const fields: Record<string, string> = {};
  const pair = /([a-z]+)=(?:"([^"]*)"|(\S+))/g;
  const remainder = normalized.slice(verb.length).replace(pair, (_, key: string, quoted: string | undefined, bare: string | undefined) => {
    fields[key] = quoted ?? bare ?? "";
    return "";
  });
  if (remainder.trim() !== "") return { error: `Could not read "${remainder.trim()}". ${USAGE}` };
  const unknown = Object.keys(fields).filter((k) => !["github", "email", "name", "slack"].includes(k));
  if (unknown.length > 0) return { error: `Unknown field ${unknown.join(", ")}. ${USAGE}` };
  const request = { github: fields.github ?? "", email: fields.email ?? "", name: (fields.name ?? "").trim(), slack: fields.slack ?? requester ?? "" };
  const problems = [
    !GITHUB_USERNAME.test(request.github) && "github= must be your GitHub username",
    !EMAIL.test(request.email) && "email= must be an email address",
    (request.name === "" || request.name.length > 100) && 'name= must be your full name in quotes, e.g. name="Alice Tanaka"',
    !SLACK_USER_ID.test(request.slack) && "slack= must be a Slack member ID such as U01ABCDEF",
  ].filter((p): p is string => typeof p === "string");
  return problems.length > 0 ? { error: `${problems.join("; ")}. ${USAGE}` } : request;
}

const reply = (status: number, text: string): CommandResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ response_type: "ephemeral", text }),
});

/** Handles one slash-command request: verify, parse, dispatch, answer Slack. */
export async function handleCommand(request: CommandRequest, config: SlackCommandConfig): Promise<CommandResponse> {
  const now = config.now ? config.now() : Math.floor(Date.now() / 1000);
  const check = checkSignature(config.signingSecret, request.headers["x-slack-request-timestamp"], request.body, request.headers["x-slack-signature"], now);
  if (check !== "ok") return { status: 401, headers: { "content-type": "text/plain" }, body: check === "stale" ? "stale request" : "invalid signature" };

  const form = new URLSearchParams(request.body);
  const parsed = parseJoin(form.get("text") ?? "", form.get("user_id") ?? undefined);
  if ("error" in parsed) return reply(200, parsed.error);

  const response = await fetch(`${config.githubApiUrl.replace(/\/+$/, "")}/repos/${config.repository}/dispatches`, {
    method: "POST",
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${config.githubToken}`,
      "content-type": "application/json",
      "user-agent": "super-terraform-slack-command",
      "x-github-api-version": "2022-11-28",
    },
    body: JSON.stringify({ event_type: "onboarding", client_payload: { ...parsed, requested_by: form.get("user_id") ?? "" } }),
  });
  if (!response.ok) return reply(200, `Could not request onboarding: GitHub answered ${response.status}. Please tell the platform team.`);
  return reply(200, `Thanks ${parsed.name}: a pull request adding you (${parsed.github}) will be opened; an approver merges it.`);
}
