import type { OrganizationModel } from "../config/model";
import type { Platform } from "../config/schema";
import { sharedClusterName } from "./cluster";
import type { StackSpec } from "./stack-plan";
import { applyWaves } from "./waves";

/*
 * The first apply of a new organization as one ordered list: the prerequisites, then the
 * stacks wave by wave, with the one manual step that sits between two waves (the shared
 * clusters' RBAC for HCP Terraform's Kubernetes identities). `npm run stacks -- --first-apply`
 * prints it; README "First apply" walks through the same steps.
 */

/** Something that exists before the first apply, and how it comes to exist. */
export interface FirstApplyPrerequisite {
  readonly id: string;
  readonly what: string;
  readonly how: string;
}

/**
 * The prerequisites this platform needs, in bootstrap order. A config that lists its own
 * (`platform.prerequisites`, read by the rehearsal) is printed as it is instead.
 */
export function prerequisitesOf(platform: Platform): FirstApplyPrerequisite[] {
  const listed = (platform as { readonly prerequisites?: readonly FirstApplyPrerequisite[] }).prerequisites;
  if (listed !== undefined && listed.length > 0) return listed.map(({ id, what, how }) => ({ id, what, how }));
  const tfc = platform.terraformCloud;
  const list: FirstApplyPrerequisite[] = [
    { id: "aws-organization", what: "the AWS organization (all features), SCP and RCP policy types enabled on the root, trusted access for CloudFormation StackSets, CloudTrail, Config, GuardDuty, Security Hub and Access Analyzer", how: "an administrator of the management account, in the AWS Organizations console" },
    { id: "platform-accounts", what: "the log archive, security, network, cluster and bastion accounts, their IDs and emails in config/platform.ts accounts", how: "created or invited once in AWS Organizations" },
    { id: "hcp-terraform-organization", what: `HCP Terraform organization ${tfc.organization}, project ${tfc.project}, a team token for the factories (manage workspaces, projects, variable sets, agent pools)`, how: "an organization owner of HCP Terraform" },
    { id: "hcp-terraform-teams", what: `HCP Terraform teams ${platform.github.platformTeam} and ${platform.github.approversTeam} (the workspaces stack looks them up to grant project access)`, how: "an organization owner of HCP Terraform (Settings > Teams, or SSO team mapping)" },
    { id: "management-oidc-trust", what: "the management account's HCP Terraform OIDC provider and the roles of the organization and accounts-<n> workspaces", how: "npm run oidc-bootstrap, then the aws cloudformation deploy it prints" },
    { id: "saml-provider", what: `IAM SAML provider ${platform.access.samlProvider} in the bastion account (${platform.accounts.bastion.id})`, how: "registered once from the identity provider's metadata (IAM > Identity providers)" },
    { id: "saas-organizations", what: `GitHub organization ${platform.github.organization}, the Datadog organization and roles, the PagerDuty account, the Slack workspace, and their tokens`, how: "their owners; the tokens are typed into the variable sets after the workspaces stack's first apply" },
  ];
  if (platform.registry.gar) {
    list.push({ id: "google-registry-project", what: `Google Cloud project ${platform.registry.gar.project} and workload identity pool ${platform.registry.gar.workloadIdentityPool}`, how: "created once in Google Cloud by its administrator" });
  }
  return list;
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
  return specs.filter((s) => s.kind === "cluster").map((cluster) => ({
    after: cluster.name,
    before: specs.filter((s) => s.kind === "namespaces" && s.region === cluster.region).map((s) => s.name),
    step: `apply cdktf.out/bootstrap/kubernetes-rbac-${sharedClusterName(model.platform, cluster.region!)}.json once (npm run oidc-bootstrap writes it; README "First apply")`,
  }));
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
