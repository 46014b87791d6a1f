import { describe, expect, it } from "vitest";
import { teamAccessLevel, teamBoundary } from "../lib/plan/team-access";
import { vendingStackOf } from "../lib/plan/stack-plan";
import { exampleModel, exampleRaw, exampleStacks, onlyProblem, problemsOf } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const values = (block: Record<string, any> | undefined) => Object.values(block ?? {}) as any[];
const service = (key: string) => model.services.find((s) => s.key === key)!;
const primary = (key: string) => stacks[`service-${key}-${service(key).regions[0]}`];
const roleNamed = (stack: any, name: string) => values(stack.resource.aws_iam_role).find((r) => r.name === name);

describe("the team role's level", () => {
  it("is admin outside the prod segment, operator in it unless access.prod says admin", () => {
    expect(teamAccessLevel(service("recommendations"))).toBe("admin");
    expect(teamAccessLevel(service("payments"))).toBe("operator");
    expect(teamAccessLevel({ ...service("payments"), access: { prod: "admin" } })).toBe("admin");
  });

  it("attaches AdministratorAccess to an admin team and ReadOnlyAccess plus the operate policy to an operator, both under the boundary", () => {
    const attachments = (key: string) => values(primary(key).resource.aws_iam_role_policy_attachment).filter((a) => String(a.role).includes("team-role")).map((a) => a.policy_arn);
    expect(attachments("recommendations")).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    expect(attachments("payments")).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    expect(values(primary("payments").resource.aws_iam_role_policy).map((p) => p.name)).toContain("operate");
    for (const key of ["payments", "recommendations", "ledger"]) {
      expect(roleNamed(primary(key), `team-${key}`).permissions_boundary, key).toMatch(/^\$\{aws_iam_policy\.team-boundary.*\.arn\}$/);
    }
    // Workload roles exist for tenants with pods on EKS; recommendations runs on GKE only.
    for (const key of ["payments", "ledger"]) {
      expect(roleNamed(primary(key), `workload-${key}`).permissions_boundary, key).toMatch(/^\$\{aws_iam_policy\.team-boundary.*\.arn\}$/);
    }
  });
});

describe("the permissions boundary", () => {
  const doc = teamBoundary(model.platform, "111111111111");
  const statement = (sid: string) => doc.Statement.find((s) => s.Sid === sid)!;

  it("lets a bounded principal create or re-bound roles only under itself, and never remove or edit it", () => {
    expect(statement("DenyRolesWithoutThisBoundary")).toMatchObject({ Effect: "Deny", Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"], Condition: { StringNotEquals: { "iam:PermissionsBoundary": "arn:aws:iam::111111111111:policy/team-boundary" } } });
    expect(statement("DenyRemovingBoundaries").Action).toContain("iam:DeleteRolePermissionsBoundary");
    expect(statement("DenyEditingThisBoundary").Resource).toBe("arn:aws:iam::111111111111:policy/team-boundary");
  });

  it("protects the platform's roles by name, and keeps to the platform's regions", () => {
    expect(statement("DenyPlatformRoles").Resource).toEqual(expect.arrayContaining(["arn:aws:iam::111111111111:role/tfc-*", "arn:aws:iam::111111111111:role/team-*", "arn:aws:iam::111111111111:role/infra-*", "arn:aws:iam::111111111111:role/ci-*"]));
    expect(statement("DenyRegionsOutsideTheAllowList").Condition).toEqual({ StringNotEquals: { "aws:RequestedRegion": model.platform.regions } });
  });

  it("fits IAM's 6,144-character limit for managed policies", () => {
    expect(JSON.stringify(doc).length).toBeLessThan(6144);
  });

  it("is created once per service account, in the primary region, and kept when the service retires", () => {
    for (const s of model.services) {
      for (const r of s.regions) {
        const policies = values(stacks[`service-${s.key}-${r}`].resource.aws_iam_policy).filter((p) => p.name === "team-boundary");
        expect(policies.length, `${s.key} ${r}`).toBe(r === s.regions[0] ? 1 : 0);
      }
    }
  });
});

describe("the team-owned workspace", () => {
  it("gets plan and apply roles in the service account, each trusting only its workspace's phase in the teams project", () => {
    const stack = primary("recommendations");
    for (const phase of ["plan", "apply"] as const) {
      const role = roleNamed(stack, `infra-${phase}-recommendations`);
      expect(role.permissions_boundary).toMatch(/team-boundary/);
      const trust = JSON.parse(role.assume_role_policy);
      expect(trust.Statement[0].Condition.StringEquals["app.terraform.io:sub"]).toBe(`organization:example:project:super-terraform-teams:workspace:recommendations-infrastructure:run_phase:${phase}`);
    }
    expect(roleNamed(primary("ledger"), "infra-plan-ledger")).toBeUndefined();
  });

  it("is VCS-driven from the team's directory, in the teams project, with the owners as its team", () => {
    const shard = stacks[vendingStackOf(model.platform, "recommendations")];
    const ws = values(shard.resource.tfe_workspace).find((w) => w.name === "recommendations-infrastructure");
    expect(ws).toMatchObject({ working_directory: "infra", trigger_prefixes: ["infra"], vcs_repo: { identifier: "example/recommendations", oauth_token_id: expect.stringMatching(/data\.tfe_oauth_client\.vcs\.oauth_token_id/) } });
    expect(ws.project_id).toMatch(/data\.tfe_project\.teams-project\.id/);
    expect(values(shard.data.tfe_project).map((p) => p.name)).toContain("super-terraform-teams");
    expect(values(shard.resource.tfe_team).map((t) => t.name)).toEqual(["recommendations-owners"]);
    expect(values(shard.data.tfe_organization_membership).map((m) => m.email).sort()).toEqual(["dave@example.com", "erin@example.com"]);
    expect(values(shard.resource.tfe_team_access)).toEqual([expect.objectContaining({ access: "write" })]);
    const vars = Object.fromEntries(values(shard.resource.tfe_variable).filter((v) => String(v.workspace_id).includes("team-workspace-recommendations")).map((v) => [v.key, v.value]));
    expect(vars.TFC_AWS_PLAN_ROLE_ARN).toMatch(/:role\/infra-plan-recommendations$/);
    expect(vars.TFC_AWS_APPLY_ROLE_ARN).toMatch(/:role\/infra-apply-recommendations$/);
  });

  it("leaves the platform's workspaces for the account as they were (CLI-driven, in the platform project, tfc-* roles)", () => {
    const shard = stacks[vendingStackOf(model.platform, "recommendations")];
    const platformWs = values(shard.resource.tfe_workspace).find((w) => w.name === "service-recommendations-ap-northeast-1");
    expect(platformWs.vcs_repo).toBeUndefined();
    expect(platformWs.project_id).toMatch(/data\.tfe_project\.project\.id/);
  });

  it("lives in a project the SaaS token variable sets do not reach", () => {
    const ws = stacks.workspaces;
    expect(values(ws.resource.tfe_project).map((p) => p.name).sort()).toEqual(["super-terraform", "super-terraform-teams"]);
    const teamsProject = Object.entries(ws.resource.tfe_project).find(([, p]: [string, any]) => p.name === "super-terraform-teams")![0];
    expect(values(ws.resource.tfe_project_variable_set).some((v) => String(v.project_id).includes(teamsProject))).toBe(false);
    // Seats only for the owners of services with their own Terraform, whom the shards look up.
    const seated = new Set(model.services.filter((s) => s.infrastructure !== undefined).flatMap((s) => s.owners));
    expect(seated.size).toBeGreaterThan(0);
    expect(seated.size).toBeLessThan(model.developers.length);
    expect(values(ws.resource.tfe_organization_membership).map((m) => m.email).sort()).toEqual(model.developers.filter((d) => seated.has(d.key)).map((d) => d.email).sort());
  });
});

describe("GitHub access of a service's owners", () => {
  it("is admin on the service's own repositories and write on this one", () => {
    const repos = values(primary("payments").resource.github_team_repository).map((r) => [r.repository, r.permission]);
    expect(repos).toEqual(expect.arrayContaining([["payments", "admin"], [model.platform.github.repository, "push"]]));
  });
});

describe("bad input in access and infrastructure", () => {
  it("names an unknown prod access level with the levels to use", () => {
    const raw = exampleRaw();
    raw.index.payments.access = { prod: "root" };
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/payments.ts", entry: "payments", field: "access.prod", value: "root", fix: expect.stringContaining("\"operator\"") });
  });

  it("refuses a directory outside the repository and a repository written with its organization, all at once", () => {
    const raw = exampleRaw();
    raw.index.payments.infrastructure = { repository: "example/payments", directory: "../platform" };
    const problems = problemsOf(raw);
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ entry: "payments", field: "infrastructure.repository", value: "example/payments", fix: expect.stringContaining("github.com/<organization>/<name>") }),
      expect.objectContaining({ entry: "payments", field: "infrastructure.directory", value: "../platform", fix: expect.stringContaining("relative path") }),
    ]));
  });

  it("refuses two services applying the same directory, naming the other file", () => {
    const raw = exampleRaw();
    raw.index.recommendations.infrastructure = { repository: "payments", directory: "terraform" };
    expect(onlyProblem(raw)).toMatchObject({ entry: "recommendations", field: "infrastructure", value: "payments/terraform", message: expect.stringContaining("config/services/payments.ts infrastructure") });
  });
});
