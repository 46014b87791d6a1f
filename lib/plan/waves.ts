import type { StackSpec } from "./stack-plan.js";
import { runTriggerSources } from "./workspace-plan.js";

/*
 * The first apply of a new organization, in waves: a stack is applied only after every stack
 * it relies on. The waves are derived from the same facts the workspaces are wired with (run
 * triggers, the factory that creates each workspace) plus the reads that no run trigger
 * carries (a service's team role trusts its owners' bastion roles; a namespace shard reads its
 * tenants' outputs), so the rehearsal, `npm run stacks -- --waves` and the apply workflow agree.
 */

/** The stacks a stack relies on being applied first, sorted by name. */
export function dependenciesOf(spec: StackSpec, specs: readonly StackSpec[]): string[] {
  const names = new Set(specs.map((s) => s.name));
  const deps = new Set<string>(runTriggerSources(spec, specs));
  // Its workspace (and its OIDC roles, for a service) is created by its factory.
  if (spec.workspaceFactory !== spec.name) deps.add(spec.workspaceFactory);
  // Every AWS account but the management account gets its Terraform Cloud trust from the
  // organization stack's StackSet.
  if (spec.account !== "none" && spec.account !== "management") deps.add("organization");
  // An account's Config recorders deliver to the log archive's bucket of their region; the
  // management and bastion stacks record every region (the others are ordered after their
  // region's log archive by their run triggers).
  if (spec.kind === "management" || spec.kind === "bastion") {
    for (const s of specs) if (s.kind === "log-archive") deps.add(s.name);
  }
  // A second region's stack uses what the account's primary stack creates once per account
  // (the Config service-linked role; a service's team and workload roles, which a dedicated
  // cluster's access entry and Pod Identity name).
  if (spec.primary === false) {
    const primary = specs.find((s) => s.primary && s.kind === spec.kind && s.account === spec.account && s.service === spec.service);
    if (primary) deps.add(primary.name);
  }
  if (spec.kind === "service") {
    // The team role trusts the owners' bastion roles; the teams look up the owners' SaaS users.
    for (const s of specs) if (s.kind === "bastion" || s.kind === "people") deps.add(s.name);
    // Repositories grant pull through the google stack's pool; their workspaces impersonate its service accounts.
    for (const s of specs) if (s.kind === "google") deps.add(s.name);
    // Repositories grant pull to the GKE nodes' service account, which must exist first.
    for (const s of specs) if (s.kind === "gke") deps.add(s.name);
  }
  if (spec.kind === "network") {
    // Every earlier region's, whose Transit Gateway this one peers with (lib/plan/network.ts peersOwnedBy).
    for (const s of specs.slice(0, Math.max(0, specs.findIndex((x) => x.name === spec.name)))) if (s.kind === "network") deps.add(s.name);
  }
  if (spec.kind === "namespaces") {
    // A shard reads its tenants' account IDs from their service stacks in the same region.
    for (const s of specs) if (s.kind === "service" && s.region === spec.region && !s.tombstoned) deps.add(s.name);
  }
  deps.delete(spec.name);
  return [...deps].filter((n) => names.has(n)).sort();
}

/**
 * Stacks grouped in apply waves: wave 0 relies only on prerequisites, wave n on earlier waves.
 * Within a wave, stacks keep their plan order. Throws on a dependency cycle (a defect of the
 * stack plan, never of the config).
 */
export function applyWaves(specs: readonly StackSpec[]): StackSpec[][] {
  const bySpec = new Map(specs.map((s) => [s.name, s]));
  const wave = new Map<string, number>();
  const visiting = new Set<string>();
  const waveOf = (name: string): number => {
    const known = wave.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`stack dependency cycle through ${name}`);
    visiting.add(name);
    const deps = dependenciesOf(bySpec.get(name)!, specs);
    const w = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(waveOf));
    visiting.delete(name);
    wave.set(name, w);
    return w;
  };
  const waves: StackSpec[][] = [];
  for (const spec of specs) (waves[waveOf(spec.name)] ??= []).push(spec);
  return waves.filter((w) => w !== undefined);
}

/**
 * The given stacks grouped by their wave in the whole organization's waves (empty waves
 * dropped): what the apply workflow loops over. A stack's unchanged upstream was applied
 * before, so only the order among the given stacks matters, and the full graph gives it.
 * Names that are not planned any more are left out (the caller reports them).
 */
export function wavesOf(names: Iterable<string>, specs: readonly StackSpec[]): string[][] {
  const wanted = new Set(names);
  return applyWaves(specs).map((w) => w.filter((s) => wanted.has(s.name)).map((s) => s.name)).filter((w) => w.length > 0);
}
