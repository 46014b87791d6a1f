import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { manifestsTree } from "../charts/manifests-tree.js";
import { formatProblems, formatProblemsForGithub } from "../lib/config/problems";
import { MANIFESTS_DIR } from "../lib/plan/argocd";
import { fitComment } from "../lib/review/comment-limit";
import { loadModelOrExit } from "./load-model.js";

/*
 * `npm run manifests` renders every service's typed manifests (manifests/<service>/manifests.ts)
 * to plain YAML under manifests/<service>/base/ and overlays/<cluster>/, removing YAML no source
 * produces any more.
 *   --check            writes nothing; fails on a problem in a source (quota, removed API
 *                      versions, shape) or when the committed YAML is not what the sources render
 *   --format github    problems also as annotations on their file and line (CI)
 *   --diff <ref>       prints the rendered YAML's diff against <ref> as Markdown (the pull request's)
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  config: string;
  check?: boolean;
  format: string;
  diff?: string;
}

const o = new Command("manifests")
  .description("Render the services' Kubernetes manifests to plain YAML")
  .option("--config <dir>", "config directory (the manifests/ folder is beside it)", path.join(ROOT, "config"))
  .option("--check", "write nothing; fail on problems or stale YAML")
  .option("--format <format>", "text, or github for annotations", "text")
  .option("--diff <ref>", "print the rendered YAML's diff against a git ref as Markdown")
  .parse()
  .opts<Options>();

const configDir = path.resolve(o.config);
const root = path.dirname(configDir);

if (o.diff !== undefined) {
  const result = spawnSync("git", ["diff", "--no-color", "--stat=200", o.diff, "--", `:(glob)${MANIFESTS_DIR}/*/base/**`, `:(glob)${MANIFESTS_DIR}/*/overlays/**`], { cwd: root, encoding: "utf8" });
  const full = spawnSync("git", ["diff", "--no-color", o.diff, "--", `:(glob)${MANIFESTS_DIR}/*/base/**`, `:(glob)${MANIFESTS_DIR}/*/overlays/**`], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 || full.status !== 0) {
    process.stderr.write(`git diff against ${o.diff} failed: ${(result.stderr || full.stderr).trim()}\nFix: fetch the base ref first (git fetch origin <branch>).\n`);
    process.exit(2);
  }
  const lines = ["<!-- super-terraform-manifests -->", "### Rendered Kubernetes manifests", ""];
  if (full.stdout.trim() === "") lines.push("No rendered manifest changed.");
  else lines.push("What Argo CD will sync, as plain YAML:", "", "```", result.stdout.trimEnd(), "```", "", "<details><summary>Diff</summary>", "", "```diff", full.stdout.trimEnd(), "```", "", "</details>");
  process.stdout.write(`${fitComment(`${lines.join("\n")}\n`, { artifact: "manifests-diff" })}`);
  process.exit(0);
}

const model = await loadModelOrExit(configDir);
const label = path.relative(process.cwd(), configDir) || ".";
const tree = await manifestsTree(root, model, label);
const github = o.format === "github";
for (const key of tree.missing) {
  const text = `Service ${key} has no ${MANIFESTS_DIR}/${key}/manifests.ts, so Argo CD has nothing to sync for it. Fix: write one (npm run new-service scaffolds it for new services; copy another service's as a start).`;
  process.stderr.write(github ? `::warning file=${label}/services/${key}.ts::${text}\n` : `warning: ${text}\n`);
}
if (tree.problems.length > 0) {
  if (github) process.stdout.write(formatProblemsForGithub(tree.problems));
  process.stderr.write(formatProblems(tree.problems, o.check ? "the manifests were not checked for drift" : "no manifest was written"));
  process.exit(1);
}
const stale = tree.onDisk.filter((f) => !tree.files.has(f));
const changed = [...tree.files].filter(([f, text]) => {
  try {
    return readFileSync(path.join(root, f), "utf8") !== text;
  } catch {
    return true;
  }
}).map(([f]) => f);

if (o.check) {
  if (stale.length + changed.length === 0) {
    process.stdout.write(`The rendered manifests are up to date (${tree.files.size} files).\n`);
  } else {
    const list = [...changed.map((f) => `  ${f} (${tree.onDisk.includes(f) ? "differs" : "missing"})`), ...stale.map((f) => `  ${f} (no source renders it)`)];
    const text = `The rendered manifests differ from what their sources render (they are generated; do not edit the YAML by hand). Fix: run \`npm run manifests\` and commit the result.\n${list.join("\n")}\n`;
    if (github) process.stdout.write(`::error title=Rendered manifests are stale::${text.split("\n")[0]}\n`);
    process.stderr.write(text);
    process.exitCode = 1;
  }
} else {
  for (const f of stale) rmSync(path.join(root, f));
  for (const f of changed) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), tree.files.get(f)!);
  }
  process.stdout.write(`Rendered ${tree.files.size} manifest files (${changed.length} written, ${stale.length} removed).\n`);
}
