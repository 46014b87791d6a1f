import type { Platform } from "../config/schema";

/*
 * The network's contract between stacks. The network-<region> stacks create the Transit
 * Gateway, its route tables and the association roles; service stacks (in other accounts)
 * find them by these names. No cross-stack references: the names are the contract.
 *
 * Segments: every segment has a TGW route table of its own. Attachments of segment S are
 * associated with S's table and propagate into the tables of every segment that may reach S,
 * and into the hub table. "shared" reaches every segment; any other two segments (prod and
 * nonprod) never reach each other. The hub table is associated with the egress VPC, the
 * inter-region peerings and Direct Connect, so return traffic finds every VPC.
 */

/** The segment that reaches, and is reached by, every other segment. */
export const SHARED_SEGMENT = "shared";
/** Name of the route table of the egress VPC, peerings and Direct Connect; not a segment name. */
export const HUB_TABLE = "hub";
/** Tags that mark the one kind of VPC allowed an internet gateway (guardrails/rules/no-internet-gateway.ts). */
export const EGRESS_VPC_TAGS = { "network-role": "egress" } as const;
/** Tags on a retired service's VPC: it keeps its data but is attached to nothing (guardrails/rules/service-vpc-attached.ts). */
export const RETIRED_VPC_TAGS = { retired: "true" } as const;
/**
 * Principals allowed to assume a segment's association role: the Terraform Cloud apply roles
 * the account bootstrap creates in every account (`tfc-apply-<workspace>`).
 */
export const APPLY_ROLE_PATTERN = "tfc-apply-*";
/** Principals allowed to assume a segment's read role: the plan roles (`tfc-plan-<workspace>`). */
export const PLAN_ROLE_PATTERN = "tfc-plan-*";

/**
 * Tag key the network account's view of a service's Transit Gateway attachment carries, with
 * the service's segment as value; segment association roles act only on their own segment's.
 */
export const SEGMENT_TAG = "segment";

/** `Name` tag of the Transit Gateway of a region; service stacks look it up by this. */
export function transitGatewayName(p: Platform, region: string): string {
  return `${p.name}-tgw-${region}`;
}

/** `Name` tag of a segment's (or the hub's) TGW route table. */
export function routeTableName(p: Platform, region: string, table: string): string {
  return `${p.name}-tgw-${region}-${table}`;
}

/** `Name` tag of the TGW peering attachment between two regions (order-independent). */
export function peeringName(p: Platform, a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return `${p.name}-tgw-peering-${x}-${y}`;
}

/** `Name` tag of the central egress VPC of a region. */
export function egressVpcName(p: Platform, region: string): string {
  return `${p.name}-egress-${region}`;
}

/**
 * IAM role in the network account that lets a service stack associate its own attachment
 * with its segment's route table (IAM is global, so the region is part of the name).
 */
export function associateRoleName(segment: string, region: string): string {
  return `tgw-associate-${segment}-${region}`;
}

export function associateRoleArn(p: Platform, segment: string, region: string): string {
  return `arn:aws:iam::${p.accounts.network.id}:role/${associateRoleName(segment, region)}`;
}

/**
 * Read-only twin of the association role: what a service stack's plan phase assumes in the
 * network account (plans run as the workspace's read-only plan role, which the association
 * role does not trust). Same name shape, so both always fit IAM's limit together.
 */
export function readRoleName(segment: string, region: string): string {
  return `tgw-read-${segment}-${region}`;
}

/** Every read-only twin of the network account, as an IAM resource pattern. */
export function readRoleArnPattern(p: Platform): string {
  return `arn:aws:iam::${p.accounts.network.id}:role/${readRoleName("*", "*")}`;
}

export function readRoleArn(p: Platform, segment: string, region: string): string {
  return `arn:aws:iam::${p.accounts.network.id}:role/${readRoleName(segment, region)}`;
}

/**
 * The log archive bucket that receives VPC flow logs of one region:
 * `<platform.name>-network-logs-<log archive account id>-<region>`. The account ID makes the
 * global bucket name unique; the region keeps the logs in the region they describe. The
 * log-archive-<region> stack owns the bucket and its policy for delivery.logs.amazonaws.com.
 */
export function networkLogBucketName(p: Platform, region: string): string {
  return `${p.name}-network-logs-${p.accounts.logArchive.id}-${region}`;
}

export function networkLogBucketArn(p: Platform, region: string): string {
  return `arn:aws:s3:::${networkLogBucketName(p, region)}`;
}

/**
 * Folder of the network logs bucket that VPC flow logs go to. Log delivery writes below it as
 * `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/...` (the
 * flow logs use Hive-compatible prefixes), so every account's logs have a prefix of their own
 * and other network logs (Transit Gateway flow logs, DNS query logs) can get folders beside it.
 */
export const FLOW_LOG_FOLDER = "vpc-flow-logs";

/** `log_destination` of every VPC flow log of a region: the region's network logs bucket and folder. */
export function flowLogDestinationArn(p: Platform, region: string): string {
  return `${networkLogBucketArn(p, region)}/${FLOW_LOG_FOLDER}/`;
}

/**
 * The shared cluster's VPC of a region (`Name` tag); it lives in the cluster account, joins
 * the `shared` segment, and every other segment reaches it.
 */
export function clusterVpcName(p: Platform, region: string): string {
  return `${p.name}-cluster-${region}`;
}

/** Whether attachments of segment `from` may reach VPCs of segment `to` (symmetric). */
export function reaches(from: string, to: string): boolean {
  return from === to || from === SHARED_SEGMENT || to === SHARED_SEGMENT;
}

/** Route tables an attachment of `segment` propagates into: every segment that reaches it, and the hub. */
export function propagationTables(p: Platform, segment: string): string[] {
  return [...p.network.segments.filter((t) => reaches(t, segment)).sort(), HUB_TABLE];
}

/** Organizational units whose accounts join `segment`, sorted. */
export function segmentOus(p: Platform, segment: string): string[] {
  return Object.entries(p.organizationalUnits).filter(([, ou]) => ou.segment === segment).map(([name]) => name).sort();
}

/**
 * Regions whose peering with `region` lives in `region`'s stack: every region listed before
 * it. The later stack owns the pair because it applies after the earlier one, so the peer's
 * Transit Gateway and route tables already exist when it looks them up.
 */
export function peersOwnedBy(p: Platform, region: string): string[] {
  return p.regions.slice(0, p.regions.indexOf(region as never));
}

/** Platform rules of the network contract (names that must stay valid and distinct). */
export function checkPlatformNetwork(p: Platform, file: string): Array<{ file: string; entry: string; field: string; value: unknown; message: string; fix: string }> {
  const problems: Array<{ file: string; entry: string; field: string; value: unknown; message: string; fix: string }> = [];
  p.network.segments.forEach((segment, i) => {
    const field = `network.segments.${i}`;
    if (segment === HUB_TABLE) problems.push({ file, entry: "", field, value: segment, message: `is the name of the route table of the egress VPC, peerings and Direct Connect`, fix: `name the segment otherwise, e.g. "${segment}-services"` });
    for (const region of p.regions) {
      const role = associateRoleName(segment, region);
      if (role.length > 64) problems.push({ file, entry: "", field, value: segment, message: `gives the IAM role name ${role}, longer than IAM's 64 characters`, fix: "shorten the segment name" });
    }
  });
  // S3 bucket names are at most 63 characters; the longest region name decides.
  const bucket = p.regions.map((r) => networkLogBucketName(p, r)).sort((a, b) => b.length - a.length)[0];
  if (bucket !== undefined && bucket.length > 63) {
    problems.push({ file, entry: "", field: "name", value: p.name, message: `gives the network logs bucket the name ${bucket}, longer than S3's 63 characters`, fix: `shorten the organization name to at most ${p.name.length - (bucket.length - 63)} characters` });
  }
  const seen = new Map<number, string>();
  for (const region of p.regions) {
    const asn = p.network.asns[region];
    if (asn === undefined) continue;
    const other = seen.get(asn);
    if (other) problems.push({ file, entry: "", field: `network.asns.${region}`, value: asn, message: `is also the ASN of ${other}'s Transit Gateway; peered Transit Gateways need distinct ASNs`, fix: "give each region's Transit Gateway its own private ASN (64512-65534)" });
    seen.set(asn, region);
  }
  return problems;
}

/** A static route in a segment's TGW route table: to an attachment, or a blackhole. */
export interface SegmentRoute {
  /** Route table (segment) the route is in. */
  readonly table: string;
  readonly cidr: string;
  readonly blackhole: boolean;
}

/**
 * Routes in the segment tables of `tableRegion` toward the pools of `poolRegion`. Within one
 * region they are the blackholes only: reachable VPCs arrive by propagation, and without a
 * blackhole an unreachable pool would match the default route and hairpin through the egress
 * NAT into the other segment. Toward a peered region, reachable pools route over the peering.
 */
export function segmentRoutes(p: Platform, tableRegion: string, poolRegion: string): SegmentRoute[] {
  const routes: SegmentRoute[] = [];
  const pools = p.network.pools[poolRegion] ?? {};
  for (const table of [...p.network.segments].sort()) {
    for (const target of Object.keys(pools).sort()) {
      const blackhole = !reaches(table, target);
      if (tableRegion === poolRegion && !blackhole) continue;
      routes.push({ table, cidr: pools[target]!, blackhole });
    }
  }
  return routes;
}
