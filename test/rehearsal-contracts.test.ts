import { describe, expect, it } from "vitest";
import { checkContracts } from "../lib/rehearsal/contracts";
import { contextOf } from "../lib/rehearsal/context";
import { exampleModel, exampleStacks } from "./helpers";
import { fixtureContext } from "./rehearsal-helpers";

/*
 * Cross-stack contracts: every lookup, literal ARN or name and provider setting of a stack is
 * met by a stack of an earlier wave or by a prerequisite of config/platform.ts. Each rule has a
 * failing and a passing fixture.
 */

const NETWORK = "100000000004";
const subnet = (tags: Record<string, string>) => ({ vpc_id: "${aws_vpc.vpc.id}", cidr_block: "10.0.0.0/24", tags });
const lookup = { aws_subnets: { private: { filter: [{ name: "tag:subnet-tier", values: ["private"] }] } } };

describe("lookups", () => {
  it("reports a tag lookup that matches nothing any stack creates", () => {
    const context = fixtureContext([
      { name: "network", wave: 1, json: { resource: { aws_subnet: { a: subnet({ Name: "a" }) } } } },
      { name: "cluster", wave: 2, json: { data: lookup } },
    ]);
    const findings = checkContracts(context);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ class: "contract", stack: "cluster", address: "data.aws_subnets.private" });
    expect(findings[0]!.message).toContain("aws_subnet tagged subnet-tier=private");
    expect(findings[0]!.message).toContain("no stack creates");
  });

  it("accepts a tag lookup met by an earlier stack, counting the provider's default_tags", () => {
    const context = fixtureContext([
      {
        name: "network", wave: 1,
        json: {
          provider: { aws: [{ region: "ap-northeast-1", allowed_account_ids: [NETWORK], default_tags: [{ tags: { "subnet-tier": "private" } }] }] },
          resource: { aws_subnet: { a: subnet({ Name: "a" }) } },
        },
      },
      { name: "cluster", wave: 2, json: { data: lookup } },
    ]);
    expect(checkContracts(context)).toEqual([]);
  });

  it("reports a lookup of something the same stack creates: it is read at plan time, before it exists", () => {
    const context = fixtureContext([
      { name: "cluster", wave: 1, json: { data: lookup, resource: { aws_subnet: { a: subnet({ "subnet-tier": "private" }) } } } },
    ]);
    const findings = checkContracts(context);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ stack: "cluster", address: "data.aws_subnets.private", expectedFrom: "cluster" });
    expect(findings[0]!.message).toContain("which the same stack creates (aws_subnet.a)");
    expect(findings[0]!.fix).toContain("reference aws_subnet.a");
  });

  it("reports a lookup of something a stack of the same or a later wave creates, naming that stack", () => {
    const context = fixtureContext([
      { name: "peer", wave: 1, json: { data: { aws_ec2_transit_gateway: { peer: { filter: [{ name: "tag:Name", values: ["example-tgw"] }] } } } } },
      { name: "hub", wave: 1, json: { resource: { aws_ec2_transit_gateway: { tgw: { tags: { Name: "example-tgw" } } } } } },
    ]);
    const findings = checkContracts(context);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ stack: "peer", expectedFrom: "hub" });
    expect(findings[0]!.message).toContain("in wave 1, not before this stack's wave 1");
  });

  it("matches an agent pool lookup by name against an earlier stack's pool, and reports one nobody creates", () => {
    const pool = { tfe_agent_pool: { agents: { name: "example-ap-northeast-1", organization: "example" } } };
    const lookupPool = { data: { tfe_agent_pool: { pool: { name: "example-ap-northeast-1", organization: "example" } } } };
    expect(checkContracts(fixtureContext([{ name: "workspaces", wave: 0, json: { resource: pool } }, { name: "cluster", wave: 1, json: lookupPool }]))).toEqual([]);
    const missing = checkContracts(fixtureContext([{ name: "cluster", wave: 1, json: lookupPool }]));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ class: "contract", stack: "cluster", address: "data.tfe_agent_pool.pool" });
  });

  it("reports a lookup in another account than the one that holds the match", () => {
    const context = fixtureContext([
      { name: "network", wave: 1, json: { resource: { aws_subnet: { a: subnet({ "subnet-tier": "private" }) } } } },
      { name: "cluster", wave: 2, account: "cluster", json: { data: lookup } },
    ]);
    expect(checkContracts(context).map((f) => f.address)).toEqual(["data.aws_subnets.private"]);
  });

  it("matches a remote output only when the source stack declares it and applies earlier", () => {
    const reader = (output: string) => ({ name: "reader", wave: 2, account: "none" as const, json: { provider: { tfe: [{ organization: "example" }] }, data: { tfe_outputs: { src: { organization: "example", workspace: "source" } } }, locals: { id: `\${data.tfe_outputs.src.nonsensitive_values.${output}}` } } });
    const source = { name: "source", wave: 1, json: { output: { account_id: { value: "x" } } } };
    expect(checkContracts(fixtureContext([source, reader("account_id")]))).toEqual([]);
    const missing = checkContracts(fixtureContext([source, reader("vpc_id")]));
    expect(missing.map((f) => f.message)).toEqual([expect.stringContaining("the output vpc_id of workspace source")]);
  });

  it("reports a data source it has no model of as not checked, never as passed", () => {
    const context = fixtureContext([{ name: "odd", wave: 1, json: { data: { aws_ami: { image: { most_recent: true } } } } }]);
    expect(checkContracts(context)).toEqual([expect.objectContaining({ class: "not-checked", address: "data.aws_ami.image" })]);
  });
});

describe("literal ARNs and names", () => {
  const flowLog = { log_destination: "arn:aws:s3:::example-network-logs-100000000002-ap-northeast-1", log_destination_type: "s3", vpc_id: "${aws_vpc.vpc.id}" };

  it("reports a literal bucket ARN nobody creates, with the key a prerequisite would provide", () => {
    const findings = checkContracts(fixtureContext([{ name: "service", wave: 2, json: { resource: { aws_flow_log: { vpc: flowLog } } } }]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ class: "contract", stack: "service", address: "aws_flow_log.vpc" });
    expect(findings[0]!.message).toContain("the S3 bucket example-network-logs-100000000002-ap-northeast-1, which no stack creates and no prerequisite provides");
    expect(findings[0]!.fix).toContain(`provides: ["arn:aws:s3:::example-network-logs-100000000002-ap-northeast-1"]`);
  });

  it("accepts the bucket once an earlier stack creates it", () => {
    const context = fixtureContext([
      { name: "log-archive", wave: 1, account: "logArchive", json: { resource: { aws_s3_bucket: { logs: { bucket: "example-network-logs-100000000002-ap-northeast-1" } } } } },
      { name: "service", wave: 2, json: { resource: { aws_flow_log: { vpc: flowLog } } } },
    ]);
    expect(checkContracts(context)).toEqual([]);
  });

  it("accepts a literal ARN that a prerequisite of the config provides", () => {
    const model = exampleModel();
    const withPrerequisite = { ...model, platform: { ...model.platform, prerequisites: [...model.platform.prerequisites, { id: "flow-log-bucket", what: "a bucket", how: "by hand", provides: ["arn:aws:s3:::example-network-logs-{accounts.logArchive.id}-*"] }] } };
    expect(checkContracts(fixtureContext([{ name: "service", wave: 2, json: { resource: { aws_flow_log: { vpc: flowLog } } } }], withPrerequisite))).toEqual([]);
  });

  it("reports a role in a trust policy that no earlier stack creates (IAM rejects unknown principals)", () => {
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::100000000006:role/developer-zed" }, Action: "sts:AssumeRole" }] });
    const findings = checkContracts(fixtureContext([{ name: "service", wave: 2, json: { resource: { aws_iam_role: { team: { name: "team-x", assume_role_policy: trust } } } } }]));
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining("arn:aws:iam::100000000006:role/developer-zed")]);
  });

  it("reports a literal ARN of a role the same stack creates unless the resource depends on it", () => {
    const role = { name: "team-x", assume_role_policy: "{}" };
    const entry = (dependsOn?: string[]) => ({ cluster_name: "${aws_eks_cluster.c.name}", principal_arn: `arn:aws:iam::${NETWORK}:role/team-x`, ...(dependsOn ? { depends_on: dependsOn } : {}) });
    const racing = checkContracts(fixtureContext([{ name: "service", wave: 1, json: { resource: { aws_iam_role: { team: role }, aws_eks_access_entry: { team: entry() } } } }]));
    expect(racing).toEqual([expect.objectContaining({ address: "aws_eks_access_entry.team", fix: "reference aws_iam_role.team (or add it to depends_on)" })]);
    const ordered = checkContracts(fixtureContext([{ name: "service", wave: 1, json: { resource: { aws_iam_role: { team: role }, aws_eks_access_entry: { team: entry(["aws_iam_role.team"]) } } } }]));
    expect(ordered).toEqual([]);
  });
});

describe("providers", () => {
  it("reports an assumed role nobody creates and accepts one an earlier stack creates", () => {
    const service = { name: "service", wave: 2, account: "security" as const, json: { provider: { aws: [{ region: "ap-northeast-1", allowed_account_ids: ["100000000003"] }, { alias: "network", region: "ap-northeast-1", allowed_account_ids: [NETWORK], assume_role: [{ role_arn: `arn:aws:iam::${NETWORK}:role/tgw-associate` }] }] } } };
    expect(checkContracts(fixtureContext([service])).map((f) => `${f.address}: ${f.message}`)).toEqual([expect.stringContaining("provider.aws.network: needs the IAM role arn:aws:iam::100000000004:role/tgw-associate it assumes")]);
    const network = { name: "network", wave: 1, json: { resource: { aws_iam_role: { associate: { name: "tgw-associate", assume_role_policy: "{}" } } } } };
    expect(checkContracts(fixtureContext([network, service]))).toEqual([]);
  });

  it("reports a stack whose workspace no factory creates", () => {
    const context = fixtureContext([{ name: "orphan", wave: 1, json: {} }]);
    const orphan = { ...context.stacks[1]!, spec: { ...context.stacks[1]!.spec, name: "orphan-2" } };
    const findings = checkContracts({ ...context, stacks: [...context.stacks, orphan] });
    expect(findings).toEqual([expect.objectContaining({ stack: "orphan-2", address: "terraform.cloud" })]);
  });
});

describe("the synthesized example organization", () => {
  // One synth, shared: the planted changes below each copy the stacks they touch.
  const model = exampleModel();
  const stacks = exampleStacks();

  it("finds a planted flow log to a bucket nobody creates in a service stack", () => {
    const planted = structuredClone(stacks);
    const service = Object.keys(planted).find((n) => n.startsWith("service-"))!;
    (planted[service].resource.aws_flow_log ??= {}).planted = { log_destination: "arn:aws:s3:::nobody-creates-this-bucket", log_destination_type: "s3", vpc_id: "${aws_vpc.planted.id}" };
    const findings = checkContracts(contextOf(model, planted)).filter((f) => f.address === "aws_flow_log.planted");
    expect(findings).toEqual([expect.objectContaining({ stack: service, class: "contract" })]);
    expect(findings[0]!.message).toContain("nobody-creates-this-bucket");
  });

  it("finds a planted lookup of the Transit Gateway by a Name no network stack tags", () => {
    const planted = structuredClone(stacks);
    const service = Object.keys(planted).find((n) => n.startsWith("service-"))!;
    planted[service].data.aws_ec2_transit_gateway.planted = { filter: [{ name: "tag:Name", values: ["no-such-tgw"] }], provider: "aws.network" };
    const findings = checkContracts(contextOf(model, planted)).filter((f) => f.address === "data.aws_ec2_transit_gateway.planted");
    expect(findings).toEqual([expect.objectContaining({ stack: service })]);
  });

  it("meets the service stacks' Transit Gateway lookups from the network stacks of earlier waves", () => {
    const findings = checkContracts(contextOf(model, stacks));
    expect(findings.filter((f) => f.stack.startsWith("service-") && f.address.startsWith("data.aws_ec2_transit_gateway"))).toEqual([]);
  });
});
