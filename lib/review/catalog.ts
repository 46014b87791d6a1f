import { gkeClusterKey, onEks, onGke } from "../plan/gke";
import { teamRoleName } from "../plan/access";
import { dedicatedClusterName, sharedClusterName } from "../plan/cluster";
import { serviceTeamSlug } from "./codeowners";
import type { OrganizationModel, ServiceModel } from "../config/model";
import { originalKey, planStacks, vendingStackOf } from "../plan/stack-plan";
import { ecrRepositoryName, garRepositoryId } from "../config/tenancy";

/*
 * The resource catalog ("who owns what"): built from the validated model only, so it needs no
 * credentials and no state, and it is exactly what the next apply creates. Pure and
 * deterministic: services and developers come sorted from the model, lists are sorted here.
 *
 * Names come from the same functions the stacks use (lib/plan/cluster.ts, lib/config/tenancy.ts,
 * lib/review/codeowners.ts, lib/plan/access.ts), so the catalog cannot drift from what is created.
 */

export interface CatalogPerson {
  readonly key: string;
  readonly name: string;
  readonly email: string;
  readonly github: string;
}

export interface CatalogService {
  readonly key: string;
  readonly description: string;
  readonly retired: boolean;
  readonly owners: readonly CatalogPerson[];
  readonly account: {
    readonly email: string;
    readonly ou: string;
    /** Network segment of the OU (prod, nonprod, ...). */
    readonly segment: string;
    /** The `accounts-<n>` stack that vends the account and creates the service's workspaces. */
    readonly vendedBy: string;
  };
  /** The first is the primary region. */
  readonly regions: readonly string[];
  readonly cidrs: ReadonlyArray<{ readonly region: string; readonly cidr: string }>;
  readonly kubernetes: {
    readonly tenancy: "shared" | "dedicated";
    /** The namespace on the shared cluster; undefined for a dedicated cluster. */
    readonly namespace?: string;
    readonly clusters: ReadonlyArray<{ readonly region: string; readonly name: string }>;
    readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
  };
  readonly registries: ReadonlyArray<{ readonly kind: "ecr" | "gar"; readonly name: string; readonly location: string }>;
  readonly githubRepositories: readonly string[];
  readonly teams: {
    readonly github: string;
    readonly datadog: string;
    readonly pagerduty: string;
    readonly slack: string;
    /** The IAM role the owners assume in the service account. */
    readonly awsRole: string;
  };
  /** Terraform Cloud workspaces holding the service's resources (from the stack plan). */
  readonly workspaces: readonly string[];
}

export interface CatalogDeveloper extends CatalogPerson {
  readonly slack: string;
  readonly approver: boolean;
  readonly githubAdmin: boolean;
  readonly datadogRole: string;
  readonly pagerdutyRole: string;
  /** Services the developer owns. */
  readonly owns: readonly string[];
  /** Services whose PagerDuty escalation names the developer (owners are on call by default). */
  readonly onCall: readonly string[];
}

export interface Catalog {
  readonly organization: string;
  readonly terraformCloud: { readonly organization: string; readonly project: string };
  readonly services: readonly CatalogService[];
  readonly developers: readonly CatalogDeveloper[];
  /** Organizational units that hold service accounts, with their services. */
  readonly accounts: ReadonlyArray<{ readonly ou: string; readonly segment: string; readonly services: readonly string[] }>;
}

const sorted = (xs: Iterable<string>) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function onCallOf(s: ServiceModel): string[] {
  const targets = s.pagerduty?.escalation?.flatMap((rule) => rule.targets) ?? s.owners;
  return sorted(new Set(targets));
}

/** The catalog of an organization: every service with what it owns, every developer with their memberships. */
export function buildCatalog(model: OrganizationModel): Catalog {
  const p = model.platform;
  const people = new Map(model.developers.map((d) => [d.key, d]));
  const plan = planStacks(model);
  const services = model.services.map((s): CatalogService => ({
    key: s.key,
    description: s.description,
    retired: s.retired,
    owners: s.owners.map((o) => {
      const d = people.get(o)!;
      return { key: d.key, name: d.name, email: d.email, github: d.github };
    }),
    account: { email: s.account.email, ou: s.account.ou, segment: s.segment, vendedBy: vendingStackOf(p, originalKey(s)) },
    regions: [...s.regions],
    cidrs: s.regions.map((region) => ({ region, cidr: s.vpcCidrs[region]! })),
    kubernetes: {
      tenancy: s.kubernetes.tenancy,
      namespace: s.kubernetes.tenancy === "shared" ? s.namespace : undefined,
      clusters: s.kubernetes.tenancy === "dedicated"
        ? s.regions.map((region) => ({ region, name: dedicatedClusterName(originalKey(s), region) }))
        : [
          ...(onEks(s) ? s.regions.map((region) => ({ region, name: sharedClusterName(p, region) })) : []),
          // The GKE cluster is named by its GCP region and `gke-<name>`, as its workspaces' audience names it.
          ...(onGke(s) && p.gke ? [{ region: p.gke.region, name: gkeClusterKey(p) }] : []),
        ],
      quota: s.quota,
    },
    registries: (s.registry?.repositories ?? []).map((r) => s.registry!.kind === "gar"
      ? { kind: "gar" as const, name: garRepositoryId(originalKey(s), r), location: `${p.registry.gar?.location}-docker.pkg.dev/${p.registry.gar?.project}` }
      // Repositories live in the service's primary region (stacks/service-runtime.ts).
      : { kind: "ecr" as const, name: ecrRepositoryName(originalKey(s), r), location: `${s.regions[0]} (service account)` }),
    githubRepositories: sorted(s.githubRepositories),
    // stacks/service-teams.ts names the Datadog and PagerDuty teams like the GitHub team.
    teams: { github: serviceTeamSlug(s.key), datadog: serviceTeamSlug(s.key), pagerduty: serviceTeamSlug(s.key), slack: s.slack.handle, awsRole: teamRoleName(s.key) },
    workspaces: plan.filter((spec) => spec.service === s.key).map((spec) => spec.name),
  }));
  const developers = model.developers.map((d): CatalogDeveloper => ({
    key: d.key,
    name: d.name,
    email: d.email,
    github: d.github,
    slack: d.slack,
    approver: d.approver,
    githubAdmin: p.github.admins.includes(d.key),
    datadogRole: d.datadogRole,
    pagerdutyRole: d.pagerdutyRole,
    owns: model.services.filter((s) => s.owners.includes(d.key)).map((s) => s.key),
    onCall: model.services.filter((s) => onCallOf(s).includes(d.key)).map((s) => s.key),
  }));
  const accounts = sorted(Object.keys(p.organizationalUnits))
    .filter((ou) => p.organizationalUnits[ou]!.workloads)
    .map((ou) => ({ ou, segment: p.organizationalUnits[ou]!.segment ?? "", services: model.services.filter((s) => s.account.ou === ou).map((s) => s.key) }));
  return {
    organization: p.name,
    terraformCloud: { organization: p.terraformCloud.organization, project: p.terraformCloud.project },
    services,
    developers,
    accounts,
  };
}
