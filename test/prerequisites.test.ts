import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expandProvides, providedKeys } from "../lib/config/prerequisites";
import { validate } from "../lib/config/validate";
import { exampleModel, exampleRaw, onlyProblem, problemsOf } from "./helpers";

/*
 * The platform's prerequisites: one list in config/platform.ts, the same list in the README's
 * bootstrap, and `provides` keys whose `{path}` placeholders name values of the platform file.
 */

/** The prerequisite ids of the README's bootstrap table, in order. */
function readmePrerequisites(): string[] {
  const readme = readFileSync(path.join(import.meta.dirname, "..", "README.md"), "utf8");
  const start = readme.indexOf("### Bootstrap");
  expect(start, "README has a Bootstrap section").toBeGreaterThan(0);
  const rest = readme.slice(start);
  const end = rest.indexOf("\n## ");
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
}

describe("prerequisites", () => {
  it("are listed in the README's bootstrap section, the same ones in the same order", () => {
    expect(readmePrerequisites()).toEqual(exampleModel().platform.prerequisites.map((p) => p.id));
  });

  it("fill placeholders from the platform file, one key per element of a list", () => {
    const platform = exampleModel().platform;
    expect(expandProvides(platform, "arn:aws:iam::{accounts.bastion.id}:saml-provider/{access.samlProvider}")).toEqual([`arn:aws:iam::${platform.accounts.bastion.id}:saml-provider/${platform.access.samlProvider}`]);
    expect(expandProvides(platform, "datadog-role:{datadog.roles}")).toEqual(platform.datadog.roles.map((r) => `datadog-role:${r}`));
    expect(providedKeys(platform)).toContainEqual({ key: `aws-account:${platform.accounts.management.id}`, prerequisite: "aws-organization" });
  });

  it("follow the config: a new SAML provider name changes the key the bastion stack's trust is matched against", () => {
    const raw = exampleRaw();
    raw.platform.access.samlProvider = "okta";
    expect(providedKeys(validate(raw).platform).map((k) => k.key)).toContain(`arn:aws:iam::${raw.platform.accounts.bastion.id}:saml-provider/okta`);
  });

  it("are optional: a platform without them is valid", () => {
    const raw = exampleRaw();
    delete raw.platform.prerequisites;
    expect(problemsOf(raw)).toEqual([]);
  });

  it("reject a placeholder that names no value, naming the field, the value and the fix", () => {
    const raw = exampleRaw();
    raw.platform.prerequisites[0].provides.push("aws-account:{accounts.billing.id}");
    const p = onlyProblem(raw);
    expect(p).toMatchObject({ file: "config/platform.ts", field: `prerequisites.0.provides.${raw.platform.prerequisites[0].provides.length - 1}`, value: "aws-account:{accounts.billing.id}" });
    expect(p.message).toContain("{accounts.billing.id} names no text value");
    expect(p.fix).toContain("{accounts.bastion.id}");
  });

  it("reject a duplicate id", () => {
    const raw = exampleRaw();
    raw.platform.prerequisites.push({ ...raw.platform.prerequisites[1] });
    const p = onlyProblem(raw);
    expect(p).toMatchObject({ field: `prerequisites.${raw.platform.prerequisites.length - 1}.id`, value: raw.platform.prerequisites[1].id, message: "is the id of an earlier prerequisite" });
  });

  it("reject a prerequisite that does not say how it is created", () => {
    const raw = exampleRaw();
    raw.platform.prerequisites[2].how = "";
    const p = onlyProblem(raw);
    expect(p.field).toBe("prerequisites.2.how");
    expect(p.fix).toContain("say how it is created");
  });
});
