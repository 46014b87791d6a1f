import { describe, expect, it } from "vitest";
import { validate } from "../lib/config/validate";
import { exampleRaw, onlyProblem, problemsOf, withService } from "./helpers.js";



describe("validation of the example organization", () => {
  it("accepts the example config and sorts services and developers by key", () => {
    const model = validate(exampleRaw());
    expect(model.services.map((s) => s.key)).toEqual(["ledger", "payments", "recommendations"]);
    expect(model.developers.map((d) => d.key)).toEqual(["alice", "bob", "carol", "dave", "erin"]);
  });

  it("fills defaults: namespace from the key, quota from the platform", () => {
    const ledger = validate(exampleRaw()).services.find((s) => s.key === "ledger")!;
    expect(ledger.namespace).toBe("ledger");
    expect(ledger.quota).toEqual({ cpu: "8", memory: "32Gi", pods: 50 });
  });
});

describe("service entries", () => {
  it("reports an owner who is not in the developer map, with file, entry, field, value and fix", () => {
    const raw = exampleRaw();
    raw.index.payments.owners = ["alice", "zoe"];
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/payments.ts", entry: "payments", field: "owners.1", value: "zoe", fix: expect.stringContaining("config/developers.ts") });
  });

  it("reports a service with no owner", () => {
    const raw = exampleRaw();
    raw.index.ledger.owners = [];
    expect(onlyProblem(raw)).toMatchObject({ entry: "ledger", field: "owners", message: expect.stringContaining("no owner") });
  });

  it("reports a malformed account email", () => {
    const raw = exampleRaw();
    raw.index.ledger.account.email = "ledger-at-example.com";
    expect(onlyProblem(raw)).toMatchObject({ field: "account.email", value: "ledger-at-example.com", message: "is not a valid email address" });
  });

  it("reports an account email longer than AWS's 64 characters", () => {
    const raw = exampleRaw();
    const long = `aws+${"x".repeat(60)}@example.com`;
    raw.index.ledger.account.email = long;
    expect(onlyProblem(raw)).toMatchObject({ field: "account.email", value: long, message: expect.stringContaining("64 characters") });
  });

  it("reports an account email used by two services, naming the other file", () => {
    const raw = exampleRaw();
    raw.index.recommendations.account.email = "aws+payments@example.com";
    expect(onlyProblem(raw)).toMatchObject({ entry: "recommendations", field: "account.email", message: expect.stringContaining("config/services/payments.ts account.email") });
  });

  it("reports a region the platform does not allow", () => {
    const raw = exampleRaw();
    raw.index.ledger.regions = ["us-east-1"];
    raw.index.ledger.network.cidrs = { "us-east-1": "10.16.16.0/20" };
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ field: "regions.0", value: "us-east-1", fix: expect.stringContaining("ap-northeast-1") }));
  });

  it("reports a region that is not an AWS region at all", () => {
    const raw = exampleRaw();
    raw.index.ledger.regions = ["tokyo"];
    expect(onlyProblem(raw)).toMatchObject({ field: "regions.0", value: "tokyo", message: "is not an AWS region" });
  });

  it("reports two shared-tenancy services claiming one namespace", () => {
    const raw = exampleRaw();
    raw.index.recommendations.kubernetes.namespace = "payments";
    expect(onlyProblem(raw)).toMatchObject({ entry: "recommendations", field: "kubernetes.namespace", value: "payments", message: expect.stringContaining("payments.ts") });
  });

  it("reports a namespace that is not a DNS-1123 label", () => {
    const raw = exampleRaw();
    raw.index.recommendations.kubernetes.namespace = "Recs_Team";
    expect(onlyProblem(raw)).toMatchObject({ field: "kubernetes.namespace", value: "Recs_Team", message: expect.stringContaining("DNS-1123") });
  });

  it("reports a namespace reserved for the system", () => {
    const raw = exampleRaw();
    raw.index.recommendations.kubernetes.namespace = "kube-system";
    expect(onlyProblem(raw)).toMatchObject({ field: "kubernetes.namespace", value: "kube-system", message: expect.stringContaining("reserved") });
  });

  it("reports a quota above the platform maximum with the maximum in the fix", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.quota.cpu = "128";
    expect(onlyProblem(raw)).toMatchObject({ field: "kubernetes.quota.cpu", value: "128", fix: expect.stringContaining("64") });
  });

  it("reports an organizational unit the platform does not define, listing the valid ones", () => {
    const raw = exampleRaw();
    raw.index.ledger.account.ou = "workloads-production";
    expect(onlyProblem(raw)).toMatchObject({ field: "account.ou", value: "workloads-production", fix: expect.stringContaining("workloads-prod") });
  });

  it("reports an unknown tenancy with the allowed values", () => {
    const raw = exampleRaw();
    raw.index.ledger.kubernetes.tenancy = "single";
    expect(onlyProblem(raw)).toMatchObject({ field: "kubernetes.tenancy", value: "single", fix: expect.stringContaining("dedicated") });
  });

  it("reports a misspelt field and lists the known ones", () => {
    const raw = exampleRaw();
    raw.index.ledger.descripton = "typo";
    expect(onlyProblem(raw)).toMatchObject({ field: "descripton", message: "is not a known field", fix: expect.stringContaining("description") });
  });

  it("reports a field of the wrong type", () => {
    const raw = exampleRaw();
    raw.index.ledger.owners = "carol";
    expect(onlyProblem(raw)).toMatchObject({ field: "owners", value: "carol", message: "must be an array, not a string" });
  });

  it("reports a repeated repository name", () => {
    const raw = exampleRaw();
    raw.index.payments.registry.repositories = ["api", "api"];
    expect(onlyProblem(raw)).toMatchObject({ field: "registry.repositories", value: "api" });
  });

  it("reports a Slack handle used by two services", () => {
    const raw = exampleRaw();
    raw.index.ledger.slack.handle = "payments-team";
    expect(onlyProblem(raw)).toMatchObject({ entry: "payments", field: "slack.handle" });
  });

  it("reports a service name too long for a Terraform Cloud workspace", () => {
    const raw = withService(exampleRaw(), "a".repeat(41), structuredClone(exampleRaw().index.ledger));
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ entry: "a".repeat(41), message: expect.stringContaining("not a valid service name") }));
  });
});

describe("the services index", () => {
  it("reports a file in config/services/ that the index does not list", () => {
    const raw = exampleRaw();
    raw.serviceFiles.billing = structuredClone(raw.index.ledger);
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/billing.ts", entry: "billing", fix: expect.stringContaining("config/services.ts") });
  });

  it("reports an index entry with no file", () => {
    const raw = exampleRaw();
    delete raw.serviceFiles.ledger;
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services.ts", entry: "ledger", message: expect.stringContaining("no file") });
  });

  it("reports an index key that imports another file's service", () => {
    const raw = exampleRaw();
    raw.index.ledger = raw.serviceFiles.payments;
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ file: "config/services.ts", entry: "ledger", message: expect.stringContaining("different file") }));
  });
});

describe("developer entries", () => {
  it("reports an invalid GitHub username", () => {
    const raw = exampleRaw();
    raw.developers.carol.github = "carol--s-";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/developers.ts", entry: "carol", field: "github", value: "carol--s-" });
  });

  it("reports a GitHub username used by two developers, ignoring case", () => {
    const raw = exampleRaw();
    raw.developers.dave.github = "BobSato";
    expect(onlyProblem(raw)).toMatchObject({ entry: "dave", field: "github", message: expect.stringContaining("bob") });
  });

  it("reports an email used by two developers", () => {
    const raw = exampleRaw();
    raw.developers.erin.email = "alice@example.com";
    expect(onlyProblem(raw)).toMatchObject({ entry: "erin", field: "email" });
  });

  it("reports a malformed Slack member ID", () => {
    const raw = exampleRaw();
    raw.developers.erin.slack = "@erin";
    expect(onlyProblem(raw)).toMatchObject({ entry: "erin", field: "slack", value: "@erin", fix: expect.stringContaining("member ID") });
  });

  it("reports a Datadog role outside the platform's allow-list", () => {
    const raw = exampleRaw();
    raw.developers.erin.datadogRole = "Datadog Admin Role";
    expect(onlyProblem(raw)).toMatchObject({ entry: "erin", field: "datadogRole", fix: expect.stringContaining("Datadog Standard Role") });
  });
});

describe("many mistakes at once", () => {
  it("reports every problem of a config with a dozen mistakes in one error", () => {
    const raw = exampleRaw();
    raw.index.payments.owners = ["alice", "zoe"];
    raw.index.ledger.owners = [];
    raw.index.ledger.account.email = "bad-email";
    raw.index.recommendations.kubernetes.namespace = "payments";
    raw.index.recommendations.regions = ["eu-west-9"];
    raw.serviceFiles.billing = structuredClone(raw.index.ledger);
    raw.index.payments.kubernetes.quota.pods = 100_000;
    raw.index.payments.account.ou = "prod";
    raw.developers.carol.github = "-carol";
    raw.developers.dave.email = "bob@example.com";
    raw.developers.erin.slack = "erin";
    raw.developers.erin.pagerdutyRole = "superuser";
    const problems = problemsOf(raw);
    const fields = problems.map((p) => `${p.entry}:${p.field}`);
    expect(fields).toEqual(expect.arrayContaining([
      "payments:owners.1", "ledger:owners", "ledger:account.email", "recommendations:kubernetes.namespace",
      "recommendations:regions.0", "billing:", "payments:kubernetes.quota.pods", "payments:account.ou",
      "carol:github", "dave:email", "erin:slack", "erin:pagerdutyRole",
    ]));
    for (const p of problems) {
      expect(p.file).toMatch(/^config\//);
      expect(p.message.length).toBeGreaterThan(5);
      expect(p.fix.length).toBeGreaterThan(5);
    }
  });
});

describe("suggestions for likely typos", () => {
  it("suggests the developer key an unknown owner is closest to", () => {
    const raw = exampleRaw();
    raw.index.payments.owners = ["alice", "bobb"];
    expect(onlyProblem(raw).fix).toContain('(did you mean "bob"?)');
  });

  it("suggests the field a misspelt one is closest to", () => {
    const raw = exampleRaw();
    raw.index.ledger.descripton = "typo";
    expect(onlyProblem(raw).fix).toContain('(did you mean "description"?)');
  });

  it("suggests nothing when no key is close", () => {
    const raw = exampleRaw();
    raw.index.payments.owners = ["alice", "zoe"];
    expect(onlyProblem(raw).fix).not.toContain("did you mean");
  });
});
