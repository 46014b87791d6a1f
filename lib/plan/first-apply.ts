import type { OrganizationModel } from "../config/model";
import type { Platform } from "../config/schema";
import { sharedClusterName } from "./cluster";
import type { StackSpec } from "./stack-plan";
import { applyWaves } from "./waves";

/*
 * The first apply of a new organization as one ordered list: the prerequisites, then the
 * stacks wave by wave, with the manual steps that sit between two waves (the shared clusters'
 * RBAC for HCP Terraform's Kubernetes identities, EKS and GKE). `npm run stacks -- --first-apply`
 * prints it; README "First apply" walks through the same steps.
 */

/** Something that exists before the first apply, and how it comes to exist. */
export interface FirstApplyPrerequisite {
  readonly id: string;
  readonly what: string;
  readonly how: string;
}

/**
 * The prerequisites, in bootstrap order, as the config lists them (`platform.prerequisites`,
 * the one place; the rehearsal's contract check reads the same list).
 */
export function prerequisitesOf(platform: Platform): FirstApplyPrerequisite[] {
  return platform.prerequisites.map(({ id, what, how }) => ({ id, what, how }));
}

/** A manual step that runs after one stack and before others. */
export interface InterWaveStep {
  readonly after: string;
  readonly before: readonly string[];
  readonly step: string;
}

/**
 * Steps between waves: after each `cluster-<region>` has applied (the cluster and its agents
 * exist) and before its namespace shards run, the cluster's RBAC for the shards' HCP
 * Terraform identities is applied once; nothing with access to the cluster exists before it.
 */
export function interWaveSteps(model: OrganizationModel, specs: readonly StackSpec[]): InterWaveStep[] {
  const eks = specs.filter((s) => s.kind === "cluster").map((cluster) => ({
    after: cluster.name,
    before: specs.filter((s) => s.kind === "namespaces" && s.region === cluster.region).map((s) => s.name),
    step: `apply cdktf.out/bootstrap/kubernetes-rbac-${sharedClusterName(model.platform, cluster.region!)}.json once (npm run oidc-bootstrap writes it; README "First apply")`,
  }));
  // The GKE cluster likewise: Identity Service's client config and the shards' RBAC, then its agents.
  const gke = specs.filter((s) => s.kind === "gke").map((cluster) => ({
    after: cluster.name,
    before: specs.filter((s) => s.kind === "gke-namespaces").map((s) => s.name),
    step: `apply cdktf.out/bootstrap/kubernetes-gke-${model.platform.gke!.clusterName}.json once with kubectl apply --server-side, and install the HCP Terraform agents of pool ${model.platform.name}-gke in the cluster (README "First apply")`,
  }));
  return [...eks, ...gke];
}

/** The first apply as text: prerequisites, then numbered waves with the steps between them. */
export function formatFirstApply(model: OrganizationModel, specs: readonly StackSpec[]): string {
  const lines = ["Before the first apply (prerequisites, in order):"];
  for (const p of prerequisitesOf(model.platform)) lines.push(`  - ${p.id}: ${p.what}. How: ${p.how}.`);
  const steps = interWaveSteps(model, specs);
  const waves = applyWaves(specs.filter((s) => !s.tombstoned));
  waves.forEach((wave, i) => {
    lines.push("", `Wave ${i + 1}:`);
    for (const s of wave) lines.push(`  ${s.name}`);
    const names = new Set(wave.map((s) => s.name));
    for (const step of steps.filter((st) => names.has(st.after))) lines.push(`  then, before ${step.before.join(", ")}: ${step.step}`);
  });
  return `${lines.join("\n")}\n`;
}
