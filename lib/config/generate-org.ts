import type { DeveloperInput, PlatformInput, ServiceInput } from "./schema";

/** Size and seed of a synthetic organization. */
export interface OrgSize {
  readonly developers: number;
  readonly services: number;
  /** Same seed, same organization. @default 1 */
  readonly seed?: number;
  /** Vending shards; fixed by the platform team, so keep it when comparing two sizes. @default - one per 50 services, at least 4 */
  readonly vendingShards?: number;
}

/** A generated organization in the shapes of the config files. */
export interface GeneratedOrg {
  readonly platform: PlatformInput;
  readonly developers: Record<string, DeveloperInput>;
  readonly services: Record<string, ServiceInput>;
}

/** Small deterministic PRNG (mulberry32): the same seed gives the same organization. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * A synthetic organization with a realistic spread: shared and dedicated tenancy, one or two
 * regions, one to three repositories, two to six owners, prod and nonprod. Every service
 * states its CIDRs (sequential /20s from wide per-region pools), so the result is valid at any
 * size. Service `i` depends only on `i` and the seed: a larger organization is a superset of a
 * smaller one, which lets a benchmark measure the blast radius of adding one service.
 */
export function generateOrg(base: PlatformInput, size: OrgSize): GeneratedOrg {
  const regions = base.regions.slice(0, 2);
  const shards = size.vendingShards ?? Math.max(4, Math.ceil(size.services / 50));
  const platform: PlatformInput = {
    ...base,
    regions,
    network: {
      ...base.network,
      // One /10 per region and segment: room for 1,024 /20 VPCs each.
      pools: Object.fromEntries(regions.map((r, ri) => [r, { prod: `10.${ri * 128}.0.0/10`, nonprod: `10.${ri * 128 + 64}.0.0/10`, shared: `172.${16 + ri}.0.0/16` }])),
      egress: Object.fromEntries(regions.map((r, ri) => [r, `192.168.${ri * 4}.0/22`])),
      onPremises: { cidrs: ["100.64.0.0/16"] },
      // The shared clusters' VPCs follow the generated shared pools.
      clusterCidrs: {},
    },
    terraformCloud: { ...base.terraformCloud, vendingShards: shards },
  };
  const datadogRoles = base.datadog.roles;
  // Only roles that can be on call, so every generated service has an escalation target.
  const pagerdutyRoles = base.pagerduty.roles.filter((r) => r === "user" || r === "limited_user");

  const devWidth = String(size.developers).length;
  const developerKeys: string[] = [];
  const developers: Record<string, DeveloperInput> = {};
  for (let i = 0; i < size.developers; i++) {
    const rnd = prng((size.seed ?? 1) * 7919 + i);
    const key = `dev${pad(i, devWidth)}`;
    developerKeys.push(key);
    developers[key] = {
      name: `Developer ${i}`,
      email: `${key}@example.com`,
      github: `gh-${key}`,
      slack: `U${pad(i, 8)}`,
      datadogRole: datadogRoles[Math.floor(rnd() * datadogRoles.length)]!,
      pagerdutyRole: pagerdutyRoles[Math.floor(rnd() * pagerdutyRoles.length)]!,
      approver: i % 10 === 0,
    };
  }
  platform.github = { ...base.github, admins: developerKeys.slice(0, 1), platformTeamMembers: developerKeys.slice(0, 2) };

  const svcWidth = Math.max(3, String(size.services).length);
  const services: Record<string, ServiceInput> = {};
  for (let i = 0; i < size.services; i++) {
    const rnd = prng((size.seed ?? 1) * 104729 + i);
    const key = `svc${pad(i, svcWidth)}`;
    const prod = rnd() < 0.6;
    const svcRegions = rnd() < 0.25 && regions.length > 1 ? regions : [regions[0]!];
    const cidrs: Record<string, string> = {};
    for (const r of svcRegions) {
      const ri = regions.indexOf(r);
      // Slot = service index: stable whatever other services exist.
      const slot = i;
      const second = (prod ? 0 : 64) + ri * 128 + Math.floor(slot / 16);
      cidrs[r] = `10.${second}.${(slot % 16) * 16}.0/20`;
    }
    const ownerCount = 2 + Math.floor(rnd() * 5);
    const owners = [...new Set(Array.from({ length: ownerCount }, () => developerKeys[Math.floor(rnd() * developerKeys.length)]!))];
    const repoCount = 1 + Math.floor(rnd() * 3);
    services[key] = {
      description: `Synthetic service ${i}`,
      owners,
      account: { email: `aws+${key}@example.com`, ou: prod ? "workloads-prod" : "workloads-nonprod" },
      regions: svcRegions,
      network: { cidrs },
      kubernetes: { tenancy: rnd() < 0.7 ? "shared" : "dedicated" },
      registry: { kind: rnd() < 0.9 ? "ecr" : "gar", repositories: ["api", "worker", "batch"].slice(0, repoCount) },
      githubRepositories: [key],
      slack: { handle: `${key}-team` },
      // Chosen by index, not by the random stream, so the rest of a generated organization stays as it was.
      ...(i % 2 === 0 ? { infrastructure: { repository: key, directory: "terraform" } } : {}),
      ...(prod && i % 3 === 0 ? { access: { prod: "admin" as const } } : {}),
    };
  }
  return { platform, developers, services };
}

/** The files of a generated organization, relative to the config directory. */
export function renderOrgFiles(org: GeneratedOrg, defineModule: string): Record<string, string> {
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  const files: Record<string, string> = {
    "platform.ts": `import { definePlatform } from ${JSON.stringify(defineModule)};\nexport default definePlatform(${json(org.platform)});\n`,
    "developers.ts": `import { defineDevelopers } from ${JSON.stringify(defineModule)};\nexport default defineDevelopers(${json(org.developers)});\n`,
  };
  const keys = Object.keys(org.services).sort();
  files["services.ts"] = [
    ...keys.map((k, i) => `import s${i} from "./services/${k}.js";`),
    `export default {`,
    ...keys.map((k, i) => `  ${JSON.stringify(k)}: s${i},`),
    `};`,
    "",
  ].join("\n");
  for (const k of keys) {
    files[`services/${k}.ts`] = `import { defineService } from ${JSON.stringify(defineModule)};\nexport default defineService(${json(org.services[k])});\n`;
  }
  return files;
}
