/*
 * The checks a pull request must pass before it merges into main: the job ids of the
 * pull-request workflows (.github/workflows/ci.yml and plan.yml), which GitHub reports as
 * check names. The ruleset of the github stack requires them; a test holds this list and the
 * workflow files together, so renaming a job cannot silently drop a required check.
 */

/** GitHub Actions' app id: a required check counts only when GitHub Actions reported it. */
export const GITHUB_ACTIONS_APP_ID = 15368;

/** Required checks, by job id, with the workflow file that runs each. */
export const REQUIRED_CHECKS: ReadonlyArray<{ readonly job: string; readonly workflow: string }> = [
  { job: "test", workflow: "ci.yml" },
  { job: "catalog-page", workflow: "ci.yml" },
  { job: "actionlint", workflow: "ci.yml" },
  // The organization still synthesizes the same under cdktn (README "Moving to cdktn").
  { job: "cdktn", workflow: "ci.yml" },
  { job: "plan", workflow: "plan.yml" },
];
