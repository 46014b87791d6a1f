import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * The `/super-terraform` Slack slash command: the way in for developers without write access
 * to the repository (a workflow_dispatch needs write access). A developer types
 *
 *   /super-terraform join github=<user> email=<email> name="<full name>" [slack=<member id>]
 *   /super-terraform new-service name=<service> owner=<key> [owner=<key>]... [tenancy=shared|dedicated] [region=<r>]... [ou=<ou>] [email=<e>]
 *
 * and the handler asks GitHub for a `repository_dispatch` (event type "onboarding" or
 * "new-service"), which the onboarding or new-service workflow turns into a pull request.
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

export const JOIN_USAGE = 'Usage: /super-terraform join github=<username> email=<work email> name="<full name>" [slack=<member id>]';
export const NEW_SERVICE_USAGE = "Usage: /super-terraform new-service name=<service> owner=<developer key> [owner=<key>]... [tenancy=shared|dedicated] [region=<region>]... [ou=<ou>] [email=<account root email>]";
export const USAGE = `${JOIN_USAGE}\n${NEW_SERVICE_USAGE}`;

/**
 * Splits `verb key=value ...` into the verb and its pairs, in order (a key may repeat). Values
 * with spaces go in double quotes; Slack may turn them into curly quotes, accepted too.
 */
function readPairs(text: string): { verb: string; pairs: Array<[string, string]>; rest: string } {
  const normalized = text.replace(/[\u201c\u201d]/g, '"').trim();
  const verb = normalized.split(/\s+/)[0] ?? "";
  const pairs: Array<[string, string]> = [];
  const rest = normalized.slice(verb.length).replace(/([a-z]+)=(?:"([^"]*)"|(\S+))/g, (_, key: string, quoted: string | undefined, bare: string | undefined) => {
    pairs.push([key, quoted ?? bare ?? ""]);
    return "";
  });
  return { verb, pairs, rest: rest.trim() };
}

/**
 * Parses the join command. Values are checked only enough to be safe to pass on; the
 * onboarding pull request runs the full validation.
 */
export function parseJoin(text: string, requester: string | undefined): JoinRequest | { readonly error: string } {
  const { verb, pairs, rest } = readPairs(text);
  if (verb !== "join") return { error: `Unknown command "${verb}". ${USAGE}` };
  if (rest !== "") return { error: `Could not read "${rest}". ${JOIN_USAGE}` };
  const fields: Record<string, string> = Object.fromEntries(pairs);
  const unknown = Object.keys(fields).filter((k) => !["github", "email", "name", "slack"].includes(k));
  if (unknown.length > 0) return { error: `Unknown field ${unknown.join(", ")}. ${JOIN_USAGE}` };
  const request = { github: fields.github ?? "", email: fields.email ?? "", name: (fields.name ?? "").trim(), slack: fields.slack ?? requester ?? "" };
  const problems = [
    !GITHUB_USERNAME.test(request.github) && "github= must be your GitHub username",
    !EMAIL.test(request.email) && "email= must be an email address",
    (request.name === "" || request.name.length > 100) && 'name= must be your full name in quotes, e.g. name="Alice Tanaka"',
    !SLACK_USER_ID.test(request.slack) && "slack= must be a Slack member ID such as U01ABCDEF",
  ].filter((p): p is string => typeof p === "string");
  return problems.length > 0 ? { error: `${problems.join("; ")}. ${JOIN_USAGE}` } : request;
}

/**
 * A new-service request as the new-service workflow receives it in `client_payload`: the same
 * values as its workflow_dispatch inputs, lists separated by spaces, empty when not given.
 */
export interface NewServiceRequest {
  readonly name: string;
  readonly owners: string;
  readonly tenancy: "shared" | "dedicated";
  readonly regions: string;
  readonly ou: string;
  readonly email: string;
}

const KEY = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/**
 * Parses the new-service command. As with join, values are checked only enough to be safe to
 * pass on (plain keys, regions, an email); `npm run new-service` in the workflow runs the full
 * validation and refuses bad input without opening a pull request.
 */
export function parseNewService(text: string): NewServiceRequest | { readonly error: string } {
  const { verb, pairs, rest } = readPairs(text);
  if (verb !== "new-service") return { error: `Unknown command "${verb}". ${USAGE}` };
  if (rest !== "") return { error: `Could not read "${rest}". ${NEW_SERVICE_USAGE}` };
  const all = (key: string) => pairs.filter(([k]) => k === key).map(([, v]) => v);
  const one = (key: string) => all(key).at(-1) ?? "";
  const unknown = [...new Set(pairs.map(([k]) => k).filter((k) => !["name", "owner", "tenancy", "region", "ou", "email"].includes(k)))];
  if (unknown.length > 0) return { error: `Unknown field ${unknown.join(", ")}. ${NEW_SERVICE_USAGE}` };
  const owners = all("owner");
  const regions = all("region");
  const tenancy = one("tenancy") || "shared";
  const problems = [
    !KEY.test(one("name")) && "name= must be the service's name: lower-case letters, digits and hyphens",
    owners.length === 0 && "owner= must name at least one owner (a key of config/developers.ts)",
    owners.some((o) => !KEY.test(o)) && "owner= must be developer keys from config/developers.ts",
    tenancy !== "shared" && tenancy !== "dedicated" && "tenancy= must be shared or dedicated",
    regions.some((r) => !REGION.test(r)) && "region= must be a region such as ap-northeast-1",
    one("ou") !== "" && !KEY.test(one("ou")) && "ou= must be an organizational unit key of config/platform.ts",
    one("email") !== "" && !EMAIL.test(one("email")) && "email= must be an email address",
  ].filter((p): p is string => typeof p === "string");
  if (problems.length > 0) return { error: `${problems.join("; ")}. ${NEW_SERVICE_USAGE}` };
  return { name: one("name"), owners: owners.join(" "), tenancy: tenancy as "shared" | "dedicated", regions: regions.join(" "), ou: one("ou"), email: one("email") };
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
  const text = form.get("text") ?? "";
  const requester = form.get("user_id") ?? "";
  const verb = text.trim().split(/\s+/)[0];
  const parsed = verb === "new-service" ? parseNewService(text) : parseJoin(text, requester || undefined);
  if ("error" in parsed) return reply(200, parsed.error);
  const isJoin = verb !== "new-service";

  const response = await fetch(`${config.githubApiUrl.replace(/\/+$/, "")}/repos/${config.repository}/dispatches`, {
    method: "POST",
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${config.githubToken}`,
      "content-type": "application/json",
      "user-agent": "super-terraform-slack-command",
      "x-github-api-version": "2022-11-28",
    },
    body: JSON.stringify({ event_type: isJoin ? "onboarding" : "new-service", client_payload: { ...parsed, requested_by: requester } }),
  });
  if (!response.ok) return reply(200, `Could not request ${isJoin ? "onboarding" : "the new service"}: GitHub answered ${response.status}. Please tell the platform team.`);
  if ("github" in parsed) return reply(200, `Thanks ${parsed.name}: a pull request adding you (${parsed.github}) will be opened; an approver merges it.`);
  return reply(200, `A pull request adding the service ${parsed.name} (owners: ${parsed.owners}) will be opened; its owners and the platform team review it.`);
}
