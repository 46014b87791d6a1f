import type { RawConfig } from "./load";
import type { OrganizationModel } from "./model";
import type { Problem } from "./problems";
import { DNS_LABEL, type Service } from "./schema";
import { gkeNamespaceShardOf, gkeNamespacesStackName, onEks, onGke } from "../plan/gke";
import { namespaceShardOf, namespacesStackName, originalKey, type StackSpec, serviceStackName, vendingStackOf } from "../plan/stack-plan";

/*
 * Retirement, removal and renames of services: the rules that keep a config edit from
 * destroying what a service holds. Pure: `validate.ts` calls the checks, `stacks/state-blocks.ts`
 * builds the twin stacks these functions describe and turns them into `removed` and `moved`
 * blocks, and `main.ts` runs `compareWithBase` for `npm run validate -- --base <ref>`.
 *
 * Lifecycle of a service that goes away (README "Retire and remove a service"):
 *   1. `retired: true`: access goes (teams, roles, namespace access, network attachment), data
 *      stays (account, registries, VPCs, the namespace with its volumes).
 *   2. tombstone: the entry moves to `config/retired.ts`; its stacks emit `removed` blocks
 *      (`destroy = false`) so everything leaves Terraform's state and stays in AWS.
 *   3. optionally, the platform team deletes the service's workspaces by hand.
 */

export { originalKey };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = <T extends { key: string }>(list: readonly T[]) => [...list].sort((a, b) => cmp(a.key, b.key));

/** The organization as it was before the tombstoned services were removed: each one back as a retired service. */
export function withTombstonesRestored(model: OrganizationModel): OrganizationModel {
  return { ...model, services: byKey([...model.services, ...(model.tombstones ?? [])]), tombstones: [] };
}

/** The organization as it was before its renames: each renamed service under its previous key. */
export function beforeRenames(model: OrganizationModel): OrganizationModel {
  const services = model.services.map((s) => (s.previousName === undefined ? s : { ...s, key: s.previousName, previousName: undefined }));
  return { ...model, services: byKey(services), tombstones: [] };
}

/** Renamed services: [previous key, key]. */
export function renames(model: OrganizationModel): Array<[string, string]> {
  return model.services.filter((s) => s.previousName !== undefined).map((s) => [s.previousName!, s.key]);
}

/**
 * Which stacks hold resources of tombstoned services: their own stacks, their vending shard,
 * and, for shared tenancy, the namespace shards (EKS and GKE) that kept their namespaces while retired.
 */
export function holdsTombstones(model: OrganizationModel, spec: StackSpec): boolean {
  const tombstones = model.tombstones ?? [];
  if (tombstones.length === 0) return false;
  const p = model.platform;
  return spec.tombstoned === true
    || (spec.kind === "accounts" && tombstones.some((t) => vendingStackOf(p, originalKey(t)) === spec.name))
    || (spec.kind === "namespaces" && tombstones.some((t) => onEks(t) && t.regions.includes(spec.region as never) && namespacesStackName(spec.region!, namespaceShardOf(p, originalKey(t))) === spec.name))
    || (spec.kind === "gke-namespaces" && tombstones.some((t) => onGke(t) && gkeNamespacesStackName(gkeNamespaceShardOf(p, originalKey(t))) === spec.name));
}

/**
 * The stack's name before the renames (a renamed service's stacks embed its key), or
 * undefined when no rename touches the stack: its vending shard, its namespace shards and its
 * own stacks are the ones whose addresses may change.
 */
export function nameBeforeRenames(model: OrganizationModel, spec: StackSpec): string | undefined {
  const renamed = model.services.filter((s) => s.previousName !== undefined);
  if (renamed.length === 0) return undefined;
  const p = model.platform;
  const mine = renamed.find((s) => s.key === spec.service);
  if (mine) return serviceStackName(mine.previousName!, spec.region!);
  if (spec.kind === "accounts" && renamed.some((s) => vendingStackOf(p, originalKey(s)) === spec.name)) return spec.name;
  if (spec.kind === "namespaces" && renamed.some((s) => onEks(s) && s.regions.includes(spec.region as never) && namespacesStackName(spec.region!, namespaceShardOf(p, originalKey(s))) === spec.name)) return spec.name;
  if (spec.kind === "gke-namespaces" && renamed.some((s) => onGke(s) && gkeNamespacesStackName(gkeNamespaceShardOf(p, originalKey(s))) === spec.name)) return spec.name;
  return undefined;
}

/**
 * Normalizes a construct path for matching across a rename: the stack (first segment) is
 * dropped and the service key, as a whole hyphen-separated word sequence, is replaced by a
 * placeholder. `account-ledger/Resource` under "ledger" and `account-general-ledger/Resource`
 * under "general-ledger" both become `account-<key>/Resource`.
 */
export function normalizePath(path: string, keys: ReadonlyMap<string, string>): string {
  const segments = path.split("/").slice(1);
  return segments.map((segment) => {
    let out = segment;
    for (const [key, id] of keys) out = out.replace(new RegExp(`(^|-)${key.replace(/[-]/g, "\\-")}(?=-|$)`, "g"), `$1\u0000${id}\u0000`);
    return out;
  }).join("/");
}

/**
 * `moved` blocks for one stack: every resource of the stack before the renames whose address
 * is gone now, paired with the resource now at the same construct path (keys normalized).
 * Pairs that are not one-to-one are left out (Terraform would then plan a destroy, which the
 * change summary shows).
 */
export function movedBlocks(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, pairs: ReadonlyArray<[string, string]>): Array<{ from: string; to: string }> {
  // Longest keys first, so "general-ledger" is not read as "general-" + "ledger".
  const ids = (side: 0 | 1) => new Map([...pairs].map((pair, i) => [pair[side], String(i)] as [string, string]).sort(([a], [b]) => b.length - a.length));
  const index = (resources: ReadonlyMap<string, string>, keys: Map<string, string>) => {
    const out = new Map<string, string[]>();
    for (const [address, path] of resources) {
      const id = `${address.slice(0, address.indexOf("."))} ${normalizePath(path, keys)}`;
      out.set(id, [...(out.get(id) ?? []), address]);
    }
    return out;
  };
  const old = index(before, ids(0));
  const now = index(after, ids(1));
  const moved: Array<{ from: string; to: string }> = [];
  for (const [id, [from, ...more]] of old) {
    const to = now.get(id);
    if (from === undefined || more.length > 0 || to?.length !== 1) continue;
    if (from !== to[0] && !after.has(from) && !before.has(to[0]!)) moved.push({ from, to: to[0]! });
  }
  return moved.sort((a, b) => cmp(a.from, b.from));
}

type Partialish = Partial<Service>;

/**
 * Rename rules on the active services: a previous name is a valid key that no active or
 * removed service uses, and no two services claim the same one.
 */
export function checkRenames(services: ReadonlyArray<[string, Partialish]>, tombstoneKeys: ReadonlySet<string>, fileOf: (k: string) => string): Problem[] {
  const problems: Problem[] = [];
  const active = new Set(services.map(([k]) => k));
  const claimed = new Map<string, string>();
  for (const [key, s] of services) {
    const prev = s.previousName;
    if (prev === undefined || prev === key) continue;
    const report = (message: string, fix: string) => problems.push({ file: fileOf(key), entry: key, field: "previousName", value: prev, message, fix });
    if (!DNS_LABEL.test(prev) || prev.length > 40) report("is not a service key", "write the key the service had before the rename (its old file name without .ts)");
    else if (active.has(prev)) report(`is the key of another active service (${fileOf(prev)}), so this is not a rename`, `remove previousName; to rename "${prev}", delete ${fileOf(prev)} and give this file previousName: "${prev}"`);
    else if (tombstoneKeys.has(prev)) report("is a removed service in config/retired.ts; a removed service cannot be renamed", "remove previousName and give the service a new account (a new service), or ask the platform team to restore it");
    else if (claimed.has(prev)) report(`is also the previous name of ${fileOf(claimed.get(prev)!)}`, "only one service can continue an old key; remove previousName from one of them");
    else claimed.set(prev, key);
  }
  return problems;
}

/**
 * Cross-entry rules of `config/retired.ts` (the schema checked each entry): a key is either
 * active or removed, never both, and a removed service's old key cannot come back as a
 * rename.
 */
export function checkTombstoneKeys(keys: readonly string[], services: ReadonlyArray<[string, Partialish]>, file: string, serviceFile: (k: string) => string): Problem[] {
  const problems: Problem[] = [];
  const active = new Set(services.map(([k]) => k));
  for (const key of keys) {
    if (!DNS_LABEL.test(key) || key.length > 40) {
      problems.push({ file, entry: key, field: "", value: key, message: "is not a service key", fix: "use the removed service's key (its old file name without .ts)" });
    } else if (active.has(key)) {
      problems.push({ file, entry: key, field: "", value: key, message: `is both an active service (${serviceFile(key)}) and a removed one`, fix: `keep one: delete ${serviceFile(key)} and its line in config/services.ts if the service is gone, or remove "${key}" from ${file} if it is back` });
    }
  }
  return problems;
}

/* ------------------------------------------------------------------------------------------
 * Comparison with the base branch (`npm run validate -- --base <ref>`): catches the edits that
 * one config alone cannot show, such as a service file deleted outright.
 * ---------------------------------------------------------------------------------------- */

/** A raw config's services and tombstones, as far as the comparison reads them. */
interface Entries {
  readonly services: Map<string, Record<string, unknown>>;
  readonly tombstones: Set<string>;
}

function entries(raw: RawConfig): Entries {
  const services = new Map<string, Record<string, unknown>>();
  const add = (key: string, value: unknown) => {
    if (!services.has(key)) services.set(key, value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {});
  };
  for (const [k, v] of Object.entries(raw.serviceFiles)) add(k, v);
  if (raw.index !== null && typeof raw.index === "object") for (const [k, v] of Object.entries(raw.index)) add(k, v);
  const tombstones = new Set(raw.retired !== null && typeof raw.retired === "object" ? Object.keys(raw.retired) : []);
  return { services, tombstones };
}

const emailOf = (s: Record<string, unknown>) => {
  const account = s.account as { email?: unknown } | undefined;
  return typeof account?.email === "string" ? account.email.toLowerCase() : undefined;
};

/**
 * Problems of the change from `base` to `head`: every service present at base that is now
 * neither a service nor a tombstone (deleted outright), removed while it was not retired,
 * probably renamed without `previousName`, renamed a second time or stripped of its
 * `previousName`; and every tombstone deleted.
 */
export function compareWithBase(base: RawConfig, head: RawConfig): Problem[] {
  const b = entries(base);
  const h = entries(head);
  const label = head.label;
  const serviceFile = (k: string) => `${label}/services/${k}.ts`;
  const retiredFile = `${label}/retired.ts`;
  const problems: Problem[] = [];
  const previousOf = new Map<string, string>();
  for (const [key, s] of h.services) if (typeof s.previousName === "string") previousOf.set(s.previousName, key);
  const added = [...h.services.keys()].filter((k) => !b.services.has(k) && !previousOf.has(k) && h.services.get(k)!.previousName === undefined);

  for (const [key, was] of [...b.services].sort(([x], [y]) => cmp(x, y))) {
    const retired = was.retired === true;
    if (h.services.has(key)) {
      const now = h.services.get(key)!;
      if (typeof now.previousName === "string" && now.previousName !== was.previousName && b.services.has(now.previousName)) {
        problems.push({ file: serviceFile(key), entry: key, field: "previousName", value: now.previousName, message: `renames "${now.previousName}" to "${key}", a key that exists at the base as another service; that service would be destroyed`, fix: `choose a new key that is not taken; to remove "${key}", retire it first (README "Retire and remove a service")` });
      } else if (typeof was.previousName === "string" && now.previousName !== was.previousName) {
        problems.push({ file: serviceFile(key), entry: key, field: "previousName", value: now.previousName, message: `was "${was.previousName}" and must stay: the service's shards and the names of its account, registries and cluster follow it`, fix: `put back previousName: "${was.previousName}"` });
      }
      continue;
    }
    const renamedTo = previousOf.get(key);
    if (renamedTo !== undefined) {
      if (typeof was.previousName === "string") {
        problems.push({ file: serviceFile(renamedTo), entry: renamedTo, field: "previousName", value: key, message: `renames "${key}", which was itself renamed from "${was.previousName}"; a service can be renamed once`, fix: `keep the key "${key}", or ask the platform team to rename it (moved blocks from "${key}" by hand)` });
      }
      continue;
    }
    if (h.tombstones.has(key)) {
      if (!retired) {
        problems.push({ file: retiredFile, entry: key, field: "", value: key, message: `removes a service that was not retired at the base (${serviceFile(key)} had no retired: true); its team roles, namespace and network attachment would be left behind without being taken down first`, fix: `restore ${serviceFile(key)} with retired: true and apply it; move the entry to ${retiredFile} in a later pull request` });
      }
      continue;
    }
    const email = emailOf(was);
    const twin = email === undefined ? undefined : added.find((k) => emailOf(h.services.get(k)!) === email);
    if (twin !== undefined) {
      problems.push({ file: serviceFile(twin), entry: twin, field: "previousName", value: undefined, message: `looks like a rename of "${key}" (same account email ${email}), which without previousName would destroy and recreate everything of "${key}"`, fix: `add previousName: "${key}" to ${serviceFile(twin)}` });
      continue;
    }
    problems.push({
      file: serviceFile(key),
      entry: key,
      field: "",
      value: key,
      message: `was deleted outright: Terraform would remove the account from the organization and destroy the service's resources (prevent_destroy only guards resources still in the config)`,
      fix: retired
        ? `the service is retired: instead of deleting it, move its entry (with removedOn and reason) to ${retiredFile}; see README "Retire and remove a service"`
        : `restore ${serviceFile(key)} and set retired: true; once that is applied, move the entry to ${retiredFile} (README "Retire and remove a service")`,
    });
  }
  for (const key of [...b.tombstones].sort()) {
    if (!h.tombstones.has(key) && !h.services.has(key)) {
      problems.push({ file: retiredFile, entry: key, field: "", value: key, message: "deletes a tombstone; it keeps the service's name and account email reserved and its resources out of Terraform's state", fix: `put the entry for "${key}" back in ${retiredFile}` });
    }
  }
  return problems;
}
