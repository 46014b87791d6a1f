import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { bytes, millicores } from "../lib/manifests/quantity";
import { run as synthCommand } from "../main.js";
import { run as addDeveloper } from "../scripts/add-developer.js";
import { run as newService } from "../scripts/new-service.js";
import { runCommand, type CommandResult } from "./command.js";
import { renderCodeowners } from "../lib/review/codeowners";
import { validate } from "../lib/config/validate";
import { exampleRaw } from "./helpers.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "scaffold-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A repository-like temp dir: the fixture organization as config/ (library imports made absolute) and its CODEOWNERS. */
function copyRepo(name: string): string {
  const dir = path.join(work, name);
  cpSync(path.join(ROOT, "test/fixtures/org"), path.join(dir, "config"), { recursive: true });
  writeFileSync(path.join(dir, "CODEOWNERS"), renderCodeowners(validate(exampleRaw())));
  for (const rel of readdirSync(path.join(dir, "config"), { recursive: true }).map(String).filter((f) => f.endsWith(".ts"))) {
    const file = path.join(dir, "config", rel);
    writeFileSync(file, readFileSync(file, "utf8").replace(/from "(\.\.\/)+lib\//g, `from "${ROOT}/lib/`));
  }
  return dir;
}

/**
 * A scaffolding command's `run` in this process. Their processes, as `npm run <command>` starts
 * them, are tested in `npm run test:long` (test/long/onboarding.test.ts). A config file once
 * imported stays in this process's module cache, so what reads a directory after a command
 * edited it reads a copy of it.
 */
function runHere(command: (args: readonly string[]) => Promise<number>, dir: string, args: string[]): Promise<CommandResult> {
  return runCommand(() => command(["--config", path.join(dir, "config"), ...args]));
}

/** Every file of a directory with its content, to prove a refused command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir, { recursive: true }).map(String).sort()
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
}

describe("npm run new-service", () => {
  const repo = copyRepo("new-service");
  let result: CommandResult;
  beforeAll(async () => {
    result = await runHere(newService, repo, ["--name", "billing-api", "--owner", "alice", "--owner", "carol"]);
  });

  it("writes the service file, leaving its VPC CIDR to the pool's hash allocation", () => {
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const text = readFileSync(path.join(repo, "config/services/billing-api.ts"), "utf8");
    expect(text).toContain(`owners: ["alice", "carol"],`);
    expect(text).toContain(`account: { email: "aws+billing-api@example.com", ou: "workloads-prod" },`);
    expect(text).not.toContain("network:");
    expect(result.stdout).toMatch(/ap-northeast-1 10\.\d+\.\d+\.\d+\/20/);
  });

  it("lists it in the index in order, leaving the other lines as they were", () => {
    const before = readFileSync(path.join(ROOT, "test/fixtures/org/services.ts"), "utf8");
    const after = readFileSync(path.join(repo, "config/services.ts"), "utf8");
    expect(after).toBe(before
      .replace(`import ledger from`, `import billingApi from "./services/billing-api.js";\nimport ledger from`)
      .replace(`  ledger,\n`, `  "billing-api": billingApi,\n  ledger,\n`));
  });

  // One synthesis of the scaffolded repository (the synth command's run(), in this process)
  // serves the checks below.
  const out = path.join(work, "new-service-out");
  let synth: CommandResult;
  beforeAll(async () => {
    const copy = path.join(work, "new-service-copy");
    cpSync(repo, copy, { recursive: true });
    synth = await runCommand(() => synthCommand(["--config", path.join(copy, "config"), "--out", out]));
  });

  it("gives the new file and its manifests to the service's team in CODEOWNERS, and the result synthesizes", () => {
    const codeowners = readFileSync(path.join(repo, "CODEOWNERS"), "utf8");
    expect(codeowners).toContain("/config/services/billing-api.ts @example/billing-api-owners\n");
    expect(codeowners).toContain("/manifests/billing-api/ @example/billing-api-owners\n");
    expect(synth.status, synth.stderr).toBe(0);
    expect(existsSync(path.join(out, "stacks/service-billing-api-ap-northeast-1/cdk.tf.json"))).toBe(true);
  });

  it("scaffolds the typed manifests and renders them: the service's namespace and labels, requests within its quota, and the Argo CD application syncs that folder", () => {
    const overlay = "manifests/billing-api/overlays/eks-ap-northeast-1";
    expect(readFileSync(path.join(repo, "manifests/billing-api/manifests.ts"), "utf8")).toContain(`"eks-ap-northeast-1": {},`);
    const objects = readdirSync(path.join(repo, overlay)).sort().map((f) => parseYaml(readFileSync(path.join(repo, overlay, f), "utf8")));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["Deployment/api", "ServiceAccount/workload"]);
    for (const o of objects) {
      expect(o.metadata.namespace).toBe("billing-api");
      expect(o.metadata.labels).toMatchObject({ service: "billing-api", team: "billing-api-owners", overlay: "eks-ap-northeast-1" });
    }
    expect(existsSync(path.join(repo, "manifests/billing-api/base/deployment-api.yaml"))).toBe(true);

    // The namespace's quota (from the namespace shard) holds what the Deployment requests.
    const stacks = readdirSync(path.join(out, "stacks")).map((name) => JSON.parse(readFileSync(path.join(out, "stacks", name, "cdk.tf.json"), "utf8")));
    const quota = stacks.flatMap((j) => Object.values<any>(j.resource?.kubernetes_resource_quota_v1 ?? {})).find((q) => q.metadata.labels.service === "billing-api");
    const deployment = objects.find((o) => o.kind === "Deployment");
    const requests = deployment.spec.template.spec.containers[0].resources.requests;
    expect(deployment.spec.template.spec.serviceAccountName).toBe("workload");
    expect(millicores(requests.cpu) * deployment.spec.replicas).toBeLessThanOrEqual(millicores(quota.spec.hard["requests.cpu"]));
    expect(bytes(requests.memory) * deployment.spec.replicas).toBeLessThanOrEqual(bytes(quota.spec.hard["requests.memory"]));

    const manifests = stacks.flatMap((j) => Object.values<any>(j.resource?.kubernetes_manifest ?? {})).map((r) => r.manifest);
    const application = manifests.find((m) => m.kind === "Application" && m.metadata.name === "billing-api-eks-ap-northeast-1");
    expect(application.spec).toMatchObject({
      project: "billing-api",
      source: { repoURL: "https://github.com/example/super-terraform.git", targetRevision: "main", path: overlay },
      destination: { name: "shared-ap-northeast-1", namespace: "billing-api" },
    });
    const project = manifests.find((m) => m.kind === "AppProject" && m.metadata.name === "billing-api");
    expect(project.spec.destinations).toEqual([{ name: "shared-ap-northeast-1", namespace: "billing-api" }]);
    expect(project.spec.roles).toEqual([expect.objectContaining({ groups: ["example:billing-api-owners"], policies: ["p, proj:billing-api:owners, applications, sync, billing-api/*, allow"] })]);
  });

  it("refuses a taken name and an unknown owner in validation's format, changing no file", async () => {
    const repo2 = copyRepo("refused");
    const before = snapshot(repo2);
    const r = await runHere(newService, repo2, ["--name", "ledger", "--owner", "zoe"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Config has 2 problems; no file was changed\./);
    expect(r.stderr).toMatch(/services\/ledger\.ts > ledger\n\s+value:\s+"ledger"\n\s+problem: is already a service\n\s+fix: /);
    expect(r.stderr).toMatch(/services\/ledger\.ts > ledger > owners\.0\n\s+value:\s+"zoe"\n\s+problem: is not a developer/);
    const bad = await runHere(newService, repo2, ["--name", "Bad_Name", "--owner", "alice"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Bad_Name\.ts > Bad_Name\n\s+value:\s+"Bad_Name"\n\s+problem: is not a valid service name/);
    expect(snapshot(repo2)).toEqual(before);
  });
});

describe("npm run add-developer", () => {
  it("adds the entry in key order with the file's formatting, and refuses a duplicate GitHub user unchanged", async () => {
    const repo = copyRepo("add-developer");
    const ok = await runHere(addDeveloper, repo, ["--github", "Frank-O", "--name", "Frank Ono", "--email", "frank@example.com", "--slack", "U01FRANK00"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`Added developer "frank-o" (Frank-O) to ${path.relative(process.cwd(), path.join(repo, "config"))}/developers.ts.\n`);
    const text = readFileSync(path.join(repo, "config/developers.ts"), "utf8");
    expect(text).toContain(`  erin: {\n    name: "Erin Kato",`);
    expect(text).toMatch(/    pagerdutyRole: "user",\n  },\n  "frank-o": \{\n    name: "Frank Ono",\n    email: "frank@example.com",\n    github: "Frank-O",\n    slack: "U01FRANK00",\n    datadogRole: "Datadog Standard Role",\n    pagerdutyRole: "user",\n  },\n\}\);\n$/);

    const edited = path.join(work, "add-developer-edited");
    cpSync(repo, edited, { recursive: true });
    const before = snapshot(edited);
    const dup = await runHere(addDeveloper, edited, ["--key", "gina", "--github", "frank-o", "--name", "Gina", "--email", "gina@example.com", "--slack", "U01GINA000"]);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/developers\.ts > gina > github\n\s+value:\s+"frank-o"\n\s+problem: is already used by developer "frank-o"/);
    expect(snapshot(edited)).toEqual(before);
  });
});
