import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../main.js";
import { runCommand } from "./command.js";
import { EXAMPLE_GOOGLE_PROJECT, EXAMPLE_NETWORK, EXAMPLE_ORGANIZATION, exampleValueProblems, isExampleAccountId, isExampleEmail } from "../lib/config/example-values";
import type { OrganizationModel } from "../lib/config/model";
import { validate } from "../lib/config/validate";
import { exampleRaw } from "./helpers.js";

const files = { platform: "config/platform.ts", developers: "config/developers.ts", service: (key: string) => `config/services/${key}.ts` };

/*
 * Fixtures: the organization's config with example values planted (so these tests hold
 * whatever config/ holds), and one with every value replaced.
 */
function planted() {
  const raw = exampleRaw();
  const pf = raw.platform;
  pf.name = EXAMPLE_ORGANIZATION;
  Object.entries<any>(pf.accounts).forEach(([key, account], i) => {
    account.id = `1000000000${String(i + 1).padStart(2, "0")}`;
    account.email = `aws+${key.toLowerCase()}@example.com`;
  });
  pf.terraformCloud.organization = EXAMPLE_ORGANIZATION;
  pf.github.organization = EXAMPLE_ORGANIZATION;
  pf.tags = { ...pf.tags, organization: EXAMPLE_ORGANIZATION };
  pf.registry.gar = { project: EXAMPLE_GOOGLE_PROJECT, location: "asia-northeast1", workloadIdentityPool: "projects/123456789012/locations/global/workloadIdentityPools/aws-accounts" };
  const [dev] = Object.keys(raw.developers);
  raw.developers[dev!].email = `${dev}@example.com`;
  const [svc] = Object.keys(raw.index);
  const service = { ...raw.index[svc!], account: { ...raw.index[svc!].account, email: `aws+${svc}@example.com` } };
  raw.index[svc!] = service;
  raw.serviceFiles[svc!] = service;
  return { raw, dev: dev!, svc: svc! };
}

function adopted() {
  const { raw } = planted();
  const pf = raw.platform;
  pf.name = "acme";
  Object.values<any>(pf.accounts).forEach((account, i) => {
    account.id = `4${String(i + 1).padStart(11, "7")}`;
    account.email = account.email.replace("example.com", "acme.co.jp");
  });
  pf.terraformCloud.organization = "acme";
  pf.github.organization = "acme-inc";
  pf.tags.organization = "acme";
  pf.registry.gar.project = "acme-registry";
  pf.registry.gar.workloadIdentityPool = "projects/987654321098/locations/global/workloadIdentityPools/aws-accounts";
  if (pf.gke) pf.gke.project = "acme-gke";
  for (const d of Object.values<any>(raw.developers)) {
    d.email = d.email.replace(/@.*$/, "@acme.co.jp");
    if (d.google) d.google = d.google.replace(/@.*$/, "@acme.co.jp");
  }
  for (const key of Object.keys(raw.index)) {
    const s = { ...raw.index[key], account: { ...raw.index[key].account, email: `aws+${key}@acme.co.jp` } };
    raw.index[key] = s;
    raw.serviceFiles[key] = s;
  }
  return raw;
}

/** A model whose network is the example's (pools and egress are checked per region). */
function withExampleNetwork(model: OrganizationModel): OrganizationModel {
  const regions = Object.keys(EXAMPLE_NETWORK.pools);
  return { ...model, platform: { ...model.platform, regions: regions as never, network: { ...model.platform.network, pools: structuredClone(EXAMPLE_NETWORK.pools) as never, egress: { ...EXAMPLE_NETWORK.egress } } } };
}

/** Writes a raw config as a config directory (plain objects need no define helper). */
function writeConfig(raw: ReturnType<typeof exampleRaw>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "strict-"));
  mkdirSync(path.join(dir, "services"));
  writeFileSync(path.join(dir, "platform.ts"), `export default ${JSON.stringify(raw.platform, null, 2)};\n`);
  writeFileSync(path.join(dir, "developers.ts"), `export default ${JSON.stringify(raw.developers, null, 2)};\n`);
  const keys = Object.keys(raw.index);
  keys.forEach((key) => writeFileSync(path.join(dir, "services", `${key}.ts`), `export default ${JSON.stringify(raw.index[key], null, 2)};\n`));
  writeFileSync(path.join(dir, "services.ts"), `${keys.map((k, i) => `import s${i} from "./services/${k}.ts";`).join("\n")}\nexport default { ${keys.map((k, i) => `${JSON.stringify(k)}: s${i}`).join(", ")} };\n`);
  return dir;
}

describe("--strict: example values a real organization must replace", () => {
  it("recognizes documentation account IDs and domains, and nothing else", () => {
    expect(["100000000001", "123456789012", "111111111111"].every(isExampleAccountId)).toBe(true);
    expect(["411111111112", "100000000100", "210987654321"].some(isExampleAccountId)).toBe(false);
    expect(["aws+x@example.com", "a@dev.example.org", "b@EXAMPLE.NET"].every(isExampleEmail)).toBe(true);
    expect(["a@example.co.jp", "a@notexample.com", "example.com@acme.co.jp"].some(isExampleEmail)).toBe(false);
  });

  it("names every example value with file, entry, field, value and fix", () => {
    const { raw, dev, svc } = planted();
    const problems = exampleValueProblems(withExampleNetwork(validate(raw)), files);
    const fields = problems.map((p) => `${p.file}|${p.entry}|${p.field}`);
    expect(fields).toEqual(expect.arrayContaining([
      "config/platform.ts||name",
      "config/platform.ts||accounts.management.id",
      "config/platform.ts||accounts.bastion.email",
      "config/platform.ts||terraformCloud.organization",
      "config/platform.ts||github.organization",
      "config/platform.ts||tags.organization",
      "config/platform.ts||registry.gar.project",
      "config/platform.ts||registry.gar.workloadIdentityPool",
      "config/platform.ts||gke.project",
      ...Object.keys(EXAMPLE_NETWORK.pools).flatMap((r) => [`config/platform.ts||network.pools.${r}`, `config/platform.ts||network.egress.${r}`]),
      `config/developers.ts|${dev}|email`,
      `config/developers.ts|${dev}|google`,
      `config/services/${svc}.ts|${svc}|account.email`,
    ]));
    for (const p of problems) {
      expect(p.message).toMatch(/^is the example organization's /);
      expect(p.fix.length).toBeGreaterThan(20);
      expect(p.value).toBeDefined();
    }
  });

  it("finds nothing in an organization that replaced them, and each one again when it is put back", () => {
    const model = validate(adopted());
    const network = { ...model.platform.network, pools: Object.fromEntries(Object.keys(model.platform.network.pools).map((r, i) => [r, { prod: `10.${128 + i * 48}.0.0/12`, nonprod: `10.${144 + i * 48}.0.0/12`, shared: `10.${160 + i * 48}.0.0/16` }])), egress: Object.fromEntries(Object.keys(model.platform.network.egress).map((r, i) => [r, `10.250.${i * 4}.0/22`])) };
    const own = { ...model, platform: { ...model.platform, network: network as never } };
    expect(exampleValueProblems(own, files)).toEqual([]);
    const back = adopted();
    back.platform.accounts.network.id = "100000000004";
    expect(exampleValueProblems({ ...validate(back), platform: { ...validate(back).platform, network: network as never } }, files)).toEqual([expect.objectContaining({ field: "accounts.network.id", value: "100000000004" })]);
  });

  it("points at the line of the value when the file can be read", () => {
    const text = 'export default definePlatform({\n  name: "example",\n});\n';
    const problems = exampleValueProblems(validate(planted().raw), { ...files, read: (f) => (f === files.platform ? text : undefined) });
    expect(problems.find((p) => p.field === "name")!.file).toBe("config/platform.ts:2");
    expect(problems.find((p) => p.field === "email")!.file).toBe("config/developers.ts");
  });

  // The command's run() in this process (cli.test.ts runs the command itself).
  it("fails `validate --strict` on example values while plain validation passes", async () => {
    const dir = writeConfig(planted().raw);
    try {
      const validateOnly = (args: string[]) => runCommand(() => run(["--validate-only", "--config", dir, ...args]));
      const strict = await validateOnly(["--strict"]);
      expect(strict.status).toBe(1);
      expect(strict.stderr).toMatch(/\/platform\.ts:\d+ > accounts\.management\.id$/m);
      expect(strict.stderr).toContain("problem: is the example organization's account ID");
      expect(strict.stderr).not.toMatch(/\n\s+at /);
      expect((await validateOnly([])).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
