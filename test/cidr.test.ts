import { describe, expect, it } from "vitest";
import { clusterVpcCidr, contains, egressSubnets, formatCidr, isNetworkAddress, overlaps, parseCidr, serviceSubnets, slotIndex } from "../lib/plan/cidr";
import { ConfigError } from "../lib/config/problems";
import { validate } from "../lib/config/validate";
import { exampleRaw, onlyProblem, problemsOf, withService } from "./helpers.js";
import { service } from "./network-helpers.js";


/** Two service keys that hash to the same /20 slot of a /12 pool, in key order. */
function collidingKeys(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const key = `svc-${i}`;
    const slot = slotIndex(key, 256);
    if (seen.has(slot)) return [seen.get(slot)!, key].sort() as [string, string];
    seen.set(slot, key);
  }
}

describe("CIDR arithmetic", () => {
  it("parses and formats a block, keeping host bits so they can be reported", () => {
    expect(formatCidr(parseCidr("10.16.1.0/20")!)).toBe("10.16.1.0/20");
    expect(isNetworkAddress(parseCidr("10.16.1.0/20")!)).toBe(false);
    expect(isNetworkAddress(parseCidr("10.16.16.0/20")!)).toBe(true);
  });

  it("rejects malformed blocks", () => {
    for (const bad of ["10.16.0.0", "10.16.0.256/20", "10.16.0.0/33", "ten.0.0.0/8"]) expect(parseCidr(bad)).toBeUndefined();
  });

  it("detects overlap and containment", () => {
    const [a, b, c] = ["10.20.0.0/20", "10.20.8.0/21", "10.20.16.0/20"].map((x) => parseCidr(x)!);
    expect(overlaps(a!, b!)).toBe(true);
    expect(overlaps(a!, c!)).toBe(false);
    expect(contains(a!, b!)).toBe(true);
    expect(contains(b!, a!)).toBe(false);
  });

  it("splits a service VPC into one subnet per AZ and an egress VPC into public and private halves", () => {
    expect(serviceSubnets("10.16.0.0/20", 3)).toEqual(["10.16.0.0/22", "10.16.4.0/22", "10.16.8.0/22"]);
    expect(egressSubnets("10.0.0.0/22", 2)).toEqual({ public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.2.0/24", "10.0.3.0/24"] });
  });
});

describe("CIDR allocation", () => {
  it("allocates a /20 from the segment's pool in each region when a service states none", () => {
    const model = validate(withService(exampleRaw(), "search", service("search", { regions: ["ap-northeast-1", "ap-northeast-3"] })));
    const cidrs = model.services.find((s) => s.key === "search")!.vpcCidrs;
    expect(contains(parseCidr("10.16.0.0/12")!, parseCidr(cidrs["ap-northeast-1"]!)!)).toBe(true);
    expect(contains(parseCidr("10.64.0.0/12")!, parseCidr(cidrs["ap-northeast-3"]!)!)).toBe(true);
    expect(parseCidr(cidrs["ap-northeast-1"]!)!.prefix).toBe(20);
  });

  it("keeps a stated CIDR as stated", () => {
    const model = validate(exampleRaw());
    expect(model.services.find((s) => s.key === "ledger")!.vpcCidrs).toEqual({ "ap-northeast-1": "10.16.16.0/20" });
  });

  it("reports two services allocated the same block once, on the later key, naming both, with a free block to state", () => {
    const [a, b] = collidingKeys();
    const raw = withService(withService(exampleRaw(), a, service(a)), b, service(b));
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    const p = problems[0]!;
    expect(p).toMatchObject({ file: `config/services/${b}.ts`, entry: b, field: "network.cidrs.ap-northeast-1" });
    expect(p.message).toMatch(new RegExp(`^config/services/${b}\\.ts network\\.cidrs\\.ap-northeast-1 \\(allocated\\) (\\S+) overlaps config/services/${a}\\.ts network\\.cidrs\\.ap-northeast-1 \\(allocated\\) \\1$`));
    const free = /"(\d+\.\d+\.\d+\.\d+\/\d+)"/.exec(p.fix)![1]!;
    // Stating the suggested block resolves it.
    const fixed = withService(withService(exampleRaw(), a, service(a)), b, service(b, { network: { cidrs: { "ap-northeast-1": free } } }));
    expect(problemsOf(fixed)).toEqual([]);
  });

  it("says when the pool is exhausted and how big it is", () => {
    const raw = exampleRaw();
    raw.platform.network.pools["ap-northeast-1"].nonprod = "10.32.0.0/20";
    raw.index.recommendations.network = { cidrs: {} };
    withService(raw, "trials", service("trials", { account: { email: "aws+trials@example.com", ou: "sandbox" } }));
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("is exhausted");
    expect(problems[0]!.message).toContain("10.32.0.0/20 (a /20, room for 1 VPC of /20)");
  });

  it("reports a pool too small to hold a single service VPC", () => {
    const raw = exampleRaw();
    raw.platform.network.pools["ap-northeast-3"].shared = "10.96.0.0/22";
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ file: "config/platform.ts", field: "network.pools.ap-northeast-3.shared", message: expect.stringContaining("holds no /20 VPC") }));
  });

  it("reports a region whose segment has no pool to allocate from", () => {
    const raw = exampleRaw();
    delete raw.platform.network.pools["ap-northeast-1"].nonprod;
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ entry: "recommendations", field: "network.cidrs.ap-northeast-1", value: undefined, message: expect.stringContaining("no nonprod pool in ap-northeast-1") }));
  });
});

describe("stated CIDRs", () => {
  const stating = (cidr: string) => {
    const raw = exampleRaw();
    raw.index.ledger.network.cidrs = { "ap-northeast-1": cidr };
    return problemsOf(raw);
  };

  it("rejects a malformed CIDR", () => {
    expect(stating("10.16.16.0/33")).toEqual([expect.objectContaining({ entry: "ledger", field: "network.cidrs.ap-northeast-1", message: "is not an IPv4 CIDR block" })]);
  });

  it("rejects host bits, giving the network address to write", () => {
    expect(stating("10.16.17.0/20")).toEqual([expect.objectContaining({ field: "network.cidrs.ap-northeast-1", value: "10.16.17.0/20", message: expect.stringContaining("host bits"), fix: expect.stringContaining("\"10.16.16.0/20\"") })]);
  });

  it("rejects a CIDR outside the pool of the service's segment", () => {
    expect(stating("10.32.16.0/20")).toEqual([expect.objectContaining({ value: "10.32.16.0/20", message: expect.stringContaining("outside the prod pool of ap-northeast-1, 10.16.0.0/12") })]);
  });

  it("rejects a prefix too long to give each AZ a subnet", () => {
    expect(stating("10.16.16.0/28")).toEqual([expect.objectContaining({ value: "10.16.16.0/28", message: expect.stringContaining("from /16 to /27") })]);
  });

  it("rejects a prefix larger than a VPC may be", () => {
    const raw = exampleRaw();
    raw.platform.network.pools["ap-northeast-1"].prod = "10.16.0.0/12";
    raw.index.ledger.network.cidrs = { "ap-northeast-1": "10.16.0.0/15" };
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ entry: "ledger", message: expect.stringContaining("is a /15") }));
  });

  it("reports an overlap between two services with both entries and both CIDRs", () => {
    const raw = exampleRaw();
    raw.index.ledger.network.cidrs = { "ap-northeast-1": "10.16.8.0/21" };
    expect(problemsOf(raw)).toEqual([expect.objectContaining({
      file: "config/services/payments.ts",
      entry: "payments",
      field: "network.cidrs.ap-northeast-1",
      message: "config/services/payments.ts network.cidrs.ap-northeast-1 10.16.0.0/20 overlaps config/services/ledger.ts network.cidrs.ap-northeast-1 10.16.8.0/21",
    })]);
  });

  it("files an overlap under the service that is new or changed, not the deployed one", () => {
    const raw = exampleRaw();
    raw.index.ledger.network.cidrs = { "ap-northeast-1": "10.16.8.0/21" };
    // Without knowing the change, the later key moves (payments); knowing ledger is the edit, ledger moves.
    const problems = (changed: Set<string>) => {
      try {
        validate(raw, { changed });
        return [];
      } catch (error) {
        return [...(error as ConfigError).problems];
      }
    };
    expect(problems(new Set())).toEqual([expect.objectContaining({ entry: "payments", fix: expect.stringContaining("is the service being added, move that one instead") })]);
    const [p, ...rest] = problems(new Set(["ledger"]));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: "config/services/ledger.ts", entry: "ledger", field: "network.cidrs.ap-northeast-1", value: "10.16.8.0/21" });
    expect(p!.message).toBe("config/services/ledger.ts network.cidrs.ap-northeast-1 10.16.8.0/21 overlaps config/services/payments.ts network.cidrs.ap-northeast-1 10.16.0.0/20");
    expect(p!.fix).toMatch(/^state network\.cidrs\.ap-northeast-1: "10\.\d+\.\d+\.0\/21" in config\/services\/ledger\.ts, a free block of the prod pool/);
    expect(p!.fix).not.toContain("move that one instead");
  });

  it("blames an allocated service, not the stated one it collides with", () => {
    const raw = exampleRaw();
    const model = validate(withService(exampleRaw(), "search", service("search")));
    const allocated = model.services.find((s) => s.key === "search")!.vpcCidrs["ap-northeast-1"]!;
    raw.index.ledger.network.cidrs = { "ap-northeast-1": allocated };
    withService(raw, "search", service("search"));
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ entry: "search", message: `config/services/search.ts network.cidrs.ap-northeast-1 (allocated) ${allocated} overlaps config/services/ledger.ts network.cidrs.ap-northeast-1 ${allocated}` })]);
  });
});

describe("platform address space", () => {
  it("reports a pool overlapping an on-premises range, naming both", () => {
    const raw = exampleRaw();
    raw.platform.network.onPremises.cidrs = ["10.48.0.0/20"];
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({
      file: "config/platform.ts",
      message: "config/platform.ts network.onPremises.cidrs.0 10.48.0.0/20 overlaps config/platform.ts network.pools.ap-northeast-1.shared 10.48.0.0/16",
    }));
  });

  it("reports egress VPCs overlapping each other", () => {
    const raw = exampleRaw();
    raw.platform.network.egress["ap-northeast-3"] = "10.0.0.0/22";
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ field: "network.egress.ap-northeast-3", message: "config/platform.ts network.egress.ap-northeast-3 10.0.0.0/22 overlaps config/platform.ts network.egress.ap-northeast-1 10.0.0.0/22" })]);
  });

  it("reports an egress CIDR too small for a public and a private subnet per AZ", () => {
    const raw = exampleRaw();
    raw.platform.network.egress["ap-northeast-1"] = "10.0.0.0/27";
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ field: "network.egress.ap-northeast-1", message: expect.stringContaining("from /16 to /26") })]);
  });

  it("reports a pool with host bits set", () => {
    const raw = exampleRaw();
    raw.platform.network.pools["ap-northeast-1"].shared = "10.48.1.0/16";
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ field: "network.pools.ap-northeast-1.shared", message: "has host bits set", fix: "write it as \"10.48.0.0/16\"" }));
  });

  it("reserves the hub route table's name", () => {
    const raw = exampleRaw();
    raw.platform.network.segments = ["prod", "nonprod", "shared", "hub"];
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ field: "network.segments.3", value: "hub" }));
  });
});

describe("the shared clusters' VPCs", () => {
  it("are allocated the first /18 of each region's shared pool unless stated", () => {
    const p = validate(exampleRaw()).platform;
    expect(clusterVpcCidr(p, "ap-northeast-1")).toBe("10.48.0.0/18");
    expect(clusterVpcCidr(p, "ap-northeast-3")).toBe("10.96.0.0/18");
    const raw = exampleRaw();
    raw.platform.network.clusterCidrs = { "ap-northeast-1": "10.48.64.0/19" };
    expect(clusterVpcCidr(validate(raw).platform, "ap-northeast-1")).toBe("10.48.64.0/19");
  });

  it("must lie inside the region's shared pool, which the other segments, the egress and the peerings route", () => {
    const raw = exampleRaw();
    raw.platform.network.clusterCidrs = { "ap-northeast-1": "10.200.0.0/18" };
    const problem = onlyProblem(raw);
    expect(problem).toMatchObject({ file: "config/platform.ts", field: "network.clusterCidrs.ap-northeast-1", value: "10.200.0.0/18" });
    expect(problem.message).toContain("outside the shared pool of ap-northeast-1, 10.48.0.0/16");
    expect(problem.fix).toContain("10.48.0.0/18");
  });

  it("reject host bits, a size without room for a subnet per AZ, and a region the platform does not use", () => {
    const raw = exampleRaw();
    raw.platform.network.clusterCidrs = { "ap-northeast-1": "10.48.1.0/18", "ap-northeast-3": "10.96.0.0/28", "us-east-1": "10.48.128.0/18" };
    const fields = problemsOf(raw).map((x) => [x.field, x.message.split(" (")[0]!.split(";")[0]]);
    expect(fields).toEqual(expect.arrayContaining([
      ["network.clusterCidrs.ap-northeast-1", "has host bits set"],
      ["network.clusterCidrs.ap-northeast-3", "is a /28"],
      ["network.clusterCidrs.us-east-1", "is a cluster VPC for a region the platform does not use"],
    ]));
  });

  it("need the shared segment and a shared pool (or a stated CIDR) in every region", () => {
    const raw = exampleRaw();
    delete raw.platform.network.pools["ap-northeast-3"].shared;
    expect(onlyProblem(raw)).toMatchObject({ field: "network.clusterCidrs.ap-northeast-3", message: expect.stringContaining("no shared pool in ap-northeast-3"), fix: expect.stringContaining("network.pools.ap-northeast-3.shared") });
    const noShared = exampleRaw();
    noShared.platform.network.segments = ["prod", "nonprod"];
    expect(problemsOf(noShared)).toContainEqual(expect.objectContaining({ field: "network.segments", message: expect.stringContaining(`lacks "shared"`), fix: `add "shared" to network.segments` }));
  });

  it("never overlap a service VPC: a shared-segment service on the cluster VPC is told a free block", () => {
    const raw = exampleRaw();
    raw.platform.organizationalUnits["shared-services"] = { workloads: true, segment: "shared" };
    withService(raw, "tools", service("tools", { account: { email: "aws+tools@example.com", ou: "shared-services" }, network: { cidrs: { "ap-northeast-1": "10.48.16.0/20" } } }));
    const problem = onlyProblem(raw);
    expect(problem).toMatchObject({ file: "config/services/tools.ts", entry: "tools", field: "network.cidrs.ap-northeast-1", value: "10.48.16.0/20" });
    expect(problem.message).toContain("overlaps config/platform.ts network.clusterCidrs.ap-northeast-1 (allocated) 10.48.0.0/18 (the shared cluster's VPC)");
    const free = /"(10\.48\.[0-9.]+\/20)"/.exec(problem.fix)![1]!;
    expect(overlaps(parseCidr(free)!, parseCidr("10.48.0.0/18")!)).toBe(false);
  });
});

describe("the network logs bucket name", () => {
  it("must fit S3's 63 characters: an organization name too long for it is reported with the length that fits", () => {
    const raw = exampleRaw();
    raw.platform.name = "a-very-long-organization-name";
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({
      file: "config/platform.ts", field: "name", value: "a-very-long-organization-name",
      message: expect.stringContaining("a-very-long-organization-name-network-logs-100000000002-ap-northeast-1, longer than S3's 63 characters"),
      fix: "shorten the organization name to at most 22 characters",
    }));
  });
});
