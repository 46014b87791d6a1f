import type { Problem } from "./problems";
import type { Developer, Platform, Service } from "./schema";

/*
 * People as code: who gets which seat, membership and role, derived from the developer map
 * and the services' owner lists. Pure functions, shared by validation and the stacks, so the
 * rules that are checked are the rules that are synthesized.
 */

/** PagerDuty base roles of stakeholders, who cannot be on call or in an escalation rule. */
export const NOT_ON_CALL_ROLES: ReadonlySet<string> = new Set(["observer", "read_only_user", "read_only_limited_user"]);

/** Minutes before an escalation rule hands on to the next one, when the service does not say. */
export const DEFAULT_ESCALATION_DELAY_MINUTES = 30;

/** One escalation rule in developer keys. */
export interface EscalationRule {
  readonly targets: readonly string[];
  readonly delayMinutes: number;
}

type PagerdutyPerson = Pick<Developer, "pagerdutyRole">;

/** Whether a developer's PagerDuty role lets them be paged. */
export function canBeOnCall(developer: PagerdutyPerson | undefined): boolean {
  return developer !== undefined && !NOT_ON_CALL_ROLES.has(developer.pagerdutyRole);
}

/**
 * The service's escalation rules: as configured, or one rule with every owner who can be on
 * call (the stack assigns it round-robin, so a team shares the pager without a schedule).
 */
export function escalationRules(service: Pick<Service, "owners" | "pagerduty">, developers: Pick<ReadonlyMap<string, PagerdutyPerson | undefined>, "get">): EscalationRule[] {
  const configured = service.pagerduty?.escalation;
  if (configured && configured.length > 0) return configured.map((r) => ({ targets: [...r.targets], delayMinutes: r.delayMinutes }));
  return [{ targets: service.owners.filter((o) => canBeOnCall(developers.get(o))), delayMinutes: DEFAULT_ESCALATION_DELAY_MINUTES }];
}

/** Role in a service's PagerDuty team: stakeholders observe, everyone else responds. */
export function pagerdutyTeamRole(developer: PagerdutyPerson): "observer" | "responder" {
  return canBeOnCall(developer) ? "responder" : "observer";
}

/** GitHub organization role: admin only through the platform's explicit allow-list. */
export function githubOrganizationRole(platform: Pick<Platform, "github">, developerKey: string): "admin" | "member" {
  return platform.github.admins.includes(developerKey) ? "admin" : "member";
}

/** Role in a service's GitHub team: approvers maintain it (add reviewers, settings), others are members. */
export function githubServiceTeamRole(developer: Pick<Developer, "approver">): "maintainer" | "member" {
  return developer.approver ? "maintainer" : "member";
}

interface Files {
  readonly platform: string;
  readonly developers: string;
  readonly service: (key: string) => string;
}

/**
 * Cross-entry rules of the people domain that `validate.ts` does not already check:
 * the platform team has members and they exist, someone can approve developer changes, and
 * every active service can page someone.
 */
export function checkPeople(
  platform: Platform,
  developers: ReadonlyMap<string, Partial<Developer>>,
  services: ReadonlyArray<readonly [string, Partial<Service>]>,
  files: Files,
  problems: Problem[],
): void {
  platform.github.platformTeamMembers.forEach((key, i) => {
    if (!developers.has(key)) {
      problems.push({ file: files.platform, entry: "", field: `github.platformTeamMembers.${i}`, value: key, message: "is not a developer", fix: "use a key of config/developers.ts; when offboarding a platform team member, remove them here too" });
    }
  });

  if (platform.github.platformTeamMembers.length === 0) {
    problems.push({ file: files.platform, entry: "", field: "github.platformTeamMembers", value: [], message: "lists nobody, so nobody could approve platform changes (CODEOWNERS gives the platform team everything else)", fix: "list at least one developer key; when offboarding the last member, name their successor in the same change" });
  }

  if (developers.size > 0 && ![...developers.values()].some((d) => d.approver === true)) {
    problems.push({ file: files.developers, entry: "", field: "approver", value: undefined, message: "no developer is an approver, so nobody can approve changes to the developer map", fix: "set approver: true on at least one developer" });
  }

  for (const [key, s] of services) {
    if (s.retired || !s.owners) continue;
    const file = files.service(key);
    const configured = s.pagerduty?.escalation;
    if (configured && configured.length > 0) {
      configured.forEach((rule, i) => rule.targets.forEach((t, j) => {
        const d = developers.get(t);
        if (d?.pagerdutyRole !== undefined && !canBeOnCall(d as PagerdutyPerson)) {
          problems.push({ file, entry: key, field: `pagerduty.escalation.${i}.targets.${j}`, value: t, message: `has the PagerDuty role "${d.pagerdutyRole}", which cannot be on call`, fix: "target a developer with an on-call role, or ask for another pagerdutyRole in config/developers.ts" });
        }
      }));
      continue;
    }
    const known = s.owners.filter((o) => developers.get(o)?.pagerdutyRole !== undefined);
    if (known.length > 0 && !known.some((o) => canBeOnCall(developers.get(o) as PagerdutyPerson))) {
      problems.push({ file, entry: key, field: "owners", value: s.owners, message: "has no owner who can be on call in PagerDuty", fix: "add an owner with an on-call pagerdutyRole, or set pagerduty.escalation to developers who can be paged" });
    }
  }
}
