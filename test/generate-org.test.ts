import { describe, expect, it } from "vitest";
import platform from "./fixtures/org/platform.js";
import { generateOrg, type GeneratedOrg } from "../lib/config/generate-org";
import type { ServiceInput } from "../lib/config/schema";

/** Teams as their services: a team is the services with the same owners, in order. */
function teams(org: GeneratedOrg): ServiceInput[][] {
  const byOwners = new Map<string, ServiceInput[]>();
  for (const service of Object.values(org.services)) {
    const key = service.owners.join(",");
    byOwners.set(key, [...(byOwners.get(key) ?? []), service]);
  }
  return [...byOwners.values()];
}

const share = (org: GeneratedOrg, test: (s: ServiceInput) => boolean) => Object.values(org.services).filter(test).length / Object.keys(org.services).length;

describe("the generated organization", () => {
  const dmm = generateOrg(platform, { developers: 120, services: 40 });
  const tenX = generateOrg(platform, { developers: 1200, services: 400 });

  it("at DMM's size: 120 engineers in 16 teams of 2 to 10 people, each owning 1 to 4 of the 40 services", () => {
    const found = teams(dmm);
    expect(found).toHaveLength(16);
    expect(dmm.teams).toBe(16);
    for (const team of found) {
      expect(team.length).toBeGreaterThanOrEqual(1);
      expect(team.length).toBeLessThanOrEqual(4);
      expect(team[0]!.owners.length).toBeGreaterThanOrEqual(2);
      expect(team[0]!.owners.length).toBeLessThanOrEqual(10);
      expect(new Set(team[0]!.owners).size).toBe(team[0]!.owners.length);
    }
    // Most engineers are in a team; the others own no service.
    const owning = new Set(Object.values(dmm.services).flatMap((s) => s.owners));
    expect(owning.size).toBeGreaterThan(100);
    expect([...owning].every((key) => key in dmm.developers)).toBe(true);
  });

  it("at ten times DMM: 160 teams owning the 400 services", () => {
    expect(teams(tenX)).toHaveLength(160);
    expect(tenX.teams).toBe(160);
  });

  it("is mostly shared tenancy with some dedicated clusters, mostly ECR with some Artifact Registry, mostly one region with some two", () => {
    const dedicated = share(tenX, (s) => s.kubernetes?.tenancy === "dedicated");
    const gar = share(tenX, (s) => s.registry?.kind === "gar");
    const twoRegions = share(tenX, (s) => (s.regions?.length ?? 1) === 2);
    expect(dedicated).toBeGreaterThan(0.03);
    expect(dedicated).toBeLessThan(0.2);
    expect(gar).toBeGreaterThan(0.1);
    expect(gar).toBeLessThan(0.35);
    expect(twoRegions).toBeGreaterThan(0.1);
    expect(twoRegions).toBeLessThan(0.4);
    // DMM's own 40 services have each kind too, so its figures cover them.
    expect(share(dmm, (s) => s.kubernetes?.tenancy === "dedicated")).toBeGreaterThan(0);
    expect(share(dmm, (s) => s.registry?.kind === "gar")).toBeGreaterThan(0);
    expect(share(dmm, (s) => (s.regions?.length ?? 1) === 2)).toBeGreaterThan(0);
  });

  it("is the same for the same seed and differs for another", () => {
    expect(generateOrg(platform, { developers: 120, services: 40 })).toEqual(dmm);
    expect(generateOrg(platform, { developers: 120, services: 40, seed: 2 })).not.toEqual(dmm);
  });

  it("with one more service keeps every other service as it was (what the blast-radius figure needs)", () => {
    const plusOne = generateOrg(platform, { developers: 120, services: 41 });
    const { svc040, ...rest } = plusOne.services;
    expect(svc040).toBeDefined();
    expect(rest).toEqual(dmm.services);
    expect(plusOne.developers).toEqual(dmm.developers);
  });
});
