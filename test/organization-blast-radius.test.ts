import { describe, expect, it } from "vitest";
import { planStacks, vendingStackOf } from "../lib/plan/stack-plan";
import { validate } from "../lib/config/validate";
import { exampleModel, exampleStacks, exampleRaw, resources, synthStacks, withService } from "./helpers.js";

const model = exampleModel();
const before = exampleStacks();
/** Stacks that must never change for a service: the organization, log archive, security and bastion accounts'. */
const PLATFORM_STACKS = planStacks(model).filter((s) => ["organization", "log-archive", "security", "bastion"].includes(s.kind)).map((s) => s.name);
const changed = (a: Record<string, any>, b: Record<string, any>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n])).sort();

describe("services and the organization's platform stacks", () => {
  it("adding a service leaves the organization, log archive, security and bastion stacks byte-identical", () => {
    const raw = withService(exampleRaw(), "billing", {
      ...structuredClone(exampleRaw().index.ledger),
      account: { email: "aws+billing@example.com", ou: "workloads-prod" },
      network: { cidrs: { "ap-northeast-1": "10.16.32.0/20" } },
      slack: { handle: "billing-team" },
    });
    const after = synthStacks(validate(raw));
    expect(PLATFORM_STACKS.length).toBe(6);
    for (const name of PLATFORM_STACKS) expect(JSON.stringify(after[name]), name).toBe(JSON.stringify(before[name]));
    expect(changed(before, after)).toEqual([vendingStackOf(model.platform, "billing"), "service-billing-ap-northeast-1"].sort());
  });

  it("removing a service leaves the log archive (and every other platform stack) byte-identical, so no log data is touched", () => {
    const raw = exampleRaw();
    delete raw.index.ledger;
    delete raw.serviceFiles.ledger;
    const after = synthStacks(validate(raw));
    for (const name of PLATFORM_STACKS) expect(JSON.stringify(after[name]), name).toBe(JSON.stringify(before[name]));
    expect(changed(before, after)).toEqual([vendingStackOf(model.platform, "ledger"), "service-ledger-ap-northeast-1"].sort());
  });

  it("protects every service account from destroy and from being closed", () => {
    // Service accounts are vended by the accounts-<n> shards; the organization stack adopts the platform accounts.
    const accounts = Object.entries(before).filter(([name]) => name.startsWith("accounts-")).flatMap(([, s]) => Object.values(resources(s, "aws_organizations_account"))) as any[];
    expect(accounts).toHaveLength(model.services.length);
    for (const a of accounts) expect(a).toMatchObject({ close_on_deletion: false, lifecycle: { prevent_destroy: true, ignore_changes: ["role_name"] } });
  });

  it("retiring a service keeps its account exactly as it was", () => {
    const raw = exampleRaw();
    raw.index.ledger.retired = true;
    const after = synthStacks(validate(raw));
    const shard = vendingStackOf(model.platform, "ledger");
    const account = (stacks: any) => Object.entries(resources(stacks[shard], "aws_organizations_account")).find(([, a]: [string, any]) => a.name === "ledger");
    expect(account(after)).toEqual(account(before));
  });

  it("puts no per-service resource in the organization, log archive, security or bastion stacks", () => {
    for (const name of PLATFORM_STACKS) {
      const text = JSON.stringify(before[name].resource ?? {});
      for (const s of model.services) expect(text, `${name} mentions ${s.key}`).not.toMatch(new RegExp(`\\b${s.key}\\b`));
    }
  });
});
