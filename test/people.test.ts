import { describe, expect, it } from "vitest";
import { bastionRoleArn, teamRoleName } from "../lib/plan/access";
import { renderCodeowners, serviceTeamSlug } from "../lib/review/codeowners";
import { REQUIRED_CHECKS } from "../lib/review/required-checks";
import { validate } from "../lib/config/validate";
import { exampleModel, exampleStacks, exampleRaw, resources, synthStacks, withService } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const primaryStack = (key: string) => stacks[`service-${key}-${model.services.find((s) => s.key === key)!.regions[0]}`];
const dev = (key: string) => model.developers.find((d) => d.key === key)!;
/** Resolves a "${data.<type>.<name>.id}" reference to the looked-up value's literal input. */
const lookup = (stack: any, ref: string, type: string, field: string) => {
  const m = /^\$\{data\.([^.]+)\.([^.]+)\.id\}$/.exec(ref);
  expect(m?.[1]).toBe(type);
  return stack.data[type][m![2]!][field];
};

describe("people stacks: every developer, with the role they asked for", () => {
  it("makes every developer a GitHub organization member, admin only through the platform allow-list", () => {
    const members = Object.values(resources(stacks.github, "github_membership"));
    expect(members.map((m: any) => [m.username, m.role]).sort()).toEqual([
      ["alice-tanaka", "admin"], ["bobsato", "member"], ["carol-s", "member"], ["daveito", "member"], ["erin-kato", "member"],
    ]);
  });

  it("gives every developer a Datadog user with the role looked up by its name", () => {
    const users = Object.values(resources(stacks.datadog, "datadog_user"));
    expect(users).toHaveLength(model.developers.length);
    for (const d of model.developers) {
      const u: any = users.find((x: any) => x.email === d.email);
      expect(u).toMatchObject({ name: d.name });
      expect(u.roles).toHaveLength(1);
      expect(lookup(stacks.datadog, u.roles[0], "datadog_role", "filter")).toBe(d.datadogRole);
    }
  });

  it("gives every developer a PagerDuty user with their base role", () => {
    const users = Object.values(resources(stacks.pagerduty, "pagerduty_user")).map((u: any) => [u.email, u.name, u.role]).sort();
    expect(users).toEqual(model.developers.map((d) => [d.email, d.name, d.pagerdutyRole]).sort());
  });

  it("puts exactly the approvers in the approvers team and the listed members in the platform team", () => {
    const teams = resources(stacks.github, "github_team");
    const membersOf = (slug: string) => {
      const [name] = Object.entries(teams).find(([, t]: [string, any]) => t.name === slug)!;
      const tm: any = Object.values(resources(stacks.github, "github_team_members")).find((m: any) => m.team_id === `\${github_team.${name}.id}`);
      return tm.members.map((m: any) => m.username).sort();
    };
    expect(membersOf("approvers")).toEqual(model.developers.filter((d) => d.approver).map((d) => d.github).sort());
    expect(membersOf("platform")).toEqual(["alice-tanaka", "bobsato"]);
  });

  it("protects main of this repository: code-owner review, no force push, no deletion", () => {
    const [ruleset] = Object.values(resources(stacks.github, "github_repository_ruleset")) as any[];
    expect(ruleset).toMatchObject({
      repository: "super-terraform", target: "branch", enforcement: "active",
      conditions: { ref_name: { include: ["refs/heads/main"] } },
      rules: { deletion: true, non_fast_forward: true, pull_request: { require_code_owner_review: true } },
    });
    expect(ruleset.bypass_actors).toBeUndefined();
  });

  it("requires the CI checks, reported by GitHub Actions, as well as code-owner review on main", () => {
    const [ruleset] = Object.values(resources(stacks.github, "github_repository_ruleset")) as any[];
    expect(ruleset.rules.required_status_checks.required_check.map((c: any) => [c.context, c.integration_id])).toEqual(REQUIRED_CHECKS.map((c) => [c.job, 15368]));
    expect(REQUIRED_CHECKS.map((c) => c.job)).toEqual(expect.arrayContaining(["test", "plan"]));
  });

  it("gives every team CODEOWNERS names write access to this repository (GitHub ignores code owners without it)", () => {
    const { organization, repository } = model.platform.github;
    const slugs = [...renderCodeowners(model).matchAll(new RegExp(`@${organization}/([\\w-]+)`, "g"))].map((m) => m[1]!);
    expect(slugs.length).toBeGreaterThan(2);
    for (const slug of new Set(slugs)) {
      const holders = Object.entries(stacks).filter(([, st]) => Object.entries(resources(st, "github_team")).some(([, t]: any) => t.name === slug));
      expect(holders, slug).toHaveLength(1);
      const [, st] = holders[0]!;
      const [id] = Object.entries(resources(st, "github_team")).find(([, t]: any) => t.name === slug)!;
      // A service's team also administers the service's own repositories; on this one it writes.
      const grants = Object.values(resources(st, "github_team_repository")).filter((g: any) => g.team_id === `\${github_team.${id}.id}` && g.repository === repository);
      expect(grants, slug).toEqual([expect.objectContaining({ repository, permission: "push" })]);
    }
  });

  it("gives every developer write access through the developers team, so a merged join pull request is enough", () => {
    const [id, team]: any = Object.entries(resources(stacks.github, "github_team")).find(([, t]: any) => t.name === model.platform.github.developersTeam)!;
    const tm: any = Object.values(resources(stacks.github, "github_team_members")).find((m: any) => m.team_id === `\${github_team.${id}.id}`);
    expect(team.privacy).toBe("closed");
    expect(tm.members.map((m: any) => m.username).sort()).toEqual(model.developers.map((d) => d.github).sort());
    expect(Object.values(resources(stacks.github, "github_team_repository"))).toContainEqual(expect.objectContaining({ team_id: `\${github_team.${id}.id}`, permission: "push" }));
  });

  it("keeps the apply token's environment to main only, with no admin bypass", () => {
    const [env]: any[] = Object.values(resources(stacks.github, "github_repository_environment"));
    expect(env).toMatchObject({ environment: "production", can_admins_bypass: false, deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } });
    expect(Object.values(resources(stacks.github, "github_repository_environment_deployment_policy"))).toEqual([expect.objectContaining({ branch_pattern: "main" })]);
  });

  it("keeps per-service objects out of the people stacks", () => {
    for (const name of ["github", "datadog", "pagerduty"]) {
      expect(JSON.stringify(stacks[name].resource)).not.toMatch(/payments|ledger|recommendations/);
    }
  });

  it("leaves the people stacks byte-identical when a service is added", () => {
    const raw = withService(exampleRaw(), "billing", {
      ...structuredClone(exampleRaw().index.recommendations),
      owners: ["erin", "carol"],
      account: { email: "aws+billing@example.com", ou: "workloads-nonprod" },
      network: { cidrs: { "ap-northeast-1": "10.32.16.0/20" } },
      kubernetes: { tenancy: "shared" },
      slack: { handle: "billing-team" },
      infrastructure: { repository: "billing", directory: "infra" },
    });
    const after = synthStacks(validate(raw));
    expect(after["service-billing-ap-northeast-1"]).toBeDefined();
    for (const name of ["github", "datadog", "pagerduty"]) expect(after[name]).toEqual(stacks[name]);
  });
});

describe("service teams: four team objects with exactly the owners, in the primary region stack", () => {
  for (const service of model.services) {
    const owners = [...service.owners].sort().map(dev);
    const slug = serviceTeamSlug(service.key);

    it(`${service.key}: GitHub team ${slug} with its owners, approvers as maintainers`, () => {
      const stack = primaryStack(service.key);
      expect(Object.values(resources(stack, "github_team"))).toEqual([expect.objectContaining({ name: slug, privacy: "closed" })]);
      const [members] = Object.values(resources(stack, "github_team_members")) as any[];
      expect(members.members.map((m: any) => [m.username, m.role]).sort()).toEqual(
        owners.map((d) => [d.github, d.approver ? "maintainer" : "member"]).sort());
    });

    it(`${service.key}: Datadog team with a membership per owner, users found by email`, () => {
      const stack = primaryStack(service.key);
      expect(Object.values(resources(stack, "datadog_team"))).toEqual([expect.objectContaining({ name: slug, handle: slug })]);
      const emails = Object.values(resources(stack, "datadog_team_membership")).map((m: any) => lookup(stack, m.user_id, "datadog_user", "filter"));
      expect(emails.sort()).toEqual(owners.map((d) => d.email).sort());
    });

    it(`${service.key}: PagerDuty team with a membership per owner`, () => {
      const stack = primaryStack(service.key);
      expect(Object.values(resources(stack, "pagerduty_team"))).toEqual([expect.objectContaining({ name: slug })]);
      const emails = Object.values(resources(stack, "pagerduty_team_membership")).map((m: any) => lookup(stack, m.user_id, "pagerduty_user", "email"));
      expect(emails.sort()).toEqual(owners.map((d) => d.email).sort());
    });

    it(`${service.key}: Slack user group @${service.slack.handle} with the owners' member IDs`, () => {
      const groups = Object.values(resources(primaryStack(service.key), "slack_usergroup"));
      expect(groups).toEqual([expect.objectContaining({ handle: service.slack.handle, users: owners.map((d) => d.slack).sort() })]);
    });

    it(`${service.key}: team role trusted by exactly the owners' bastion roles`, () => {
      const roles = Object.values(resources(primaryStack(service.key), "aws_iam_role")).filter((r: any) => r.name === teamRoleName(service.key)) as any[];
      expect(roles).toHaveLength(1);
      const policy = JSON.parse(roles[0].assume_role_policy);
      expect(policy.Statement).toEqual([expect.objectContaining({
        Effect: "Allow", Action: "sts:AssumeRole",
        Principal: { AWS: owners.map((d) => bastionRoleArn(model.platform, d.key)).sort() },
      })]);
    });
  }

  it("creates the team objects once, in the primary region only", () => {
    const secondary = stacks["service-payments-ap-northeast-3"];
    for (const type of ["github_team", "datadog_team", "pagerduty_team", "slack_usergroup", "aws_iam_role"]) {
      expect(Object.keys(resources(secondary, type))).toEqual([]);
    }
    expect(secondary.provider.slack).toBeUndefined();
  });

  it("escalates payments as configured: alice and bob round-robin after 15 minutes, then carol", () => {
    const stack = primaryStack("payments");
    const [policy] = Object.values(resources(stack, "pagerduty_escalation_policy")) as any[];
    const emailsOf = (rule: any) => rule.target.map((t: any) => lookup(stack, t.id, "pagerduty_user", "email"));
    expect(policy.rule.map((r: any) => [r.escalation_delay_in_minutes, emailsOf(r)])).toEqual([
      [15, ["alice@example.com", "bob@example.com"]], [30, ["carol@example.com"]],
    ]);
    expect(policy.rule.every((r: any) => r.escalation_rule_assignment_strategy.type === "round_robin")).toBe(true);
  });

  it("escalates a service without rules to all its owners in one round-robin rule", () => {
    const stack = primaryStack("recommendations");
    const [policy] = Object.values(resources(stack, "pagerduty_escalation_policy")) as any[];
    expect(policy.rule).toHaveLength(1);
    expect(policy.rule[0].escalation_rule_assignment_strategy).toEqual({ type: "round_robin" });
    expect(policy.rule[0].target.map((t: any) => lookup(stack, t.id, "pagerduty_user", "email"))).toEqual(["dave@example.com", "erin@example.com"]);
  });

  it("configures the SaaS providers of a service stack without credentials", () => {
    const stack = primaryStack("ledger");
    expect(stack.provider.github).toEqual([{ owner: "example" }]);
    expect(stack.provider.pagerduty).toEqual([{}]);
    expect(stack.provider.slack).toEqual([{}]);
    expect(stack.provider.datadog).toEqual([{ api_url: "https://api.datadoghq.com/" }]);
  });

  it("gives a retired service no teams, memberships or team role", () => {
    const raw = exampleRaw();
    raw.index.ledger.retired = true;
    const stack = synthStacks(validate(raw), new Set(["service-ledger-ap-northeast-1"]))["service-ledger-ap-northeast-1"];
    for (const type of ["github_team", "github_team_members", "datadog_team", "datadog_team_membership", "pagerduty_team", "pagerduty_team_membership", "pagerduty_escalation_policy", "slack_usergroup"]) {
      expect(Object.keys(resources(stack, type))).toEqual([]);
    }
    // Its dedicated cluster keeps its own roles; the people's team role is gone.
    expect(Object.values(resources(stack, "aws_iam_role")).map((r: any) => r.name)).not.toContain("team-ledger");
  });
});

describe("PagerDuty team roles", () => {
  it("makes owners who cannot be on call observers of the team and keeps them out of escalation", () => {
    const raw = exampleRaw();
    raw.developers.dave.pagerdutyRole = "observer";
    const stack = synthStacks(validate(raw), new Set(["service-recommendations-ap-northeast-1"]))["service-recommendations-ap-northeast-1"];
    const roles = Object.values(resources(stack, "pagerduty_team_membership")).map((m: any) => [lookup(stack, m.user_id, "pagerduty_user", "email"), m.role]).sort();
    expect(roles).toEqual([["dave@example.com", "observer"], ["erin@example.com", "responder"]]);
    const [policy] = Object.values(resources(stack, "pagerduty_escalation_policy")) as any[];
    expect(policy.rule[0].target.map((t: any) => lookup(stack, t.id, "pagerduty_user", "email"))).toEqual(["erin@example.com"]);
  });
});
