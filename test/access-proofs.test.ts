import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { accessCases, PRINCIPAL_KINDS } from "../lib/access/cases";
import { securityTable, tableOrganization, withSecurityTable } from "../lib/access/security-table";
import { projectRoot } from "../lib/project-root.js";
import { organizationPolicyLimits } from "../lib/access/limits";
import { formatProofs, proofsHold, runProofs } from "../lib/access/proofs";
import { renderWorld, serviceAccountId } from "../lib/access/render";
import { developerGrants, grantChanges, renderGrantChanges, reportWho } from "../lib/access/report";
import { evaluateCases, oidcKeyStandIn } from "../lib/access/simulate";
import { validate } from "../lib/config/validate";
import { originalKey } from "../lib/plan/stack-plan";
import platform from "./fixtures/org/platform.js";
import { exampleModel, exampleStacks, synthStacks } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const run = await runProofs(model, stacks);

/** The synthesized stacks with one stack's JSON changed, as a weaker platform would emit it. */
function weakened(change: (copy: Record<string, any>) => void): Record<string, any> {
  const copy = structuredClone(stacks);
  change(copy);
  return copy;
}

/** Ids of the cases that fail on a weakened output. */
async function failingOn(copy: Record<string, any>, prefix: string): Promise<string[]> {
  const world = renderWorld(model, copy);
  const cases = accessCases(model, world).filter((c) => c.id.startsWith(prefix));
  expect(cases.length, `cases starting with ${prefix}`).toBeGreaterThan(0);
  return (await evaluateCases(world, cases)).filter((r) => !r.passed).map((r) => r.case.id);
}

describe("access proofs on the example organization", () => {
  it("render every expression of the synthesized stacks", () => {
    expect(run.world.unresolved).toEqual([]);
  });

  it("pass every case, within AWS's organization policy limits", () => {
    expect(formatProofs(run)).toMatch(/ 0 failed /);
    expect(run.results.filter((r) => !r.passed).map((r) => `${r.case.id}: ${r.detail}`)).toEqual([]);
    expect(run.limits).toEqual([]);
    expect(proofsHold(run)).toBe(true);
  });

  it("generate rows for every active service and every platform account, each answered both ways", () => {
    for (const s of model.services.filter((x) => !x.retired)) {
      expect(run.cases.filter((c) => c.id.includes(`/${s.key}/`)).length, s.key).toBeGreaterThan(20);
    }
    for (const account of ["logArchive", "security", "network", "cluster", "bastion"]) {
      expect(run.cases.some((c) => c.id.startsWith(`platform/${account}/`)), account).toBe(true);
    }
    expect(run.results.some((r) => r.decision === "allow")).toBe(true);
    expect(run.results.some((r) => r.decision === "deny")).toBe(true);
  });

  it("evaluate service accounts under their OU's SCPs and platform accounts under the platform OU's", () => {
    for (const s of model.services) expect(run.world.accounts.get(serviceAccountId(originalKey(s)))?.ou).toBe(s.account.ou);
    expect(run.world.accounts.get(model.platform.accounts.logArchive.id)?.ou).toBe("platform");
    expect(run.world.accounts.get(model.platform.accounts.management.id)?.ou).toBeUndefined();
  });
});

describe("each weakness of issue 16 has cases that fail when it comes back", () => {
  it("platform accounts back at the root (no platform OU guardrails)", async () => {
    const copy = weakened((s) => { delete s.organization.resource.aws_organizations_account; });
    expect(await failingOn(copy, "platform/logArchive/")).toEqual(expect.arrayContaining(["platform/logArchive/leave-organization", "platform/logArchive/delete-guardduty", "platform/logArchive/rewrite-tfc-trust"]));
  });

  it("the log key granting kms:* to the account root again", async () => {
    const region = model.platform.regions[0]!;
    const copy = weakened((s) => {
      const key = s[`log-archive-${region}`].resource.aws_kms_key["log-key"];
      const doc = JSON.parse(key.policy);
      doc.Statement = [{ Sid: "AccountAdministersTheKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${model.platform.accounts.logArchive.id}:root` }, Action: "kms:*", Resource: "*" }];
      key.policy = JSON.stringify(doc);
      delete s.organization.resource.aws_organizations_account;
    });
    expect(await failingOn(copy, `logs/${region}/`)).toEqual(expect.arrayContaining([`logs/${region}/admin-schedule-key-deletion`, `logs/${region}/admin-put-key-policy`]));
  });

  it("the namespace provisioner creating roles without the boundary", async () => {
    const region = model.platform.regions[0]!;
    const copy = weakened((s) => {
      const policies = s[`cluster-${region}`].resource.aws_iam_role_policy;
      for (const p of Object.values(policies) as any[]) {
        if (p.name === "tenants") p.policy = p.policy.replace(/,"Condition":\{"StringEquals":\{"iam:PermissionsBoundary":"[^"]+"\}\}/, "");
      }
    });
    expect(await failingOn(copy, `provisioner/${region}/`)).toEqual([`provisioner/${region}/create-unbounded-role`]);
  });

  it("a CI trust without the release workflow pin", async () => {
    const s0 = model.services.find((s) => s.registry?.kind === "ecr")!;
    const copy = weakened((s) => {
      for (const r of Object.values(s[`service-${s0.key}-${s0.regions[0]}`].resource.aws_iam_role) as any[]) {
        r.assume_role_policy = r.assume_role_policy.replace(/,"token\.actions\.githubusercontent\.com:job_workflow_ref":\[[^\]]*\]/, "");
      }
    });
    expect(await failingOn(copy, `ci/${s0.key}/`)).toEqual([`ci/${s0.key}/other-workflow`]);
  });
});

describe("the service team's fence: cases fail when it is weakened", () => {
  // recommendations: nonprod, so its team role is an administrator under the boundary.
  const admin = model.services.find((s) => s.key === "recommendations")!;
  const primary = `service-${admin.key}-${admin.regions[0]}`;

  it("gives an admin team the build cases and an operator team none, with every fence case passing", () => {
    const ids = (prefix: string) => run.results.filter((r) => r.case.id.startsWith(prefix));
    expect(ids(`team/${admin.key}/create-rds`).map((r) => r.decision)).toEqual(["allow"]);
    expect(ids("team/payments/create-rds")).toEqual([]);
    expect(ids("team/payments/operator-create-rds").map((r) => r.decision)).toEqual(["deny"]);
    expect(ids(`team/${admin.key}/created/`).length).toBeGreaterThan(10);
    expect(ids(`team/${admin.key}/created/`).every((r) => r.passed && r.decision === "deny")).toBe(true);
  });

  it("the team role without its permissions boundary", async () => {
    const copy = weakened((s) => {
      for (const r of Object.values(s[primary].resource.aws_iam_role) as any[]) if (r.name === `team-${admin.key}`) delete r.permissions_boundary;
    });
    expect(await failingOn(copy, `team/${admin.key}/team/`)).toEqual(expect.arrayContaining([`team/${admin.key}/team/unbounded-role`, `team/${admin.key}/team/remove-boundary`, `team/${admin.key}/team/edit-boundary`]));
  });

  it("a boundary that lets roles be created without it", async () => {
    const copy = weakened((s) => {
      const policy = Object.values(s[primary].resource.aws_iam_policy as Record<string, any>).find((x) => x.name === "team-boundary");
      const doc = JSON.parse(policy.policy);
      doc.Statement = doc.Statement.filter((st: { Sid: string }) => st.Sid !== "DenyRolesWithoutThisBoundary");
      policy.policy = JSON.stringify(doc);
    });
    const failing = await failingOn(copy, `team/${admin.key}/`);
    expect(failing).toEqual(expect.arrayContaining([`team/${admin.key}/team/unbounded-role`, `team/${admin.key}/created/unbounded-role`, `team/${admin.key}/created/other-boundary`]));
  });

  it("a team workspace role trusting the platform's project instead of its own", async () => {
    const copy = weakened((s) => {
      for (const r of Object.values(s[primary].resource.aws_iam_role) as any[]) {
        if (String(r.name).startsWith("infra-")) r.assume_role_policy = r.assume_role_policy.replaceAll(`project:${model.platform.terraformCloud.project}-teams:`, `project:${model.platform.terraformCloud.project}:`);
      }
    });
    expect(await failingOn(copy, `team-ws/${admin.key}/`)).toEqual(expect.arrayContaining([`team-ws/${admin.key}/plan/own-token`, `team-ws/${admin.key}/apply/own-token`]));
  });
});

describe("the simulator's blind spots are bridged, not ignored", () => {
  it("renames provider-specific OIDC claims to session-tag keys the simulator evaluates", () => {
    expect(oidcKeyStandIn("app.terraform.io:sub")).toBe("aws:RequestTag/oidc/app.terraform.io/sub");
    expect(oidcKeyStandIn("token.actions.githubusercontent.com:job_workflow_ref")).toBe("aws:RequestTag/oidc/token.actions.githubusercontent.com/job_workflow_ref");
    expect(oidcKeyStandIn("aws:PrincipalArn")).toBe("aws:PrincipalArn");
  });

  it("flags an organization policy over 5,120 characters and a target with more than five SCPs", () => {
    const world = renderWorld(model, stacks);
    const big = { ...world.organizationPolicies[0]!, name: "too-big", size: 5121, targets: ["sandbox"] };
    const extra = (n: number) => ({ ...world.organizationPolicies[0]!, name: `extra-${n}`, size: 10, targets: ["sandbox"] });
    const problems = organizationPolicyLimits({ ...world, organizationPolicies: [...world.organizationPolicies, big, extra(1), extra(2)] });
    expect(problems.some((p) => p.startsWith("too-big is 5121 characters"))).toBe(true);
    expect(problems.some((p) => p.startsWith("sandbox has"))).toBe(true);
  });
});

describe("access proofs on a generated organization", () => {
  const generated = validate(tableOrganization(structuredClone(platform) as never));
  const proof = runProofs(generated, synthStacks(generated));

  it("pass every case for every service and developer it generates", async () => {
    const { results, world, cases } = await proof;
    expect(results.filter((r) => !r.passed).map((r) => r.case.id)).toEqual([]);
    expect(world.unresolved).toEqual([]);
    expect(cases.length).toBeGreaterThan(6 * 20);
  });

  it("are what the README's security table states (regenerate with npm run access-proofs -- --readme)", async () => {
    const readme = readFileSync(path.join(projectRoot(import.meta.url), "README.md"), "utf8");
    expect(withSecurityTable(readme, securityTable((await proof).cases))).toBe(readme);
  });

  it("cover every kind of principal in the table", async () => {
    const table = securityTable((await proof).cases);
    for (const kind of PRINCIPAL_KINDS) expect(table, kind).toContain(`| ${kind} |`);
  });
});

describe("the access report", () => {
  it("lists each owner's chain into the team role, proved by the simulator (prod: operator inside the boundary)", async () => {
    const grants = await developerGrants(model, run.world);
    const payments = model.services.find((s) => s.key === "payments")!;
    expect(grants.filter((g) => g.service === "payments").map((g) => g.developer).sort()).toEqual([...payments.owners].sort());
    expect(grants.find((g) => g.service === "payments")).toMatchObject({ chain: [`SAML ${model.platform.access.samlProvider}`, `developer-${[...payments.owners].sort()[0]}`, "team-payments"], permissions: "inline operate, read-only (ReadOnlyAccess) inside the permissions boundary team-boundary" });
    const stranger = model.developers.find((d) => !payments.owners.includes(d.key))!;
    expect(await reportWho(model, run.world, stranger.key)).not.toContain("team-payments");
  });

  it("shows a developer the team's level, what the simulator lets the role do, the team's workspace and write access here", async () => {
    const text = await reportWho(model, run.world, "dave");
    expect(text).toMatch(/team-recommendations -> admin \(AdministratorAccess\) inside the permissions boundary team-boundary \(admin level\)/);
    expect(text).toMatch(/can: .*create an RDS instance in its account \(admin level\)/);
    expect(text).toMatch(/cannot: .*create a role without the permissions boundary/);
    expect(text).toContain("Terraform: workspace recommendations-infrastructure in project super-terraform-teams (github.com/example/recommendations, directory infra)");
    expect(text).toContain("GitHub: write access to example/super-terraform through the developers team");
  });

  it("puts the grants a change adds and removes in the change summary's words", () => {
    const g = { developer: "bob", service: "payments", account: "1", chain: ["SAML idp", "developer-bob", "team-payments"], permissions: "read-only (ReadOnlyAccess)" };
    const h = { ...g, developer: "carol", chain: ["SAML idp", "developer-carol", "team-payments"] };
    expect(grantChanges([g], [h])).toEqual({
      added: ["carol gains read-only (ReadOnlyAccess) in payments' account through developer-carol -> team-payments"],
      removed: ["bob loses read-only (ReadOnlyAccess) in payments' account through developer-bob -> team-payments"],
    });
    expect(renderGrantChanges(grantChanges([g], [g]))).toBe("");
  });
});
