import { describe, expect, it } from "vitest";
import { bastionRoleArn } from "../lib/plan/access";
import type { OrganizationModel } from "../lib/config/model";
import { validate } from "../lib/config/validate";
import { exampleModel, exampleStacks, exampleRaw, synthStacks } from "./helpers.js";

/*
 * Offboarding: deleting a developer's entry (and their name from owner lists and escalation
 * rules, which validation insists on) must remove every user, membership and seat they had,
 * in every stack, and change nothing else. The diff is taken on synthesized JSON by Terraform
 * address; a changed resource is allowed only if it is the old one with the developer dropped
 * from a member list.
 */

const REMOVED = Symbol("removed");
type Scrubbed = unknown | typeof REMOVED;

/** How a developer appears in synthesized JSON. */
interface Identity {
  readonly key: string;
  /** Values that name them outright: email, GitHub username, Slack ID, bastion role ARN. */
  readonly literals: ReadonlySet<string>;
  /** Addresses ("type.name" / "data.type.name") of their removed resources and lookups. */
  readonly addresses: ReadonlySet<string>;
}

function namesDeveloper(s: string, who: Identity): boolean {
  if (who.literals.has(s)) return true;
  for (const a of who.addresses) if (s.includes(`\${${a}.`) || s.includes(`\${${a}}`)) return true;
  return false;
}

/**
 * The value with the developer dropped: list items that name them go, objects that name them
 * (a member block, an escalation target) go, containers left empty by that go; a
 * space-separated list (the owners tag) loses their key; JSON documents (trust policies) are
 * scrubbed inside. Anything else is kept as it is.
 */
function scrub(value: unknown, who: Identity): Scrubbed {
  if (typeof value === "string") {
    if (namesDeveloper(value, who)) return REMOVED;
    if (value.startsWith("{")) {
      try {
        const inner = scrub(JSON.parse(value), who);
        return inner === REMOVED ? REMOVED : JSON.stringify(inner);
      } catch {
        return value;
      }
    }
    const words = value.split(" ");
    if (words.length > 1 && words.includes(who.key) && words.every((w) => /^[a-z0-9-]+$/.test(w))) return words.filter((w) => w !== who.key).join(" ");
    return value;
  }
  if (Array.isArray(value)) {
    const kept = value.map((v) => scrub(v, who)).filter((v) => v !== REMOVED);
    return value.length > 0 && kept.length === 0 ? REMOVED : kept;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = scrub(v, who);
      if (s === REMOVED) return REMOVED;
      out[k] = s;
    }
    return out;
  }
  return value;
}

/** Every resource and data source of a stack by address, and the rest of the stack. */
function split(stack: any): { blocks: Map<string, unknown>; rest: Record<string, unknown> } {
  const blocks = new Map<string, unknown>();
  for (const [type, byName] of Object.entries<Record<string, unknown>>(stack.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) blocks.set(`${type}.${name}`, body);
  }
  for (const [type, byName] of Object.entries<Record<string, unknown>>(stack.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) blocks.set(`data.${type}.${name}`, body);
  }
  const rest: Record<string, unknown> = { ...stack };
  delete rest.resource;
  delete rest.data;
  return { blocks, rest };
}

interface Diff {
  readonly removed: string[];
  readonly changed: string[];
  /** Anything that is not a removal or a member-list change for the developer. */
  readonly violations: string[];
}

/** Compares two synthesized organizations for the offboarding of one developer. */
function offboardingDiff(before: Record<string, any>, after: Record<string, any>, model: OrganizationModel, key: string): Diff {
  const d = model.developers.find((x) => x.key === key)!;
  const removed: string[] = [];
  const changed: string[] = [];
  const violations: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!before[name] || !after[name]) {
      violations.push(`stack ${name} ${before[name] ? "disappeared" : "appeared"}`);
      continue;
    }
    const b = split(before[name]);
    const a = split(after[name]);
    const gone = [...b.blocks.keys()].filter((addr) => !a.blocks.has(addr));
    // The Google identity too: the GKE project role (`user:<google>`) and the RBAC subjects name it.
    const google = d.google === undefined ? [] : [d.google, `user:${d.google}`];
    const who: Identity = { key, literals: new Set([d.email, d.github, d.slack, bastionRoleArn(model.platform, key), ...google]), addresses: new Set(gone) };
    for (const addr of a.blocks.keys()) if (!b.blocks.has(addr)) violations.push(`${name}: ${addr} was added`);
    for (const addr of gone) {
      removed.push(`${name}: ${addr}`);
      if (scrub(b.blocks.get(addr), who) !== REMOVED) violations.push(`${name}: ${addr} was removed but is not ${key}'s`);
    }
    for (const [addr, body] of b.blocks) {
      if (!a.blocks.has(addr) || JSON.stringify(body) === JSON.stringify(a.blocks.get(addr))) continue;
      changed.push(`${name}: ${addr}`);
      if (!isEqual(scrub(body, who), a.blocks.get(addr))) violations.push(`${name}: ${addr} changed beyond dropping ${key}`);
    }
    if (!isEqual(scrub(b.rest, who), a.rest)) violations.push(`${name}: providers/backend changed beyond dropping ${key}`);
  }
  return { removed: removed.sort(), changed: changed.sort(), violations };
}

function isEqual(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

/** The config change an offboarding makes: the entry, and the developer's name wherever it is listed. */
function offboard(key: string): ReturnType<typeof exampleRaw> {
  const raw = exampleRaw();
  delete raw.developers[key];
  raw.platform.github.admins = raw.platform.github.admins.filter((k: string) => k !== key);
  raw.platform.github.platformTeamMembers = raw.platform.github.platformTeamMembers.filter((k: string) => k !== key);
  for (const s of Object.values<any>(raw.index)) {
    s.owners = s.owners.filter((k: string) => k !== key);
    if (s.pagerduty?.escalation) {
      s.pagerduty.escalation = s.pagerduty.escalation
        .map((r: any) => ({ ...r, targets: r.targets.filter((k: string) => k !== key) }))
        .filter((r: any) => r.targets.length > 0);
    }
  }
  return raw;
}

const model = exampleModel();
const before = exampleStacks();

/**
 * The organization synthesized without one developer, once per developer in this file (the
 * checks of the diff checker below reuse carol's), as a fresh copy a test may change.
 */
const synthesizedWithout = new Map<string, string>();
function offboarded(key: string): Record<string, any> {
  if (!synthesizedWithout.has(key)) synthesizedWithout.set(key, JSON.stringify(synthStacks(validate(offboard(key)))));
  return JSON.parse(synthesizedWithout.get(key)!);
}

describe("offboarding a developer", () => {
  for (const d of model.developers) {
    it(`removes ${d.key}'s users, memberships and seats in every stack, and changes nothing else`, () => {
      const after = offboarded(d.key);
      const diff = offboardingDiff(before, after, model, d.key);
      expect(diff.violations).toEqual([]);

      // The seats the people stacks gave them are gone.
      expect(diff.removed).toEqual(expect.arrayContaining([
        `github: github_membership.member-${d.key}`, `datadog: datadog_user.user-${d.key}`, `pagerduty: pagerduty_user.user-${d.key}`,
      ]));
      // Every service they owned lost their memberships, and its member lists dropped them.
      for (const s of model.services.filter((x) => x.owners.includes(d.key))) {
        const stack = `service-${s.key}-${s.regions[0]}`;
        const removedHere = diff.removed.filter((r) => r.startsWith(`${stack}: `));
        expect(removedHere.some((r) => r.includes("datadog_team_membership."))).toBe(true);
        expect(removedHere.some((r) => r.includes("pagerduty_team_membership."))).toBe(true);
        const changedHere = diff.changed.filter((c) => c.startsWith(`${stack}: `)).map((c) => c.split(": ")[1]!.split(".")[0]);
        expect(changedHere).toEqual(expect.arrayContaining(["github_team_members", "slack_usergroup", "aws_iam_role", "pagerduty_escalation_policy"]));
      }
    });
  }

  it("flags a diff that also removes someone else's seat", () => {
    const after = offboarded("carol");
    delete after.pagerduty.resource.pagerduty_user["user-erin"];
    expect(offboardingDiff(before, after, model, "carol").violations).toEqual(["pagerduty: pagerduty_user.user-erin was removed but is not carol's"]);
  });

  it("flags a diff that changes a member list beyond dropping the developer", () => {
    const after = offboarded("carol");
    const group: any = Object.values(after["service-ledger-ap-northeast-1"].resource.slack_usergroup)[0];
    group.users = [];
    expect(offboardingDiff(before, after, model, "carol").violations).toEqual([expect.stringContaining("slack_usergroup")]);
  });
});
