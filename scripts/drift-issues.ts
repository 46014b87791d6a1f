import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadModelOrExit } from "./load-model";
import { DRIFT_LABEL, driftActions, readExplorerPage, type DriftIssue, type WorkspaceHealth } from "../lib/review/drift";

/**
 * `npm run -s drift-issues -- [--dry-run] [--tfe-api https://app.terraform.io] [--github-api https://api.github.com]`
 *
 * Reads the health assessments of every workspace of the project through HCP Terraform's
 * explorer API (token: TF_TOKEN_app_terraform_io, the drift team's token) and opens, updates
 * or closes one issue per drifted workspace in GITHUB_REPOSITORY (token: GH_TOKEN). RUN_URL
 * links the issues to the run. `--dry-run` prints the actions and changes nothing.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: {
  config: { type: "string" }, "dry-run": { type: "boolean", default: false },
  "tfe-api": { type: "string", default: "https://app.terraform.io" }, "github-api": { type: "string", default: "https://api.github.com" },
} });
const env = (key: string) => {
  const value = process.env[key];
  if (!value) {
    process.stderr.write(`${key} is not set. Fix: set it in the drift workflow step's env (README "Drift").\n`);
    process.exit(2);
  }
  return value;
};
const tfeToken = env("TF_TOKEN_app_terraform_io");
const repository = env("GITHUB_REPOSITORY");
const githubToken = values["dry-run"] ? process.env.GH_TOKEN ?? "" : env("GH_TOKEN");
const runUrl = process.env.RUN_URL ?? "(run URL not set)";

const model = await loadModelOrExit(path.resolve(values.config ?? path.join(root, "config")));
const { organization, project } = model.platform.terraformCloud;

async function call(url: string, token: string, init: { method?: string; body?: unknown; accept?: string } = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      accept: init.accept ?? "application/json",
      "content-type": "application/json",
      "user-agent": "super-terraform-drift",
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok && !(init.method === "POST" && url.endsWith("/labels") && response.status === 422)) {
    throw new Error(`${init.method ?? "GET"} ${url.replace(/\?.*/, "")} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  return response.status === 204 ? undefined : response.json();
}

/** Every workspace of the project with its latest assessment, page by page. */
async function health(): Promise<WorkspaceHealth[]> {
  const rows: WorkspaceHealth[] = [];
  for (let page: number | null = 1; page !== null;) {
    const query = new URLSearchParams({
      type: "workspaces",
      fields: "workspace_name,drifted,resources_drifted,resource_count,checks_failed",
      "filter[0][project_name][is][0]": project,
      "page[number]": String(page),
      "page[size]": "100",
    });
    const result = readExplorerPage(await call(`${values["tfe-api"].replace(/\/+$/, "")}/api/v2/organizations/${encodeURIComponent(organization)}/explorer?${query}`, tfeToken, { accept: "application/vnd.api+json" }));
    rows.push(...result.rows);
    page = result.nextPage;
  }
  return rows;
}

const github = values["github-api"].replace(/\/+$/, "");
/** Open issues of the drift label, every page. */
async function openIssues(): Promise<DriftIssue[]> {
  const issues: DriftIssue[] = [];
  for (let page = 1; ; page++) {
    const batch = (await call(`${github}/repos/${repository}/issues?state=open&labels=${DRIFT_LABEL}&per_page=100&page=${page}`, githubToken)) as Array<{ number: number; title: string; body: string | null; pull_request?: unknown }>;
    issues.push(...batch.filter((i) => i.pull_request === undefined).map((i) => ({ number: i.number, title: i.title, body: i.body ?? "" })));
    if (batch.length < 100) return issues;
  }
}

const actions = driftActions(await health(), values["dry-run"] && !githubToken ? [] : await openIssues(), { organization, runUrl });
for (const a of actions) process.stdout.write(`${a.kind} ${a.workspace}${a.kind === "create" ? "" : ` #${a.number}`}\n`);
if (actions.length === 0) process.stdout.write("no drift issue to open, update or close\n");
if (!values["dry-run"] && actions.some((a) => a.kind === "create")) {
  await call(`${github}/repos/${repository}/labels`, githubToken, { method: "POST", body: { name: DRIFT_LABEL, color: "D93F0B", description: "A workspace differs from its configuration" } });
}
if (!values["dry-run"]) {
  for (const a of actions) {
    if (a.kind === "create") await call(`${github}/repos/${repository}/issues`, githubToken, { method: "POST", body: { title: a.title, body: a.body, labels: [DRIFT_LABEL] } });
    if (a.kind === "update") {
      await call(`${github}/repos/${repository}/issues/${a.number}`, githubToken, { method: "PATCH", body: { body: a.body } });
      await call(`${github}/repos/${repository}/issues/${a.number}/comments`, githubToken, { method: "POST", body: { body: a.comment } });
    }
    if (a.kind === "close") {
      await call(`${github}/repos/${repository}/issues/${a.number}/comments`, githubToken, { method: "POST", body: { body: a.comment } });
      await call(`${github}/repos/${repository}/issues/${a.number}`, githubToken, { method: "PATCH", body: { state: "closed", state_reason: "completed" } });
    }
  }
}
