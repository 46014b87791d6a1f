import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { STATEFUL_TYPES } from "../guardrails/rules/stateful-protected.js";
import { compareSynths, renderSummary } from "../lib/review/change-summary";
import { loadConfig } from "../lib/config/load";
import { vendingStackOf } from "../lib/plan/stack-plan";
import { validate } from "../lib/config/validate";
import { exampleModel, exampleStacks, exampleRaw, resources, synthStacks, withService } from "./helpers.js";
import { addresses, at, rename, typeOf } from "./state-helpers.js";
import { scratchDir } from "./scratch.js";

/*
 * Terraform addresses come from config keys, never from positions or formatting: reordering,
 * adding unrelated entries or reformatting a file changes no existing address; renaming a key
 * with previousName yields `moved` blocks and no destroy.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const model = exampleModel();
const base = exampleStacks();
const isStateful = (t: string) => STATEFUL_TYPES.has(t);

/** Stack name -> its addresses. */
const addressMap = (synth: Record<string, any>) => Object.fromEntries(Object.entries(synth).map(([name, json]) => [name, addresses(json)]));

/** Reverses the key order of every object in a value (arrays keep their order: it means something there). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe("addresses do not depend on order or formatting", () => {
  it("reordering developers and services (and every field within them) changes no address", () => {
    const raw = exampleRaw();
    raw.developers = reverseKeys(raw.developers);
    raw.index = reverseKeys(raw.index);
    raw.serviceFiles = Object.fromEntries(Object.keys(raw.serviceFiles).reverse().map((k) => [k, raw.index[k]]));
    const reordered = synthStacks(validate(raw));
    expect(Object.keys(reordered)).toEqual(Object.keys(base));
    expect(addressMap(reordered)).toEqual(addressMap(base));
  });

  it("adding an unrelated developer and service keeps every existing address and only adds new ones", () => {
    const raw = exampleRaw();
    raw.developers.zoe = { name: "Zoe Sato", email: "zoe@example.com", github: "zoe-sato", slack: "U01ZOE0001", datadogRole: "Datadog Standard Role", pagerdutyRole: "user" };
    withService(raw, "billing", {
      description: "Billing", owners: ["zoe"], account: { email: "aws+billing@example.com", ou: "workloads-prod" }, regions: ["ap-northeast-1"],
      network: { cidrs: { "ap-northeast-1": "10.16.32.0/20" } }, kubernetes: { tenancy: "shared" }, registry: { kind: "ecr", repositories: ["api"] },
      githubRepositories: ["billing"], slack: { handle: "billing-team" },
    });
    const grown = synthStacks(validate(raw));
    let added = 0;
    for (const [name, list] of Object.entries(addressMap(base))) {
      const now = new Set(addresses(grown[name]));
      expect(list.filter((a) => !now.has(a)), name).toEqual([]);
      added += now.size - list.length;
    }
    expect(added).toBeGreaterThan(0);
    expect(Object.keys(grown).filter((n) => !(n in base))).toEqual(["service-billing-ap-northeast-1"]);
  });

  describe("re-serializing a service file with other whitespace and key order", () => {
    const dir = scratchDir("reformatted-");
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("changes no address (and no byte of the output)", async () => {
      mkdirSync(path.join(dir, "services"));
      for (const file of ["platform", "developers"]) writeFileSync(path.join(dir, `${file}.ts`), `export { default } from "${ROOT}/test/fixtures/org/${file}.ts";\n`);
      for (const key of ["ledger", "recommendations"]) writeFileSync(path.join(dir, "services", `${key}.ts`), `export { default } from "${ROOT}/test/fixtures/org/services/${key}.ts";\n`);
      // The same entry as config/services/payments.ts: keys reversed, tabs, one field per line, trailing commas gone.
      const payments = JSON.stringify(reverseKeys(exampleRaw().index.payments), null, "\t");
      writeFileSync(path.join(dir, "services", "payments.ts"), `import { defineService } from "${ROOT}/lib/define.js";\n\n\n\nexport   default    defineService(${payments})\n`);
      writeFileSync(path.join(dir, "services.ts"), `import recommendations from "./services/recommendations.js";\nimport payments from "./services/payments.js";\nimport ledger from "./services/ledger.js";\nexport default { recommendations, payments, ledger };\n`);
      const raw = await loadConfig(dir, "config");
      expect(raw.problems).toEqual([]);
      const reformatted = synthStacks(validate(raw));
      expect(addressMap(reformatted)).toEqual(addressMap(base));
      expect(JSON.stringify(reformatted)).toBe(JSON.stringify(base));
    });
  });
});

describe("renaming ledger to general-ledger with previousName", () => {
  const renamedModel = validate(rename(exampleRaw(), "ledger", "general-ledger"));
  const renamed = synthStacks(renamedModel);
  const shard = vendingStackOf(model.platform, "ledger");
  const oldStack = "service-ledger-ap-northeast-1";
  const newStack = "service-general-ledger-ap-northeast-1";

  it("stays in the vending shard of its first key, which renames its workspace in place with a moved block", () => {
    expect(renamedModel.services.find((s) => s.key === "general-ledger")).toMatchObject({ previousName: "ledger" });
    const moved = renamed[shard].moved as Array<{ from: string; to: string }>;
    const ws = moved.find((m) => typeOf(m.to) === "tfe_workspace")!;
    expect(ws.from).toMatch(/^tfe_workspace\.workspace-service-ledger-ap-northeast-1_/);
    expect(at(base[shard], ws.from).name).toBe(oldStack);
    expect(at(renamed[shard], ws.to).name).toBe(newStack);
    expect(at(renamed[shard], ws.to).lifecycle.prevent_destroy).toBe(true);
    expect(renamed[newStack].terraform.cloud.workspaces.name).toBe(newStack);
  });

  it("gives every resource of ledger either the same address or a moved block, in every stack that keeps its state", () => {
    const pairs: Array<[string, string]> = [...Object.keys(base).filter((n) => n !== oldStack).map((n): [string, string] => [n, n]), [oldStack, newStack]];
    let moves = 0;
    for (const [was, now] of pairs) {
      const after = new Set(addresses(renamed[now]));
      const movedFrom = new Set(((renamed[now].moved ?? []) as Array<{ from: string; to: string }>).filter((m) => after.has(m.to)).map((m) => m.from));
      moves += movedFrom.size;
      const lost = addresses(base[was]).filter((a) => !after.has(a) && !movedFrom.has(a));
      expect(lost, `${was} -> ${now}`).toEqual([]);
    }
    expect(moves).toBeGreaterThanOrEqual(4);
    expect(renamed[shard].moved.map((m: { to: string }) => typeOf(m.to))).toEqual(expect.arrayContaining(["aws_organizations_account", "aws_cloudformation_stack_instances", "tfe_workspace"]));
  });

  it("keeps the names AWS would replace: account, registry, cluster, namespace and VPC CIDR", () => {
    const account = (synth: Record<string, any>) => Object.values(resources(synth[shard], "aws_organizations_account")).map((a: any) => [a.name, a.email]).sort();
    expect(account(renamed)).toEqual(account(base));
    const names = (stack: any, type: string, field: string) => Object.values(resources(stack, type)).map((r: any) => r[field]).sort();
    expect(names(renamed[newStack], "aws_ecr_repository", "name")).toEqual(["ledger/ledger"]);
    expect(names(renamed[newStack], "aws_eks_cluster", "name")).toEqual(names(base[oldStack], "aws_eks_cluster", "name"));
    expect(names(renamed[newStack], "aws_vpc", "cidr_block")).toEqual(names(base[oldStack], "aws_vpc", "cidr_block"));
    expect(renamedModel.services.find((s) => s.key === "general-ledger")!.namespace).toBe("ledger");
  });

  it("shows 0 destroys in the change summary, the service stack as renamed in place", () => {
    const changes = compareSynths(base, renamed, { isStateful });
    const all = changes.flatMap((c) => c.resources);
    expect(all.filter((r) => r.action === "destroy")).toEqual([]);
    expect(all.filter((r) => r.action === "move").length).toBeGreaterThanOrEqual(4);
    expect(changes.find((c) => c.stack === newStack)).toMatchObject({ status: "changed", from: oldStack });
    expect(changes.some((c) => c.stack === oldStack)).toBe(false);
    const md = renderSummary(changes, "main");
    expect(md).toMatch(/0 to destroy/);
    expect(md).not.toMatch(/CAUTION/);
    expect(md).toMatch(/\| `service-general-ledger-ap-northeast-1` \| renamed from `service-ledger-ap-northeast-1` \|/);
  });

  it("without previousName, destroys the account and registry: the change summary calls it out", () => {
    const changes = compareSynths(base, synthStacks(validate(rename(exampleRaw(), "ledger", "general-ledger", false))), { isStateful });
    const dangerous = changes.flatMap((c) => c.resources.filter((r) => r.dangerous).map((r) => typeOf(r.address)));
    expect(dangerous).toEqual(expect.arrayContaining(["aws_organizations_account", "aws_ecr_repository", "aws_kms_key"]));
  });
});

describe("renaming a shared-tenancy service in two regions (payments to checkout) with previousName", () => {
  const renamed = synthStacks(validate(rename(exampleRaw(), "payments", "checkout")));

  it("moves its namespace objects within their shards and destroys nothing anywhere", () => {
    const changes = compareSynths(base, renamed, { isStateful });
    expect(changes.flatMap((c) => c.resources.filter((r) => r.action === "destroy").map((r) => `${c.stack} ${r.address}`))).toEqual([]);
    const shardMoves = changes.filter((c) => c.stack.startsWith("namespaces-")).flatMap((c) => c.resources.filter((r) => r.action === "move").map((r) => typeOf(r.address)));
    expect(shardMoves).toEqual(expect.arrayContaining(["kubernetes_namespace_v1", "aws_eks_access_entry", "aws_eks_pod_identity_association"]));
    expect(changes.filter((c) => c.from !== undefined).map((c) => [c.from, c.stack])).toEqual([
      ["service-payments-ap-northeast-1", "service-checkout-ap-northeast-1"],
      ["service-payments-ap-northeast-3", "service-checkout-ap-northeast-3"],
    ]);
  });
});
