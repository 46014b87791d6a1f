import { describe, expect, it } from "vitest";
import { exampleRaw, onlyProblem } from "./helpers.js";



describe("bad input for the platform OU", () => {
  it("reports a platformOu that is not an OU, with the OUs that could hold the platform accounts", () => {
    const raw = exampleRaw();
    raw.platform.platformOu = "platfrom";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "platformOu", value: "platfrom", message: "is not an organizational unit of the platform", fix: expect.stringContaining("platform") });
  });

  it("reports a platformOu that holds service accounts", () => {
    const raw = exampleRaw();
    raw.platform.platformOu = "sandbox";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "platformOu", value: "sandbox", message: "is an OU for service accounts; the platform accounts need one of their own", fix: "use one of: platform" });
  });
});

describe("bad input for account vending", () => {
  it("reports a service in an OU the platform does not define: file, entry, field, value and the OUs to use", () => {
    const raw = exampleRaw();
    raw.index.ledger.account.ou = "workloads-staging";
    expect(onlyProblem(raw)).toEqual({
      file: "config/services/ledger.ts",
      entry: "ledger",
      field: "account.ou",
      value: "workloads-staging",
      message: "is not an organizational unit of the platform",
      fix: "use one of: workloads-prod, workloads-nonprod, sandbox",
    });
  });

  it("reports a service placed in an OU that exists but holds no service accounts", () => {
    const raw = exampleRaw();
    raw.index.ledger.account.ou = "platform";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/ledger.ts", entry: "ledger", field: "account.ou", value: "platform", message: "is not an OU for service accounts", fix: expect.not.stringContaining("platform") });
  });

  it("reports an account email already used by another service, naming that file", () => {
    const raw = exampleRaw();
    raw.index.recommendations.account.email = "aws+ledger@example.com";
    expect(onlyProblem(raw)).toMatchObject({
      file: "config/services/recommendations.ts",
      entry: "recommendations",
      field: "account.email",
      value: "aws+ledger@example.com",
      message: "is already used by config/services/ledger.ts account.email",
      fix: expect.stringContaining("own root email"),
    });
  });

  it("reports an account email reused with different letter case (AWS treats emails case-insensitively)", () => {
    const raw = exampleRaw();
    raw.index.recommendations.account.email = "AWS+Ledger@Example.com";
    expect(onlyProblem(raw)).toMatchObject({ entry: "recommendations", field: "account.email", value: "AWS+Ledger@Example.com" });
  });

  it("reports a service account email that is a platform account's email", () => {
    const raw = exampleRaw();
    raw.index.ledger.account.email = "aws+security@example.com";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/ledger.ts", entry: "ledger", field: "account.email", message: "is already used by the platform" });
  });

  it("reports a region outside the platform's allowed list, listing the allowed ones", () => {
    const raw = exampleRaw();
    raw.index.ledger.regions = ["eu-west-1"];
    raw.index.ledger.network.cidrs = { "eu-west-1": "10.16.16.0/20" };
    expect(onlyProblem(raw)).toEqual({
      file: "config/services/ledger.ts",
      entry: "ledger",
      field: "regions.0",
      value: "eu-west-1",
      message: "is not a region the platform allows",
      fix: "use one of: ap-northeast-1, ap-northeast-3",
    });
  });

  it("reports a bastion identity provider name IAM would reject", () => {
    const raw = exampleRaw();
    raw.platform.access.samlProvider = "corporate idp";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "access.samlProvider", value: "corporate idp", fix: expect.stringContaining("IAM") });
  });
});
