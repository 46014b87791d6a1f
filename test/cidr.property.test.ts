import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { overlaps, parseCidr } from "../lib/plan/cidr";
import type { OrganizationModel } from "../lib/config/model";
import { ConfigError, type Problem } from "../lib/config/problems";
import { validate } from "../lib/config/validate";
import { exampleRaw, withService } from "./helpers.js";

/** A generated service: its key, OU (and so segment) and regions. */
interface Spec {
  readonly key: string;
  readonly ou: "workloads-prod" | "workloads-nonprod";
  readonly regions: readonly string[];
}

const REGIONS = ["ap-northeast-1", "ap-northeast-3"];
const spec = fc.record({
  key: fc.stringMatching(/^[a-z0-9]{1,10}$/).map((s) => `s${s}`),
  ou: fc.constantFrom("workloads-prod" as const, "workloads-nonprod" as const),
  regions: fc.subarray(REGIONS, { minLength: 1 }),
});
const specs = (min: number, max: number) => fc.uniqueArray(spec, { selector: (s) => s.key, minLength: min, maxLength: max });

/**
 * The example organization plus generated services. Pools default to /15 (32 VPCs of /20)
 * so that random sets collide often enough for the collision path to be exercised.
 */
function rawWith(list: readonly Spec[], stated: ReadonlyMap<string, Record<string, string>> = new Map(), poolPrefix = 15) {
  const raw = exampleRaw();
  raw.platform.network.pools = {
    "ap-northeast-1": { prod: `10.16.0.0/${poolPrefix}`, nonprod: `10.32.0.0/${poolPrefix}`, shared: "10.48.0.0/16" },
    "ap-northeast-3": { prod: `10.64.0.0/${poolPrefix}`, nonprod: `10.80.0.0/${poolPrefix}`, shared: "10.96.0.0/16" },
  };
  for (const s of list) {
    withService(raw, s.key, {
      description: "generated",
      owners: ["alice"],
      account: { email: `aws+${s.key}@example.com`, ou: s.ou },
      regions: [...s.regions],
      network: { cidrs: stated.get(s.key) ?? {} },
      kubernetes: { tenancy: "shared" },
      slack: { handle: `${s.key}-team` },
    });
  }
  return raw;
}

function attempt(raw: ReturnType<typeof exampleRaw>): { model?: OrganizationModel; problems: Problem[] } {
  try {
    return { model: validate(raw), problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: [...error.problems] };
    throw error;
  }
}

/** Every VPC of the model and the egress VPCs, as (label, cidr). */
function vpcs(model: OrganizationModel): Array<[string, string]> {
  const out: Array<[string, string]> = Object.entries(model.platform.network.egress).map(([r, c]) => [`egress ${r}`, c]);
  for (const s of model.services) for (const [r, c] of Object.entries(s.vpcCidrs)) out.push([`${s.key} ${r}`, c]);
  return out;
}

function expectDisjoint(model: OrganizationModel): void {
  const all = vpcs(model);
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (overlaps(parseCidr(all[i]![1])!, parseCidr(all[j]![1])!)) expect.fail(`${all[i]!.join(" ")} overlaps ${all[j]!.join(" ")}`);
    }
  }
}

const cidrsByKey = (model: OrganizationModel) => new Map(model.services.map((s) => [s.key, s.vpcCidrs]));

describe("CIDR plan properties", () => {
  it("accepts a set of services only when no two VPCs overlap", () => {
    fc.assert(fc.property(specs(8, 30), (list) => {
      const { model, problems } = attempt(rawWith(list));
      if (model) expectDisjoint(model);
      // Every rejection is an overlap that names two entries.
      for (const p of problems) expect(p.message).toMatch(/^config\/services\/\S+\.ts network\.cidrs\.\S+ .* overlaps config\/services\/\S+\.ts network\.cidrs\.\S+ /);
    }), { numRuns: 150 });
  });

  it("never moves a service when others are added or removed", () => {
    fc.assert(fc.property(specs(4, 16), specs(1, 16), (kept, added) => {
      // Larger pools (/13, 128 VPCs) so that most grown sets are valid and the comparison runs.
      const base = attempt(rawWith(kept, new Map(), 13));
      const keys = new Set(kept.map((s) => s.key));
      const grown = attempt(rawWith([...kept, ...added.filter((s) => !keys.has(s.key))], new Map(), 13));
      if (!grown.model) return;
      // A subset of a valid organization is valid, and every service keeps its CIDRs.
      expect(base.problems).toEqual([]);
      const before = cidrsByKey(base.model!);
      const after = cidrsByKey(grown.model);
      for (const [key, cidrs] of before) expect(after.get(key)).toEqual(cidrs);
    }), { numRuns: 150 });
  });

  it("resolves every collision by stating the suggested block, moving no other service", () => {
    fc.assert(fc.property(specs(8, 30), (list) => {
      const { problems } = attempt(rawWith(list));
      if (problems.length === 0) return;
      const stated = new Map<string, Record<string, string>>();
      for (const p of problems) {
        const m = /state network\.cidrs\.(\S+): "([^"]+)"/.exec(p.fix);
        expect(m, p.message).not.toBeNull();
        stated.set(p.entry, { ...stated.get(p.entry), [m![1]!]: m![2]! });
      }
      const fixed = attempt(rawWith(list, stated));
      expect(fixed.problems).toEqual([]);
      expectDisjoint(fixed.model!);
      // Services that were not told to move keep the allocation they had.
      const unmoved = list.filter((s) => !stated.has(s.key));
      const allocated = new Map(unmoved.map((s) => [s.key, attempt(rawWith([s])).model!.services.find((x) => x.key === s.key)!.vpcCidrs]));
      for (const [key, cidrs] of cidrsByKey(fixed.model!)) if (allocated.has(key)) expect(cidrs).toEqual(allocated.get(key));
    }), { numRuns: 100 });
  });
});
