import { fnv1a } from "./stack-plan";
import type { Platform } from "../config/schema";

/*
 * IPv4 CIDR arithmetic for the address plan. Pure: no cdktf, no config, no I/O.
 * Addresses are unsigned 32-bit numbers; a block is its first address and its prefix length.
 */

/** One IPv4 block. `start` is the first address as an unsigned 32-bit number. */
export interface Block {
  readonly start: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/nn"; undefined when malformed. Host bits are kept (see `isNetworkAddress`). */
export function parseCidr(text: string): Block | undefined {
  const m = CIDR.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { start: ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0, prefix };
}

/** Number of addresses in a block of this prefix length. */
export function sizeOf(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The last address of a block. */
export function endOf(b: Block): number {
  return b.start + sizeOf(b.prefix) - 1;
}

/** The block with its host bits cleared: what "10.16.1.0/20" should have been written as. */
export function networkOf(b: Block): Block {
  return { start: b.start - (b.start % sizeOf(b.prefix)), prefix: b.prefix };
}

/** Whether the address is the block's network address (no host bits set). */
export function isNetworkAddress(b: Block): boolean {
  return b.start % sizeOf(b.prefix) === 0;
}

export function formatCidr(b: Block): string {
  const s = b.start;
  return `${s >>> 24}.${(s >>> 16) & 255}.${(s >>> 8) & 255}.${s & 255}/${b.prefix}`;
}

export function overlaps(a: Block, b: Block): boolean {
  return a.start <= endOf(b) && b.start <= endOf(a);
}

/** Whether `inner` lies entirely inside `outer`. */
export function contains(outer: Block, inner: Block): boolean {
  return inner.prefix >= outer.prefix && inner.start >= outer.start && endOf(inner) <= endOf(outer);
}

/** How many blocks of `prefix` a pool holds (0 when the pool is smaller than one block). */
export function slotCount(pool: Block, prefix: number): number {
  return prefix < pool.prefix ? 0 : 2 ** (prefix - pool.prefix);
}

/** The `index`-th block of `prefix` inside the pool. */
export function slot(pool: Block, prefix: number, index: number): Block {
  return { start: networkOf(pool).start + index * sizeOf(prefix), prefix };
}

/** Bits needed to give each of `count` parts a power-of-two share of a block. */
export function bitsFor(count: number): number {
  return Math.ceil(Math.log2(Math.max(1, count)));
}

/**
 * Splits a block into `count` equal subnets (the next power of two, first `count` used).
 * Subnet i is always the same block for the same VPC and count, so adding nothing moves nothing.
 */
export function split(b: Block, count: number): Block[] {
  const prefix = b.prefix + bitsFor(count);
  return Array.from({ length: count }, (_, i) => slot(b, prefix, i));
}

/** AWS VPCs and subnets take prefixes from /16 to /28. */
export const VPC_MIN_PREFIX = 16;
export const SUBNET_MAX_PREFIX = 28;

/**
 * The slot a service gets in a pool: a hash of its own key and nothing else, so adding or
 * removing another service can never move it. The same key gets the same slot offset in
 * every region's pool (payments is the 37th /20 of its pool everywhere), which keeps the
 * plan readable. The hash is salted so slots do not line up with vending shards.
 */
export function slotIndex(key: string, slots: number): number {
  let h = fnv1a(`vpc-cidr:${key}`);
  // fmix32 from MurmurHash3: FNV-1a's low bits alone spread poorly over power-of-two sizes.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) % slots;
}

/** The block a service is allocated from a pool, or undefined when the pool holds none. */
export function allocate(key: string, pool: Block, prefix: number): Block | undefined {
  const slots = slotCount(pool, prefix);
  return slots === 0 ? undefined : slot(pool, prefix, slotIndex(key, slots));
}

/**
 * The first block of `prefix` in the pool, scanning from slot `from` and wrapping around,
 * that overlaps none of `taken`; undefined when the pool is exhausted.
 */
export function firstFree(pool: Block, prefix: number, taken: readonly Block[], from = 0): Block | undefined {
  const slots = slotCount(pool, prefix);
  const inPool = taken.filter((t) => overlaps(t, pool));
  for (let i = 0; i < slots; i++) {
    const candidate = slot(pool, prefix, (from + i) % slots);
    if (!inPool.some((t) => overlaps(t, candidate))) return candidate;
  }
  return undefined;
}

/* ------------------------------------------------------------------------------------------
 * The address plan: which CIDR each VPC has, and the rules that keep VPCs apart.
 *
 * A service either states `network.cidrs[region]` or is allocated the slot `slotIndex(key)`
 * of the pool for its segment and region (a /`servicePrefixLength`). The allocation depends
 * on the service's own key only, so adding or removing another service never moves it. Two
 * services can hash to the same slot: that is a validation error naming both, with a free
 * CIDR to state instead (the service being added states it; the deployed one stays).
 * ---------------------------------------------------------------------------------------- */

/** The network facts of one service that the plan needs. */
export interface ServiceAddressing {
  readonly key: string;
  /** Config file of the service, as shown in messages. */
  readonly file: string;
  readonly segment: string;
  readonly regions: readonly string[];
  /** CIDRs the service states, by region. */
  readonly cidrs: Readonly<Record<string, string>>;
  /** The key the allocation hashes: a renamed service's previous key, so its VPC never moves. @default - key */
  readonly hashKey?: string;
  /** New or changed in the change being checked: an overlap with an unchanged service is filed here. @default false */
  readonly changed?: boolean;
}

/** The pool a segment allocates from in a region, parsed; undefined when there is none. */
export function poolOf(p: Platform, region: string, segment: string): Block | undefined {
  const text = p.network.pools[region]?.[segment];
  const b = text === undefined ? undefined : parseCidr(text);
  return b && networkOf(b);
}

/**
 * The VPC CIDR of a service in each of its regions: stated, or allocated from its pool.
 * Regions without a usable pool are left out (validation reports them).
 */
export function serviceVpcCidrs(p: Platform, s: Pick<ServiceAddressing, "key" | "segment" | "regions" | "cidrs" | "hashKey">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const region of s.regions) {
    const stated = s.cidrs[region];
    if (stated !== undefined) {
      out[region] = stated;
      continue;
    }
    const pool = poolOf(p, region, s.segment);
    const block = pool && allocate(s.hashKey ?? s.key, pool, p.network.servicePrefixLength);
    if (block) out[region] = formatCidr(block);
  }
  return out;
}

/**
 * Prefix of the shared cluster's VPC when it is allocated from the shared pool. The VPC CNI
 * gives every pod an address of the node's subnet, so the cluster VPC is far larger than a
 * service VPC: a /18 over two AZs leaves about 8,000 addresses per AZ for nodes and pods.
 */
export const CLUSTER_VPC_PREFIX = 18;

/** The segment whose pool the shared cluster's VPC comes from (see `lib/plan/network.ts` SHARED_SEGMENT). */
const CLUSTER_SEGMENT = "shared";

/**
 * The VPC CIDR of the shared cluster of a region: `network.clusterCidrs[region]` when stated,
 * else the first /CLUSTER_VPC_PREFIX of the region's shared pool (the whole pool when it is
 * smaller). Undefined when neither exists (validation reports it). The first block is chosen,
 * not a hashed one, so services allocated from the shared pool by hash are told which block
 * is taken, and the cluster VPC never moves when the pool grows at its end.
 */
export function clusterVpcCidr(p: Platform, region: string): string | undefined {
  const stated = p.network.clusterCidrs[region];
  if (stated !== undefined) return stated;
  const pool = poolOf(p, region, CLUSTER_SEGMENT);
  return pool && formatCidr(slot(pool, Math.max(CLUSTER_VPC_PREFIX, pool.prefix), 0));
}

/** A problem of the address plan, in the shape of `lib/config/problems.ts` `Problem`. */
export interface AddressProblem {
  readonly file: string;
  readonly entry: string;
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
  readonly fix: string;
}

/** Largest prefix a VPC may have when it is split into one subnet per AZ (subnets are at most /28). */
export function maxVpcPrefix(subnetsPerVpc: number): number {
  return SUBNET_MAX_PREFIX - bitsFor(subnetsPerVpc);
}

function describePool(pool: Block, prefix: number): string {
  const n = slotCount(pool, prefix);
  return `${formatCidr(pool)} (a /${pool.prefix}, room for ${n} VPC${n === 1 ? "" : "s"} of /${prefix})`;
}

/** Rules on the platform's own address space: pools, egress VPCs, on-premises ranges. */
export function checkPlatformAddresses(p: Platform, file: string): AddressProblem[] {
  const problems: AddressProblem[] = [];
  const report = (field: string, value: unknown, message: string, fix: string) => problems.push({ file, entry: "", field, value, message, fix });
  const azs = p.network.availabilityZones;
  const claims: Claim[] = [];
  const add = (field: string, text: string, kind: Claim["kind"]) => {
    const b = parseCidr(text);
    if (!b) return undefined;
    if (!isNetworkAddress(b)) report(field, text, "has host bits set", `write it as "${formatCidr(networkOf(b))}"`);
    claims.push({ file, entry: "", field, block: networkOf(b), kind, text: `${file} ${field} ${text}` });
    return networkOf(b);
  };
  for (const region of Object.keys(p.network.pools).sort()) {
    for (const [segment, text] of Object.entries(p.network.pools[region]!).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const pool = add(`network.pools.${region}.${segment}`, text, "platform");
      if (pool && slotCount(pool, p.network.servicePrefixLength) === 0) {
        report(`network.pools.${region}.${segment}`, text, `holds no /${p.network.servicePrefixLength} VPC (network.servicePrefixLength); it is a /${pool.prefix} of ${sizeOf(pool.prefix)} addresses`, `give the pool a prefix of /${p.network.servicePrefixLength} or shorter, e.g. /12 for 256 VPCs`);
      }
    }
  }
  for (const region of Object.keys(p.network.egress).sort()) {
    const text = p.network.egress[region]!;
    const b = add(`network.egress.${region}`, text, "platform");
    // The egress VPC has a public and a private subnet per AZ.
    if (b && (b.prefix < VPC_MIN_PREFIX || b.prefix > maxVpcPrefix(2 * azs))) {
      report(`network.egress.${region}`, text, `is a /${b.prefix}; an egress VPC with a public and a private subnet in each of ${azs} AZs needs a prefix from /${VPC_MIN_PREFIX} to /${maxVpcPrefix(2 * azs)}`, `use a block from /${VPC_MIN_PREFIX} to /${maxVpcPrefix(2 * azs)}, e.g. a /22`);
    }
  }
  p.network.onPremises.cidrs.forEach((text, i) => add(`network.onPremises.cidrs.${i}`, text, "platform"));
  problems.push(...checkClusterAddresses(p, file));
  if (p.network.servicePrefixLength > maxVpcPrefix(azs)) {
    report("network.servicePrefixLength", p.network.servicePrefixLength, `does not fit ${azs} AZs: each AZ's subnet would be smaller than /${SUBNET_MAX_PREFIX}`, `use at most ${maxVpcPrefix(azs)}, or fewer network.availabilityZones`);
  }
  for (const [a, b] of overlappingPairs(claims)) {
    report(b.field, formatCidr(b.block), `${b.text} overlaps ${a.text}`, "give every pool, egress VPC and on-premises range its own address space");
  }
  return problems;
}

/**
 * Rules on the shared clusters' VPCs: one per region, stated or allocated, well-formed, big
 * enough for a subnet per AZ and inside the region's shared pool. Inside the pool because the
 * pool is what the other segments' routes, the egress return routes and the peerings cover; a
 * cluster VPC outside it would be unreachable. Overlaps with services are checked with theirs
 * (`checkVpcOverlaps`); the pools keep it apart from egress VPCs and on-premises ranges.
 */
function checkClusterAddresses(p: Platform, file: string): AddressProblem[] {
  const problems: AddressProblem[] = [];
  const report = (field: string, value: unknown, message: string, fix: string) => problems.push({ file, entry: "", field, value, message, fix });
  const azs = p.network.availabilityZones;
  if (!p.network.segments.includes(CLUSTER_SEGMENT)) {
    report("network.segments", p.network.segments, `lacks "${CLUSTER_SEGMENT}", the segment the shared clusters' VPCs join so that every other segment reaches them`, `add "${CLUSTER_SEGMENT}" to network.segments`);
  }
  for (const region of Object.keys(p.network.clusterCidrs).sort()) {
    if (!p.regions.includes(region as never)) report(`network.clusterCidrs.${region}`, region, "is a cluster VPC for a region the platform does not use", "remove it or add the region to regions");
  }
  for (const region of p.regions) {
    const field = `network.clusterCidrs.${region}`;
    const poolField = `network.pools.${region}.${CLUSTER_SEGMENT}`;
    const pool = poolOf(p, region, CLUSTER_SEGMENT);
    const stated = p.network.clusterCidrs[region];
    if (stated === undefined) {
      if (!pool) report(field, undefined, `is missing, and there is no ${CLUSTER_SEGMENT} pool in ${region} to allocate the shared cluster's VPC from`, `add ${poolField} (e.g. a /16), or state ${field} inside it`);
      continue;
    }
    const b = parseCidr(stated);
    if (!b) continue; // the schema reported it
    if (!isNetworkAddress(b)) {
      report(field, stated, `has host bits set (${formatCidr(networkOf(b))} is the network it lies in)`, `write "${formatCidr(networkOf(b))}"`);
      continue;
    }
    if (b.prefix < VPC_MIN_PREFIX || b.prefix > maxVpcPrefix(azs)) {
      report(field, stated, `is a /${b.prefix}; the cluster VPC with one subnet in each of ${azs} AZs needs a prefix from /${VPC_MIN_PREFIX} to /${maxVpcPrefix(azs)}`, `use a block from /${VPC_MIN_PREFIX} to /${maxVpcPrefix(azs)}, e.g. a /${CLUSTER_VPC_PREFIX}`);
      continue;
    }
    if (!pool) report(field, stated, `has no ${CLUSTER_SEGMENT} pool in ${region} to lie in`, `add ${poolField} containing it`);
    else if (!contains(pool, b)) report(field, stated, `is outside the ${CLUSTER_SEGMENT} pool of ${region}, ${formatCidr(pool)} (${poolField}); only the pools are routed from the other segments, the egress and the peerings`, `choose a block inside ${formatCidr(pool)}, or leave it out to use ${formatCidr(slot(pool, Math.max(CLUSTER_VPC_PREFIX, pool.prefix), 0))}`);
  }
  return problems;
}

/** Per-service rules that need no other service: stated CIDRs are well-formed, fit and lie in the pool. */
export function checkServiceAddresses(p: Platform, s: ServiceAddressing): AddressProblem[] {
  const problems: AddressProblem[] = [];
  const report = (field: string, value: unknown, message: string, fix: string) => problems.push({ file: s.file, entry: s.key, field, value, message, fix });
  const azs = p.network.availabilityZones;
  const prefix = p.network.servicePrefixLength;
  for (const region of s.regions) {
    if (!p.regions.includes(region as never)) continue;
    const field = `network.cidrs.${region}`;
    const pool = poolOf(p, region, s.segment);
    const poolField = `network.pools.${region}.${s.segment}`;
    const stated = s.cidrs[region];
    if (stated === undefined) {
      if (!pool) report(field, undefined, `is missing, and the platform has no ${s.segment} pool in ${region} to allocate it from`, `state a /${prefix} VPC CIDR for ${region}, or ask the platform team to add ${poolField} to config/platform.ts`);
      continue;
    }
    const b = parseCidr(stated);
    if (!b) continue; // the schema reported it
    const suggestion = pool && allocate(s.hashKey ?? s.key, pool, prefix);
    const orAllocate = suggestion ? `, or remove it to be allocated ${formatCidr(suggestion)}` : "";
    if (!isNetworkAddress(b)) {
      report(field, stated, `has host bits set (${formatCidr(networkOf(b))} is the network it lies in)`, `write "${formatCidr(networkOf(b))}"${orAllocate}`);
      continue;
    }
    if (b.prefix < VPC_MIN_PREFIX || b.prefix > maxVpcPrefix(azs)) {
      report(field, stated, `is a /${b.prefix}; a VPC with one subnet in each of ${azs} AZs needs a prefix from /${VPC_MIN_PREFIX} to /${maxVpcPrefix(azs)}`, `use a /${prefix} (the platform's size for service VPCs)${orAllocate}`);
      continue;
    }
    if (!pool) {
      report(field, stated, `has no ${s.segment} pool in ${region} to lie in`, `ask the platform team to add ${poolField} to config/platform.ts`);
    } else if (!contains(pool, b)) {
      report(field, stated, `is outside the ${s.segment} pool of ${region}, ${formatCidr(pool)} (config/platform.ts ${poolField}); the segment's routes only cover its pool`, `choose a block inside ${formatCidr(pool)}${orAllocate}`);
    }
  }
  return problems;
}

interface Claim {
  readonly file: string;
  readonly entry: string;
  readonly field: string;
  readonly block: Block;
  /** platform ranges are fixed; stated CIDRs were chosen by a person; allocated ones by hash. */
  readonly kind: "platform" | "stated" | "allocated";
  /** "<file> <field> <cidr>" as shown in messages. */
  readonly text: string;
  readonly key?: string;
  readonly region?: string;
  readonly segment?: string;
  /** The service is new or changed in the change being checked. */
  readonly changed?: boolean;
}

/** Every pair of overlapping claims, each pair once, in address order. */
function overlappingPairs(claims: readonly Claim[]): Array<[Claim, Claim]> {
  const sorted = [...claims].sort((a, b) => a.block.start - b.block.start || a.block.prefix - b.block.prefix || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const pairs: Array<[Claim, Claim]> = [];
  for (let i = 0; i < sorted.length; i++) {
    const end = endOf(sorted[i]!.block);
    for (let j = i + 1; j < sorted.length && sorted[j]!.block.start <= end; j++) pairs.push([sorted[i]!, sorted[j]!]);
  }
  return pairs;
}

const RANK: Record<Claim["kind"], number> = { platform: 0, stated: 1, allocated: 2 };

/**
 * Cross-entry rule: no two VPCs (services, egress VPCs) overlap each other or an on-premises
 * range, in any region (peered regions route to each other). Each overlap is reported once,
 * on the entry that should move: a service before the platform, a new or changed service before
 * one already deployed (its VPC cannot move), an allocated CIDR before a stated one (stating a
 * CIDR is how an allocation collision is resolved), else the later key.
 * The fix names a free block of the pool; fixes are handed out in order, so applying all of
 * them leaves no overlap.
 */
export function checkVpcOverlaps(p: Platform, platformFile: string, services: readonly ServiceAddressing[]): AddressProblem[] {
  const claims: Claim[] = [];
  for (const region of Object.keys(p.network.egress).sort()) {
    const b = parseCidr(p.network.egress[region]!);
    if (b) claims.push({ file: platformFile, entry: "", field: `network.egress.${region}`, block: networkOf(b), kind: "platform", text: `${platformFile} network.egress.${region} ${p.network.egress[region]}` });
  }
  p.network.onPremises.cidrs.forEach((text, i) => {
    const b = parseCidr(text);
    if (b) claims.push({ file: platformFile, entry: "", field: `network.onPremises.cidrs.${i}`, block: networkOf(b), kind: "platform", text: `${platformFile} network.onPremises.cidrs.${i} ${text} (on-premises)` });
  });
  for (const region of p.regions) {
    // Only a valid cluster VPC takes part; checkClusterAddresses reports the others.
    const text = clusterVpcCidr(p, region);
    const b = text === undefined ? undefined : parseCidr(text);
    if (!b || checkClusterAddresses(p, platformFile).some((x) => x.field === `network.clusterCidrs.${region}`)) continue;
    const stated = p.network.clusterCidrs[region] !== undefined;
    claims.push({ file: platformFile, entry: "", field: `network.clusterCidrs.${region}`, block: b, kind: "platform", text: `${platformFile} network.clusterCidrs.${region}${stated ? "" : " (allocated)"} ${text} (the shared cluster's VPC)` });
  }
  for (const s of services) {
    const cidrs = serviceVpcCidrs(p, s);
    for (const region of s.regions) {
      const text = cidrs[region];
      const b = text === undefined ? undefined : parseCidr(text);
      // Only blocks that passed the per-service rules take part; the others are reported already.
      if (!b || checkServiceAddresses(p, { ...s, regions: [region] }).length > 0) continue;
      const kind = s.cidrs[region] === undefined ? "allocated" : "stated";
      const field = `network.cidrs.${region}`;
      claims.push({ file: s.file, entry: s.key, field, block: b, kind, key: s.key, region, segment: s.segment, changed: s.changed === true, text: `${s.file} ${field}${kind === "allocated" ? " (allocated)" : ""} ${text}` });
    }
  }

  const problems: AddressProblem[] = [];
  const taken = claims.map((c) => c.block);
  const suggestions = new Map<string, Block | undefined>();
  const suggest = (c: Claim): Block | undefined => {
    const id = `${c.key}\u0000${c.region}`;
    if (!suggestions.has(id)) {
      const pool = poolOf(p, c.region!, c.segment!)!;
      const free = firstFree(pool, c.block.prefix, taken, slotIndex(c.key!, Math.max(1, slotCount(pool, c.block.prefix))));
      if (free) taken.push(free);
      suggestions.set(id, free);
    }
    return suggestions.get(id);
  };
  for (const [a, b] of overlappingPairs(claims)) {
    if (a.kind === "platform" && b.kind === "platform") continue; // checkPlatformAddresses reports these
    const bothServices = a.kind !== "platform" && b.kind !== "platform";
    const byChange = bothServices && a.changed !== b.changed;
    const [moved, kept] = byChange ? (a.changed ? [a, b] : [b, a])
      : RANK[a.kind] > RANK[b.kind] || (RANK[a.kind] === RANK[b.kind] && a.entry > b.entry) ? [a, b] : [b, a];
    const pool = poolOf(p, moved.region!, moved.segment!)!;
    const free = suggest(moved);
    const where = `the ${moved.segment} pool of ${moved.region}, ${describePool(pool, moved.block.prefix)}`;
    const other = kept.kind === "platform" || byChange ? "" : `; if ${kept.file} is the service being added, move that one instead (a deployed VPC's CIDR cannot change without replacing the VPC)`;
    problems.push(free
      ? { file: moved.file, entry: moved.entry, field: moved.field, value: formatCidr(moved.block), message: `${moved.text} overlaps ${kept.text}`, fix: `state network.cidrs.${moved.region}: "${formatCidr(free)}" in ${moved.file}, a free block of ${where}${other}` }
      : { file: moved.file, entry: moved.entry, field: moved.field, value: formatCidr(moved.block), message: `${moved.text} overlaps ${kept.text}, and ${where} is exhausted: no /${moved.block.prefix} of it is free`, fix: `ask the platform team to add address space for ${moved.segment} in ${moved.region} (config/platform.ts network.pools.${moved.region}.${moved.segment})` });
  }
  return problems;
}

/** Subnets of a service VPC: one private subnet per AZ, in AZ order. */
export function serviceSubnets(cidr: string, azs: number): string[] {
  return split(networkOf(parseCidr(cidr)!), azs).map(formatCidr);
}

/** Subnets of an egress VPC: the first half public (NAT), the second private (TGW attachment). */
export function egressSubnets(cidr: string, azs: number): { readonly public: string[]; readonly private: string[] } {
  const all = split(networkOf(parseCidr(cidr)!), 2 * azs).map(formatCidr);
  return { public: all.slice(0, azs), private: all.slice(azs) };
}
