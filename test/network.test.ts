import { describe, expect, it } from "vitest";
import { contains, parseCidr } from "../lib/plan/cidr";
import { validate } from "../lib/config/validate";
import { service } from "./network-helpers.js";
import { exampleModel, exampleStacks, exampleRaw, resources, synthStacks, withService } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const networkStacks = ["network-ap-northeast-1", "network-ap-northeast-3"];
const one = (stack: any, type: string) => {
  const all = Object.values(resources(stack, type));
  expect(all).toHaveLength(1);
  return all[0] as any;
};
const tableRef = (stack: any, segment: string) => {
  const [name] = Object.entries(resources(stack, "aws_ec2_transit_gateway_route_table")).find(([, t]: [string, any]) => t.tags.segment === segment)!;
  return `\${aws_ec2_transit_gateway_route_table.${name}.id}`;
};
const routesIn = (stack: any, segment: string) => Object.values(resources(stack, "aws_ec2_transit_gateway_route")).filter((r: any) => r.transit_gateway_route_table_id === tableRef(stack, segment)) as any[];

describe("network stacks", () => {
  it("hold a Transit Gateway per region that auto-accepts shared attachments and associates nothing by default", () => {
    for (const name of networkStacks) {
      const region = name.replace("network-", "");
      expect(one(stacks[name], "aws_ec2_transit_gateway")).toMatchObject({
        auto_accept_shared_attachments: "enable",
        default_route_table_association: "disable",
        default_route_table_propagation: "disable",
        tags: { Name: `example-tgw-${region}` },
      });
    }
  });

  it("share the Transit Gateway with the organization through RAM, never outside it", () => {
    const s = stacks["network-ap-northeast-1"];
    expect(one(s, "aws_ram_resource_share")).toMatchObject({ allow_external_principals: false });
    expect(one(s, "aws_ram_resource_association").resource_arn).toMatch(/^\$\{aws_ec2_transit_gateway\..*\.arn\}$/);
    expect(one(s, "aws_ram_principal_association").principal).toBe("${data.aws_organizations_organization.organization.arn}");
  });

  it("have one route table per segment plus the hub, named for lookup", () => {
    const tables = Object.values(resources(stacks["network-ap-northeast-1"], "aws_ec2_transit_gateway_route_table")).map((t: any) => t.tags.Name).sort();
    expect(tables).toEqual(["example-tgw-ap-northeast-1-hub", "example-tgw-ap-northeast-1-nonprod", "example-tgw-ap-northeast-1-prod", "example-tgw-ap-northeast-1-shared"]);
  });

  it("have an egress VPC with a NAT gateway and public subnet per AZ and flow logs of all traffic to the log archive", () => {
    const s = stacks["network-ap-northeast-1"];
    const vpc = Object.values(resources(s, "aws_vpc")) as any[];
    expect(vpc).toEqual([expect.objectContaining({ cidr_block: "10.0.0.0/22", tags: expect.objectContaining({ "network-role": "egress" }) })]);
    expect(Object.keys(resources(s, "aws_nat_gateway"))).toHaveLength(2);
    expect(Object.keys(resources(s, "aws_internet_gateway"))).toHaveLength(1);
    expect(one(s, "aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination_type: "s3", log_destination: "arn:aws:s3:::example-network-logs-100000000002-ap-northeast-1/vpc-flow-logs/" });
    expect(one(s, "aws_ec2_transit_gateway_vpc_attachment")).toMatchObject({ transit_gateway_default_route_table_association: false, transit_gateway_default_route_table_propagation: false });
  });

  it("send every segment's default route to the egress attachment", () => {
    const s = stacks["network-ap-northeast-1"];
    const [egressAttachment] = Object.keys(resources(s, "aws_ec2_transit_gateway_vpc_attachment"));
    for (const segment of ["prod", "nonprod", "shared"]) {
      expect(routesIn(s, segment)).toContainEqual(expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", transit_gateway_attachment_id: `\${aws_ec2_transit_gateway_vpc_attachment.${egressAttachment}.id}` }));
    }
  });

  it("blackhole the other segment's pool so prod and nonprod cannot reach each other through the egress", () => {
    const s = stacks["network-ap-northeast-1"];
    expect(routesIn(s, "prod")).toContainEqual(expect.objectContaining({ destination_cidr_block: "10.32.0.0/12", blackhole: true }));
    expect(routesIn(s, "nonprod")).toContainEqual(expect.objectContaining({ destination_cidr_block: "10.16.0.0/12", blackhole: true }));
    expect(routesIn(s, "shared").filter((r) => r.blackhole && r.destination_cidr_block.startsWith("10."))).toEqual([]);
  });

  it("route on-premises ranges nowhere without Direct Connect, rather than towards the internet", () => {
    for (const segment of ["prod", "nonprod", "shared"]) {
      expect(routesIn(stacks["network-ap-northeast-1"], segment)).toContainEqual(expect.objectContaining({ destination_cidr_block: "192.168.0.0/16", blackhole: true }));
    }
    expect(resources(stacks["network-ap-northeast-1"], "aws_dx_gateway_association")).toEqual({});
  });

  it("route on-premises ranges to the Direct Connect gateway when one is configured", () => {
    const raw = exampleRaw();
    raw.platform.network.onPremises.directConnectGatewayId = "dxgw-0123456789abcdef";
    const s = synthStacks(validate(raw), new Set(["network-ap-northeast-1"]))["network-ap-northeast-1"];
    expect(one(s, "aws_dx_gateway_association")).toMatchObject({ dx_gateway_id: "dxgw-0123456789abcdef", allowed_prefixes: expect.arrayContaining(["10.16.0.0/12", "10.0.0.0/22"]) });
    expect(routesIn(s, "prod")).toContainEqual({ destination_cidr_block: "192.168.0.0/16", transit_gateway_attachment_id: expect.stringContaining("data.aws_ec2_transit_gateway_dx_gateway_attachment"), transit_gateway_route_table_id: expect.any(String), "//": expect.anything() });
  });

  it("peer the two regions once, from the later region's stack, with static routes for the peer's pools", () => {
    expect(resources(stacks["network-ap-northeast-1"], "aws_ec2_transit_gateway_peering_attachment")).toEqual({});
    const s = stacks["network-ap-northeast-3"];
    expect(one(s, "aws_ec2_transit_gateway_peering_attachment")).toMatchObject({ peer_region: "ap-northeast-1", peer_account_id: "100000000004" });
    expect(one(s, "aws_ec2_transit_gateway_peering_attachment_accepter")).toMatchObject({ region: "ap-northeast-1" });
    const peering = (r: any) => typeof r.transit_gateway_attachment_id === "string" && r.transit_gateway_attachment_id.includes("peering");
    // Local prod reaches the peer's prod and shared pools, but the peer's nonprod pool is a blackhole.
    const prod = routesIn(s, "prod");
    expect(prod.filter(peering).map((r) => r.destination_cidr_block).sort()).toEqual(["10.16.0.0/12", "10.48.0.0/16"]);
    expect(prod).toContainEqual(expect.objectContaining({ destination_cidr_block: "10.32.0.0/12", blackhole: true }));
    // The peer's tables get the routes back, in the peer's region.
    const back = Object.values(resources(s, "aws_ec2_transit_gateway_route")).filter((r: any) => r.region === "ap-northeast-1") as any[];
    expect(back.filter((r) => !r.blackhole).map((r) => r.destination_cidr_block)).toEqual(expect.arrayContaining(["10.64.0.0/12", "10.80.0.0/12", "10.96.0.0/16"]));
  });

  it("create per segment an association role that only the segment's OUs' apply roles may assume, and its read-only twin for their plan roles", () => {
    const s = stacks["network-ap-northeast-1"];
    const roles = Object.values(resources(s, "aws_iam_role")).map((r: any) => r.name).sort();
    expect(roles).toEqual([
      "tgw-associate-nonprod-ap-northeast-1", "tgw-associate-prod-ap-northeast-1", "tgw-associate-shared-ap-northeast-1",
      "tgw-read-nonprod-ap-northeast-1", "tgw-read-prod-ap-northeast-1", "tgw-read-shared-ap-northeast-1",
    ]);
    const conditionsOf = (prefix: string) => {
      const [, trust] = Object.entries(s.data.aws_iam_policy_document).find(([k]) => k.startsWith(prefix))!;
      return Object.fromEntries((trust as any).statement[0].condition.map((c: any) => [c.variable, c.values]));
    };
    expect(conditionsOf("associate-prod_trust")["aws:PrincipalArn"]).toEqual(["arn:aws:iam::*:role/tfc-apply-*"]);
    expect(conditionsOf("associate-prod_trust")["aws:PrincipalOrgPaths"]).toEqual([expect.stringContaining("data.aws_organizations_organizational_unit.ou-workloads-prod.id")]);
    expect(conditionsOf("associate-prod_read-trust")["aws:PrincipalArn"]).toEqual(["arn:aws:iam::*:role/tfc-plan-*"]);
    expect(conditionsOf("associate-prod_read-trust")["aws:PrincipalOrgPaths"]).toEqual(conditionsOf("associate-prod_trust")["aws:PrincipalOrgPaths"]);
  });

  it("admit the shared cluster stack's apply role to the shared segment's role and its plan role to the read-only twin, by exact ARN, and nowhere else", () => {
    for (const name of networkStacks) {
      const region = name.replace("network-", "");
      const docs = Object.entries(stacks[name].data.aws_iam_policy_document) as Array<[string, any]>;
      const platform = (sid: string) => docs.filter(([k]) => k.includes("trust")).flatMap(([k, d]) => d.statement.filter((x: any) => x.sid === sid).map((x: any) => [k, x] as const));
      for (const [sid, doc, phase] of [["PlatformSegmentApplyRoles", "associate-shared_trust", "apply"], ["PlatformSegmentPlanRoles", "associate-shared_read-trust", "plan"]] as const) {
        const statements = platform(sid);
        expect(statements.map(([k]) => k.replace(/_[0-9A-F]{8}$/, "")), `${name} ${sid}`).toEqual([doc]);
        const conditions = Object.fromEntries(statements[0]![1].condition.map((c: any) => [c.variable, [c.test, c.values]]));
        expect(conditions["aws:PrincipalArn"]).toEqual(["ArnEquals", [`arn:aws:iam::100000000005:role/tfc-${phase}-cluster-${region}`]]);
        expect(conditions["aws:PrincipalOrgID"]).toEqual(["StringEquals", ["${data.aws_organizations_organization.organization.id}"]]);
      }
    }
  });

  it("keep the shared segment's roles, for the cluster VPC, even when no OU joins the shared segment", () => {
    const raw = exampleRaw();
    raw.platform.organizationalUnits.platform.segment = undefined;
    const s = synthStacks(validate(raw), new Set(["network-ap-northeast-1"]))["network-ap-northeast-1"];
    expect(Object.values(resources(s, "aws_iam_role")).map((r: any) => r.name)).toEqual(expect.arrayContaining(["tgw-associate-shared-ap-northeast-1", "tgw-read-shared-ap-northeast-1"]));
    const trust = (prefix: string) => (Object.entries(s.data.aws_iam_policy_document).find(([k]) => k.startsWith(prefix))! as [string, any])[1];
    expect(trust("associate-shared_trust").statement.map((x: any) => x.sid)).toEqual(["PlatformSegmentApplyRoles"]);
    expect(trust("associate-shared_read-trust").statement.map((x: any) => x.sid)).toEqual(["PlatformSegmentPlanRoles"]);
  });
});

describe("service VPCs", () => {
  it("give every service stack a VPC with private subnets only, one per AZ, and its CIDR from the plan", () => {
    for (const s of model.services) {
      for (const region of s.regions) {
        const stack = stacks[`service-${s.key}-${region}`];
        expect(one(stack, "aws_vpc").cidr_block).toBe(s.vpcCidrs[region]);
        const subnets = Object.values(resources(stack, "aws_subnet")) as any[];
        expect(subnets).toHaveLength(model.platform.network.availabilityZones);
        for (const subnet of subnets) {
          expect(subnet.map_public_ip_on_launch).toBe(false);
          expect(contains(parseCidr(s.vpcCidrs[region]!)!, parseCidr(subnet.cidr_block)!)).toBe(true);
        }
        expect(one(stack, "aws_route")).toMatchObject({ destination_cidr_block: "0.0.0.0/0", transit_gateway_id: expect.stringContaining("aws_ec2_transit_gateway") });
        expect(one(stack, "aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination: `arn:aws:s3:::example-network-logs-100000000002-${region}/vpc-flow-logs/` });
      }
    }
  });

  it("associate the attachment with the service's own segment table through the segment's role in the network account", () => {
    const stack = stacks["service-recommendations-ap-northeast-1"];
    const network = stack.provider.aws.find((p: any) => p.alias === "network");
    // Its plans run as the read-only plan role: they chain into the read twin, applies into the association role.
    expect(network).toMatchObject({
      allowed_account_ids: ["100000000004"],
      assume_role: [{ role_arn: "${strcontains(file(var.tfc_aws_dynamic_credentials.default.shared_config_file), \":role/tfc-apply-service-recommendations-ap-northeast-1\") ? \"arn:aws:iam::100000000004:role/tgw-associate-nonprod-ap-northeast-1\" : \"arn:aws:iam::100000000004:role/tgw-read-nonprod-ap-northeast-1\"}" }],
    });
    const tables = stack.data.aws_ec2_transit_gateway_route_table;
    const association = one(stack, "aws_ec2_transit_gateway_route_table_association");
    expect(association.provider).toBe("aws.network");
    const associated = tables[/data\.aws_ec2_transit_gateway_route_table\.([^.]+)\.id/.exec(association.transit_gateway_route_table_id)![1]!];
    expect(associated.filter).toContainEqual({ name: "tag:Name", values: ["example-tgw-ap-northeast-1-nonprod"] });
    const propagated = Object.values(resources(stack, "aws_ec2_transit_gateway_route_table_propagation")).map((p: any) => tables[/route_table\.([^.]+)\.id/.exec(p.transit_gateway_route_table_id)![1]!].filter.find((f: any) => f.name === "tag:Name").values[0]).sort();
    expect(propagated).toEqual(["example-tgw-ap-northeast-1-hub", "example-tgw-ap-northeast-1-nonprod", "example-tgw-ap-northeast-1-shared"]);
  });

  it("create the attachment only after the shared Transit Gateway is visible in the service's account", () => {
    const stack = stacks["service-ledger-ap-northeast-1"];
    const attachment = one(stack, "aws_ec2_transit_gateway_vpc_attachment");
    const [, shared] = /data\.aws_ec2_transit_gateway\.([^.]+)\.id/.exec(attachment.transit_gateway_id)!;
    const lookup = stack.data.aws_ec2_transit_gateway[shared!];
    expect(lookup.provider).toBeUndefined(); // read with the service account's own credentials
    expect(lookup.id).toMatch(/^\$\{data\.aws_ec2_transit_gateway\..*\.id\}$/);
  });

  it("leave a retired service's VPC detached", () => {
    const raw = exampleRaw();
    raw.index.ledger.retired = true;
    const stack = synthStacks(validate(raw), new Set(["service-ledger-ap-northeast-1"]))["service-ledger-ap-northeast-1"];
    expect(one(stack, "aws_vpc").tags).toMatchObject({ retired: "true" });
    expect(resources(stack, "aws_ec2_transit_gateway_vpc_attachment")).toEqual({});
    expect(stack.provider.aws.find((p: any) => p.alias === "network")).toBeUndefined();
  });
});

describe("walking every stack", () => {
  it("finds an internet gateway only on the egress VPC of a network stack", () => {
    for (const [name, stack] of Object.entries(stacks)) {
      const gateways = { ...resources(stack, "aws_internet_gateway"), ...resources(stack, "aws_egress_only_internet_gateway") };
      if (!name.startsWith("network-")) {
        expect(gateways, name).toEqual({});
        continue;
      }
      for (const igw of Object.values(gateways) as any[]) {
        const vpc = resources(stack, "aws_vpc")[/aws_vpc\.([^.]+)\.id/.exec(igw.vpc_id)![1]!];
        expect(vpc.tags["network-role"], name).toBe("egress");
      }
    }
  });

  it("finds a Transit Gateway attachment for every service VPC", () => {
    let vpcs = 0;
    for (const stack of Object.values(stacks)) {
      const attached = new Set(Object.values(resources(stack, "aws_ec2_transit_gateway_vpc_attachment")).map((a: any) => a.vpc_id));
      for (const name of Object.keys(resources(stack, "aws_vpc"))) {
        expect(attached.has(`\${aws_vpc.${name}.id}`)).toBe(true);
        vpcs++;
      }
    }
    expect(vpcs).toBe(4 + 2 + 2); // four service stacks, two egress VPCs and the two shared clusters' VPCs
  });
});

describe("adding a service", () => {
  const raw = withService(exampleRaw(), "search", service("search"));
  const after = synthStacks(validate(raw));
  const changed = Object.keys(after).filter((name) => JSON.stringify(after[name]) !== JSON.stringify(stacks[name]));

  it("changes only its own stack, its vending shard and its namespaces shard, never a network stack", () => {
    expect(changed.filter((n) => !n.startsWith("accounts-") && !n.startsWith("namespaces-"))).toEqual(["service-search-ap-northeast-1"]);
    expect(changed.length).toBeLessThanOrEqual(4);
    for (const name of networkStacks) expect(changed).not.toContain(name);
  });

  it("never changes another service's CIDR", () => {
    const before = new Map(model.services.map((s) => [s.key, s.vpcCidrs]));
    for (const s of validate(raw).services) if (before.has(s.key)) expect(s.vpcCidrs).toEqual(before.get(s.key));
  });
});
