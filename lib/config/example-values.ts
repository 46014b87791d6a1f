import type { OrganizationModel } from "./model";
import type { Problem } from "./problems";

/*
 * The example organization's values that a real organization must replace before its first
 * apply (README "Adopting it for your organization"). `npm run validate -- --strict`, which
 * the plan workflow runs, reports every one still in the config; without --strict the example
 * organization synthesizes as it is, so tests and demos keep working.
 */

/** The example organization's name, in every place a name of the organization is written. */
export const EXAMPLE_ORGANIZATION = "example";
/** The example's Google project of Artifact Registry. */
export const EXAMPLE_GOOGLE_PROJECT = "example-registry";
/** The example organization's GKE project. */
export const EXAMPLE_GKE_PROJECT = "example-gke";
/** The example's network pools and egress ranges, by region. */
export const EXAMPLE_NETWORK = {
  pools: {
    "ap-northeast-1": { prod: "10.16.0.0/12", nonprod: "10.32.0.0/12", shared: "10.48.0.0/16" },
    "ap-northeast-3": { prod: "10.64.0.0/12", nonprod: "10.80.0.0/12", shared: "10.96.0.0/16" },
  },
  egress: { "ap-northeast-1": "10.0.0.0/22", "ap-northeast-3": "10.0.4.0/22" },
} as const;

/**
 * Account IDs no real account has: the example's `1000000000nn`, AWS documentation's
 * `123456789012`, and twelve equal digits.
 */
export function isExampleAccountId(id: string): boolean {
  return /^1000000000\d\d$/.test(id) || id === "123456789012" || /^(\d)\1{11}$/.test(id);
}

/** Domains reserved for documentation (RFC 2606): example.com, .net, .org and their subdomains. */
export function isExampleDomain(domain: string): boolean {
  return /(^|\.)example\.(com|net|org)$/i.test(domain);
}

/** An email address at a documentation domain. */
export function isExampleEmail(email: string): boolean {
  const at = email.lastIndexOf("@");
  return at > 0 && isExampleDomain(email.slice(at + 1));
}

/** Where the config files are and how to read their text (to name the line of a value). */
export interface ConfigFiles {
  readonly platform: string;
  readonly developers: string;
  readonly service: (key: string) => string;
  /** The file's text, or undefined when it cannot be read (the problem then names no line). */
  readonly read?: (file: string) => string | undefined;
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
}

/**
 * Every example value still in a valid config, as problems naming the file (with the line of
 * the value when it can be found), the entry, the field, the value and what to write instead.
 */
export function exampleValueProblems(model: OrganizationModel, files: ConfigFiles): Problem[] {
  const problems: Problem[] = [];
  const lineOf = (file: string, needle: string): string => {
    const text = files.read?.(file);
    if (text === undefined || needle === "") return file;
    const index = text.split("\n").findIndex((l) => l.includes(needle));
    return index < 0 ? file : `${file}:${index + 1}`;
  };
  const add = (file: string, entry: string, field: string, value: unknown, what: string, fix: string, needle = typeof value === "string" ? value : "") =>
    problems.push({ file: lineOf(file, needle), entry, field, value, message: `is the example organization's ${what}`, fix });

  const p = model.platform;
  const pf = files.platform;
  if (p.name === EXAMPLE_ORGANIZATION) add(pf, "", "name", p.name, "name", "write your organization's short name; it prefixes the names of Transit Gateways, buckets and agent pools");
  for (const [key, account] of Object.entries(p.accounts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (isExampleAccountId(account.id)) add(pf, "", `accounts.${key}.id`, account.id, "account ID", `write the 12-digit ID of your ${key} account (AWS Organizations > AWS accounts)`);
    if (isExampleEmail(account.email)) add(pf, "", `accounts.${key}.email`, account.email, "email address", `write the root email address of your ${key} account, at your own domain`);
  }
  if (p.terraformCloud.organization === EXAMPLE_ORGANIZATION) add(pf, "", "terraformCloud.organization", p.terraformCloud.organization, "HCP Terraform organization", "write your HCP Terraform organization's name");
  if (p.github.organization === EXAMPLE_ORGANIZATION) add(pf, "", "github.organization", p.github.organization, "GitHub organization", "write your GitHub organization's login");
  if (p.tags.organization === EXAMPLE_ORGANIZATION) add(pf, "", "tags.organization", p.tags.organization, "organization tag", "write your organization's name, as it should appear on every resource's tag");
  const gar = p.registry.gar;
  if (gar?.project === EXAMPLE_GOOGLE_PROJECT) add(pf, "", "registry.gar.project", gar.project, "Google project", "write the ID of your Google Cloud project for Artifact Registry, or remove registry.gar if no service uses it");
  const poolProject = gar?.workloadIdentityPool.match(/^projects\/([^/]+)\//)?.[1];
  if (gar && poolProject !== undefined && isExampleAccountId(poolProject)) {
    add(pf, "", "registry.gar.workloadIdentityPool", gar.workloadIdentityPool, "workload identity pool", "write the full name of your pool: projects/<your project number>/locations/global/workloadIdentityPools/<pool id>");
  }
  if (p.gke?.project === EXAMPLE_GKE_PROJECT) add(pf, "", "gke.project", p.gke.project, "Google project", "write the ID of your Google Cloud project for the GKE cluster, or remove gke if no service runs on GKE");
  for (const region of p.regions) {
    const pools = p.network.pools[region];
    const examplePools = (EXAMPLE_NETWORK.pools as Record<string, unknown>)[region];
    if (pools !== undefined && examplePools !== undefined && stableJson(pools) === stableJson(examplePools)) {
      add(pf, "", `network.pools.${region}`, pools, "CIDR pools", "write the address ranges your network team assigns to this region's segments (they must not overlap your other networks)", Object.values(pools)[0] ?? "");
    }
    const egress = p.network.egress[region];
    if (egress !== undefined && egress === (EXAMPLE_NETWORK.egress as Record<string, string>)[region]) {
      add(pf, "", `network.egress.${region}`, egress, "egress CIDR", "write the range your network team assigns to this region's egress VPC");
    }
  }

  for (const d of model.developers) {
    if (isExampleEmail(d.email)) add(files.developers, d.key, "email", d.email, "developer email address", `write ${d.key}'s work email, or remove the example developers and add your own (npm run add-developer)`);
    if (d.google !== undefined && isExampleEmail(d.google)) add(files.developers, d.key, "google", d.google, "Google identity", `write ${d.key}'s Google account email, or remove the example developers and add your own`);
  }
  for (const s of model.services) {
    if (isExampleEmail(s.account.email)) add(files.service(s.key), s.key, "account.email", s.account.email, "account email address", "write the root email address of the service's account, at your own domain, or remove the example service");
  }
  return problems;
}
