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
  /** How many teams own the services. */
  readonly teams: number;
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

/** Draws of one team: its size and how many services it owns. */
interface TeamShape {
  /** Members, 2 to 10 (three in four teams have 6 or more). */
  readonly size: number;
  /** Services it owns, 1 to 4. */
  readonly services: number;
}

/**
 * Team `j` of a seed: depends on nothing else, so a larger organization keeps every team. Teams
 * come in blocks of four that own 1, 2, 3 and 4 services in a shuffled order: 2.5 on average
 * and exactly 10 per block, so 40 services make 16 teams and 400 make 160.
 */
function teamShape(seed: number, j: number): TeamShape {
  const block = prng(seed * 15485863 + Math.floor(j / 4));
  const counts = [1, 2, 3, 4];
  for (let k = counts.length - 1; k > 0; k--) {
    const other = Math.floor(block() * (k + 1));
    [counts[k], counts[other]] = [counts[other]!, counts[k]!];
  }
  const rnd = prng(seed * 32452843 + j);
  // 10 - floor(9u^2): 2 to 10 people, 7.5 on average (DMM's 120 engineers in 16 teams).
  return { size: 10 - Math.floor(9 * rnd() ** 2), services: counts[j % 4]! };
}

/**
 * A synthetic organization shaped like a real one: developers work in teams of 2 to 10 people,
 * and each team owns 1 to 4 services (2.5 on average: DMM's 40 services make 16 teams and 10x's
 * 400 make 160), every member an owner. Members are consecutive developers, wrapping around
 * when a small organization has fewer developers than its teams need; with more, the rest own
 * no service (platform, management). Services are mostly prod, mostly on the shared cluster
 * (one in ten has a dedicated cluster), mostly in one region (one in four in two), mostly with
 * ECR (one in five on Google Artifact Registry), with one to three repositories. Every service
 * states its CIDRs (sequential /20s from wide per-region pools), so the result is valid at any
 * size. Service `i` depends only on `i`, the seed and the teams before it: a larger organization
 * is a superset of a smaller one with the same developers, which lets a benchmark measure the
 * blast radius of adding one service.
 */
export function generateOrg(base: PlatformInput, size: OrgSize): GeneratedOrg {
  const seed = size.seed ?? 1;
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
    const rnd = prng(seed * 7919 + i);
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
  let team = 0;
  let teamShapeNow = teamShape(seed, 0);
  let firstMember = 0;
  let ownedByTeam = 0;
  for (let i = 0; i < size.services; i++) {
    if (ownedByTeam === teamShapeNow.services) {
      firstMember += teamShapeNow.size;
      teamShapeNow = teamShape(seed, ++team);
      ownedByTeam = 0;
    }
    ownedByTeam++;
    const members = Math.min(teamShapeNow.size, developerKeys.length);
    const owners = Array.from({ length: members }, (_, m) => developerKeys[(firstMember + m) % developerKeys.length]!);
    const rnd = prng(seed * 104729 + i);
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
    const repoCount = 1 + Math.floor(rnd() * 3);
    services[key] = {
      description: `Synthetic service ${i} of team ${team}`,
      owners,
      account: { email: `aws+${key}@example.com`, ou: prod ? "workloads-prod" : "workloads-nonprod" },
      regions: svcRegions,
      network: { cidrs },
      kubernetes: { tenancy: rnd() < 0.9 ? "shared" : "dedicated" },
      registry: { kind: rnd() < 0.8 ? "ecr" : "gar", repositories: ["api", "worker", "batch"].slice(0, repoCount) },
      githubRepositories: [key],
      slack: { handle: `${key}-team` },
      // Chosen by index, not by the random stream, so the rest of a generated organization stays as it was.
      ...(i % 2 === 0 ? { infrastructure: { repository: key, directory: "terraform" } } : {}),
      ...(prod && i % 3 === 0 ? { access: { prod: "admin" as const } } : {}),
    };
  }
  return { platform, developers, services, teams: size.services === 0 ? 0 : team + 1 };
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
