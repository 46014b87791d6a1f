import type { OrganizationModel, ServiceModel } from "../config/model";
import { bastionRoleArn, bastionRoleName, ciRoleName, RELEASE_WORKFLOW, teamGroupName, teamRoleName, workloadRoleName } from "../plan/access";
import { dedicatedClusterName, sharedClusterName } from "../plan/cluster";
import { originalKey } from "../plan/stack-plan";
import { teamAccessLevel, teamProjectName, teamWorkspaceName, teamWorkspaceRoleName } from "../plan/team-access";
import { serviceTeamSlug } from "../review/codeowners";
import type { AccessCase } from "./cases";
import { serviceAccountId } from "./render";
import { teamCases } from "./team-cases";
import { evaluateCase } from "./simulate";
import type { World } from "./world";

/*
 * What a person can do where, and through which chain: from the synthesized policies (who a
 * team role trusts, what it is granted), each AWS hop confirmed by the same simulator as the
 * access proofs, plus the Kubernetes and SaaS access the config gives the owners of a service.
 */

/** One thing a developer can do in one service's account. */
export interface Grant {
  readonly developer: string;
  readonly service: string;
  readonly account: string;
  /** Role names from sign-in to the role that holds the permissions. */
  readonly chain: readonly string[];
  /** The permissions at the end of the chain, in words ("read-only (ReadOnlyAccess)"). */
  readonly permissions: string;
}

const MANAGED_WORDS: Readonly<Record<string, string>> = {
  "arn:aws:iam::aws:policy/ReadOnlyAccess": "read-only (ReadOnlyAccess)",
  "arn:aws:iam::aws:policy/AdministratorAccess": "admin (AdministratorAccess)",
};

function permissionsOf(world: World, roleArn: string): string {
  const role = world.roles.get(roleArn);
  if (!role) return "nothing";
  const words = [
    ...role.managedPolicyArns.map((a) => MANAGED_WORDS[a] ?? a.split("/").pop()!),
    ...role.policies.map((p) => `inline ${p.name.split("/").pop()}`),
  ];
  const granted = words.length > 0 ? words.sort().join(", ") : "nothing";
  return role.permissionsBoundary ? `${granted} inside the permissions boundary ${role.permissionsBoundary.split("/").pop()}` : granted;
}

/**
 * What the team role of a service can and cannot do, each claim decided by the simulator on the
 * synthesized policies (the team rows of the access cases, with the simulator's answer rather
 * than the expected one).
 */
async function teamPowers(model: OrganizationModel, world: World, s: ServiceModel): Promise<{ can: string[]; cannot: string[] }> {
  const team = `arn:aws:iam::${serviceAccountId(originalKey(s))}:role/${teamRoleName(s.key)}`;
  const cases: AccessCase[] = [];
  teamCases(model, s, (c) => { if (c.principal === team && c.kind === "team role") cases.push(c); });
  const can = new Set<string>();
  const cannot = new Set<string>();
  for (const c of cases) ((await evaluateCase(world, c)).decision === "allow" ? can : cannot).add(c.claim);
  return { can: [...can].sort(), cannot: [...cannot].sort() };
}

/** The team-owned workspace of a service, in words. */
function teamWorkspaceLine(model: OrganizationModel, s: ServiceModel): string | undefined {
  if (!s.infrastructure || s.retired) return undefined;
  const p = model.platform;
  return `workspace ${teamWorkspaceName(s.key)} in project ${teamProjectName(p)} (github.com/${p.github.organization}/${s.infrastructure.repository}, directory ${s.infrastructure.directory}); team ${serviceTeamSlug(s.key)} plans and applies; runs as ${teamWorkspaceRoleName(s.key, "plan")} (read-only) and ${teamWorkspaceRoleName(s.key, "apply")} (inside the permissions boundary)`;
}

/** Whether a role's trust policy names this principal ARN (the candidates the simulator then decides). */
function trustNames(world: World, roleArn: string, principal: string): boolean {
  return JSON.stringify(world.roles.get(roleArn)?.trust ?? {}).includes(JSON.stringify(principal));
}

/** Every AWS grant of every developer, each hop proved with the simulator. */
export async function developerGrants(model: OrganizationModel, world: World): Promise<Grant[]> {
  const p = model.platform;
  const out: Grant[] = [];
  for (const d of model.developers) {
    const from = bastionRoleArn(p, d.key);
    if (!world.roles.has(from)) continue;
    for (const s of model.services) {
      const account = serviceAccountId(originalKey(s));
      const team = `arn:aws:iam::${account}:role/${teamRoleName(s.key)}`;
      if (!trustNames(world, team, from)) continue;
      const proof = await evaluateCase(world, { id: `report/${d.key}/${s.key}`, kind: "developer", claim: "", principal: from, action: "sts:AssumeRole", resource: team, expect: "allow" });
      if (proof.decision !== "allow") continue;
      out.push({ developer: d.key, service: s.key, account, chain: [`SAML ${p.access.samlProvider}`, bastionRoleName(d.key), teamRoleName(s.key)], permissions: permissionsOf(world, team) });
    }
  }
  return out;
}

/** The sentence the change summary and the report use for a grant. */
export function grantSentence(g: Grant, verb = "can act"): string {
  const possessive = g.service.endsWith("s") ? `${g.service}'` : `${g.service}'s`;
  return `${g.developer} ${verb} ${g.permissions} in ${possessive} account through ${g.chain.slice(1).join(" -> ")}`;
}

/** Kubernetes access of a service's owners (from config: the access entry and RoleBinding the stacks create). */
function kubernetesAccess(model: OrganizationModel, s: ServiceModel): string {
  const p = model.platform;
  if (s.retired) return "none (retired)";
  if (s.kubernetes.tenancy === "dedicated") return `cluster admin on ${s.regions.map((r) => dedicatedClusterName(originalKey(s), r)).join(", ")} (access entry of ${teamRoleName(s.key)})`;
  return `admin of namespace ${s.namespace} on ${s.regions.map((r) => sharedClusterName(p, r)).join(", ")} (group ${teamGroupName(s.key)}, mapped from ${teamRoleName(s.key)})`;
}

function saasAccess(s: ServiceModel): string {
  const repositories = [...new Set([...s.githubRepositories, ...(s.infrastructure ? [s.infrastructure.repository] : [])])].sort();
  const parts = [`GitHub team of ${s.key}${repositories.length > 0 ? ` (admin of ${repositories.join(", ")})` : ""}`, `Datadog team of ${s.key}`, `PagerDuty team and escalation policy of ${s.key}`];
  if (s.slack) parts.push(`Slack group @${s.slack.handle}`);
  return s.retired ? "none (retired)" : parts.join(", ");
}

/** `npm run access -- --who <developer>`. */
export async function reportWho(model: OrganizationModel, world: World, key: string): Promise<string> {
  const p = model.platform;
  const d = model.developers.find((x) => x.key === key);
  if (!d) throw new Error(`"${key}" is not a developer. Fix: use a key of config/developers.ts (${model.developers.map((x) => x.key).slice(0, 10).join(", ")}${model.developers.length > 10 ? ", ..." : ""})`);
  const grants = (await developerGrants(model, world)).filter((g) => g.developer === key);
  const lines = [
    `${d.key} (${d.name}, ${d.email})`,
    `  signs in: SAML ${p.access.samlProvider} (NameID ${d.email}) -> ${bastionRoleName(d.key)} in the bastion account ${p.accounts.bastion.id} (sessions up to ${p.access.maxSessionSeconds} s)`,
  ];
  if (grants.length === 0) lines.push("  owns no service: the bastion role reaches no team role");
  for (const g of grants) {
    const s = model.services.find((x) => x.key === g.service)!;
    lines.push(`  ${s.key} (account ${g.account}, OU ${s.account.ou})`);
    lines.push(`    AWS: ${g.chain.join(" -> ")} -> ${g.permissions} (${teamAccessLevel(s)} level)   [sts:AssumeRole proved by the simulator]`);
    const powers = await teamPowers(model, world, s);
    if (powers.can.length > 0) lines.push(`      can: ${powers.can.join("; ")}`);
    if (powers.cannot.length > 0) lines.push(`      cannot: ${powers.cannot.join("; ")}   [each decided by the simulator]`);
    const terraform = teamWorkspaceLine(model, s);
    if (terraform) lines.push(`    Terraform: ${terraform}`);
    lines.push(`    Kubernetes: ${kubernetesAccess(model, s)}`);
    lines.push(`    SaaS: ${saasAccess(s)}`);
  }
  lines.push(`  GitHub: write access to ${p.github.organization}/${p.github.repository} through the ${p.github.developersTeam} team (push branches, open pull requests; merging needs the code owners)`);
  if (p.github.admins.includes(d.key)) lines.push("  GitHub: organization admin");
  if (p.github.platformTeamMembers.includes(d.key)) lines.push(`  Terraform Cloud: admin of the project through the ${p.github.platformTeam} team`);
  if (d.approver) lines.push(`  approves changes to config/developers.ts (${p.github.approversTeam})`);
  return `${lines.join("\n")}\n`;
}

/** `npm run access -- --on <service>`. */
export async function reportOn(model: OrganizationModel, world: World, key: string): Promise<string> {
  const s = model.services.find((x) => x.key === key);
  if (!s) throw new Error(`"${key}" is not a service. Fix: use a key of config/services.ts`);
  const account = serviceAccountId(originalKey(s));
  const grants = (await developerGrants(model, world)).filter((g) => g.service === key);
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
  const lines = [`${s.key} (account ${account} once vended, OU ${s.account.ou}, segment ${s.segment})`, "  people:"];
  if (grants.length === 0) lines.push("    nobody (no owner reaches the team role)");
  for (const g of grants) lines.push(`    ${g.developer}: ${g.chain.join(" -> ")} -> ${g.permissions} (${teamAccessLevel(s)} level)`);
  lines.push(`    Kubernetes: ${kubernetesAccess(model, s)}`);
  lines.push(`    SaaS: ${saasAccess(s)}`);
  lines.push("  machines:");
  if (world.roles.has(role(ciRoleName(s.key)))) {
    lines.push(`    ${ciRoleName(s.key)}: GitHub Actions ${RELEASE_WORKFLOW} on main of ${s.githubRepositories.join(", ") || "(no repository)"} -> ${permissionsOf(world, role(ciRoleName(s.key)))}`);
  }
  if (world.roles.has(role(workloadRoleName(s.key)))) lines.push(`    ${workloadRoleName(s.key)}: pods with service account workload -> ${permissionsOf(world, role(workloadRoleName(s.key)))} from the platform (the team attaches the rest)`);
  for (const r of [...world.roles.values()].filter((x) => x.account === account && x.name.startsWith("tfc-")).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    lines.push(`    ${r.name}: Terraform Cloud -> ${permissionsOf(world, r.arn)}`);
  }
  const terraform = teamWorkspaceLine(model, s);
  if (terraform) {
    lines.push(`    the team's Terraform: ${terraform}`);
    for (const phase of ["plan", "apply"] as const) lines.push(`      ${teamWorkspaceRoleName(s.key, phase)}: ${permissionsOf(world, role(teamWorkspaceRoleName(s.key, phase)))}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Grants added and removed between two organizations, as change-summary lines. */
export function grantChanges(base: readonly Grant[], head: readonly Grant[]): { added: string[]; removed: string[] } {
  const key = (g: Grant) => `${g.developer}\u0000${g.service}\u0000${g.permissions}\u0000${g.chain.join(">")}`;
  const b = new Map(base.map((g) => [key(g), g]));
  const h = new Map(head.map((g) => [key(g), g]));
  return {
    added: [...h].filter(([k]) => !b.has(k)).map(([, g]) => grantSentence(g, "gains")).sort(),
    removed: [...b].filter(([k]) => !h.has(k)).map(([, g]) => grantSentence(g, "loses")).sort(),
  };
}

/** The Markdown section of the change summary; empty when no grant changes. */
export function renderGrantChanges(changes: { readonly added: readonly string[]; readonly removed: readonly string[] }): string {
  if (changes.added.length + changes.removed.length === 0) return "";
  const lines = ["### Access", ""];
  for (const a of changes.added) lines.push(`- ${a}`);
  for (const r of changes.removed) lines.push(`- ${r}`);
  return `${lines.join("\n")}\n`;
}
