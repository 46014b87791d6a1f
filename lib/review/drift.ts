/*
 * Drift from HCP Terraform's health assessments, not from plans of our own: the explorer API
 * returns every workspace of the project with its latest assessment (`drifted`,
 * `resources-drifted`, `checks-failed`) in a few pages, so the daily report costs the same at
 * 500 workspaces as at 5. Each drifted workspace gets one open issue, updated when what the
 * assessment found changes, and closed when an assessment finds it clean again.
 */

/** One row of the explorer's `workspaces` view (the fields this report reads). */
export interface WorkspaceHealth {
  readonly workspace: string;
  readonly drifted: boolean;
  readonly resourcesDrifted: number;
  readonly resourceCount: number;
  readonly checksFailed: number;
}

/** An open issue of the drift label. */
export interface DriftIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
}

/** What to do in the repository. */
export type DriftAction =
  | { readonly kind: "create"; readonly workspace: string; readonly title: string; readonly body: string }
  | { readonly kind: "update"; readonly workspace: string; readonly number: number; readonly body: string; readonly comment: string }
  | { readonly kind: "close"; readonly workspace: string; readonly number: number; readonly comment: string };

/** Label of the drift issues. */
export const DRIFT_LABEL = "drift";

/** The issue title of a workspace: also how an open issue is found again. */
export const driftTitle = (workspace: string) => `Drift in workspace ${workspace}`;

/** Reads one explorer page's rows (JSON:API, attributes in kebab case). */
export function readExplorerPage(page: unknown): { rows: WorkspaceHealth[]; nextPage: number | null } {
  const doc = page as { data?: Array<{ attributes?: Record<string, unknown> }>; meta?: { pagination?: { "next-page"?: number | null } } };
  if (!Array.isArray(doc?.data)) throw new Error("the explorer answered without a data array");
  const rows = doc.data.map((d) => {
    const a = d.attributes ?? {};
    return {
      workspace: String(a["workspace-name"]),
      drifted: a["drifted"] === true,
      resourcesDrifted: Number(a["resources-drifted"] ?? 0),
      resourceCount: Number(a["resource-count"] ?? 0),
      checksFailed: Number(a["checks-failed"] ?? 0),
    };
  });
  return { rows, nextPage: doc.meta?.pagination?.["next-page"] ?? null };
}

const needsIssue = (h: WorkspaceHealth) => h.drifted || h.checksFailed > 0;
const STATE = /<!-- drift-state: (.*?) -->/;
const stateOf = (h: WorkspaceHealth) => `resources=${h.resourcesDrifted} checks=${h.checksFailed}`;

function finding(h: WorkspaceHealth): string {
  const parts = [
    ...(h.drifted ? [`**${h.resourcesDrifted} of ${h.resourceCount} resource(s) drifted**`] : []),
    ...(h.checksFailed > 0 ? [`**${h.checksFailed} check(s) failed**`] : []),
  ];
  return parts.join(" and ");
}

/** The issue body for a workspace's latest assessment. */
export function driftBody(h: WorkspaceHealth, context: { readonly organization: string; readonly runUrl: string }): string {
  return [
    `HCP Terraform's latest health assessment of workspace \`${h.workspace}\` finds ${finding(h)}.`,
    "",
    `- Assessment: https://app.terraform.io/app/${context.organization}/workspaces/${h.workspace}/health`,
    `- Reported by: ${context.runUrl}`,
    "",
    "Undo a change made outside Terraform by applying the workspace again, or keep it by changing the config in a pull request. This issue follows the assessments and is closed when one finds no drift.",
    "",
    `<!-- drift-state: ${stateOf(h)} -->`,
    "",
  ].join("\n");
}

/**
 * The actions that bring the drift issues in line with the assessments: create an issue for a
 * newly drifted workspace, update one whose findings changed (a comment says what changed; an
 * unchanged finding adds nothing), close one whose workspace is clean again. A workspace the
 * explorer does not return any more keeps its issue: a person decides.
 */
export function driftActions(health: readonly WorkspaceHealth[], issues: readonly DriftIssue[], context: { readonly organization: string; readonly runUrl: string }): DriftAction[] {
  const byTitle = new Map(issues.map((i) => [i.title, i]));
  const actions: DriftAction[] = [];
  for (const h of [...health].sort((a, b) => a.workspace.localeCompare(b.workspace))) {
    const title = driftTitle(h.workspace);
    const issue = byTitle.get(title);
    if (needsIssue(h)) {
      if (issue === undefined) actions.push({ kind: "create", workspace: h.workspace, title, body: driftBody(h, context) });
      else if (STATE.exec(issue.body)?.[1] !== stateOf(h)) {
        actions.push({ kind: "update", workspace: h.workspace, number: issue.number, body: driftBody(h, context), comment: `The latest assessment finds ${finding(h)} (${context.runUrl}).` });
      }
    } else if (issue !== undefined) {
      actions.push({ kind: "close", workspace: h.workspace, number: issue.number, comment: `The latest health assessment finds no drift in \`${h.workspace}\` (${context.runUrl}); closing.` });
    }
  }
  return actions;
}
