import { describe, expect, it } from "vitest";
import { validate } from "../lib/config/validate";
import { exampleRaw, onlyProblem, problemsOf, withService } from "./helpers.js";



describe("tenancy and registry input", () => {
  it("reports a quota above the platform maximum with file, entry, field, value and fix", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.quota.memory = "512Gi";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/payments.ts", entry: "payments", field: "kubernetes.quota.memory", value: "512Gi", fix: expect.stringContaining("256Gi") });
  });

  it("reports a namespace that is not a DNS-1123 label with file, entry, field, value and fix", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.namespace = "payments.api";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/payments.ts", entry: "payments", field: "kubernetes.namespace", value: "payments.api", fix: expect.stringContaining("lower-case") });
  });

  it("reports a namespace longer than 63 characters", () => {
    const raw = exampleRaw();
    const long = "a".repeat(64);
    raw.index.payments.kubernetes.namespace = long;
    expect(onlyProblem(raw)).toMatchObject({ field: "kubernetes.namespace", value: long });
  });

  it("reports a namespace colliding with a system namespace, suggesting another", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.namespace = "default";
    expect(onlyProblem(raw)).toMatchObject({ entry: "payments", field: "kubernetes.namespace", value: "default", message: expect.stringContaining("reserved"), fix: expect.stringContaining("payments-app") });
  });

  it("reports a namespace colliding with the ingress controller's", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.namespace = "ingress-nginx";
    expect(onlyProblem(raw)).toMatchObject({ field: "kubernetes.namespace", value: "ingress-nginx", message: expect.stringContaining("platform") });
  });

  it("reports an unknown tenancy with file, entry, field, value and the allowed values", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.tenancy = "multi";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/payments.ts", entry: "payments", field: "kubernetes.tenancy", value: "multi", fix: expect.stringMatching(/shared.*dedicated/) });
  });

  it("reports a repository name repeated within a service with file, entry, field, value and fix", () => {
    const raw = exampleRaw();
    raw.index.recommendations.registry.repositories = ["api", "trainer", "api"];
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/recommendations.ts", entry: "recommendations", field: "registry.repositories", value: "api", fix: "remove the duplicate" });
  });

  it("reports a registry with no GitHub repository allowed to push to it", () => {
    const raw = exampleRaw();
    raw.index.ledger.githubRepositories = [];
    expect(onlyProblem(raw)).toMatchObject({ entry: "ledger", field: "githubRepositories", message: expect.stringContaining("no CI role"), fix: expect.stringContaining('["ledger"]') });
  });

  it("accepts a retired service's registry without GitHub repositories (nobody pushes any more)", () => {
    const raw = exampleRaw();
    raw.index.ledger.githubRepositories = [];
    raw.index.ledger.retired = true;
    expect(problemsOf(raw)).toEqual([]);
  });

  it("reports a GitHub repository written with its organization", () => {
    const raw = exampleRaw();
    raw.index.ledger.githubRepositories = ["example/ledger"];
    expect(onlyProblem(raw)).toMatchObject({ field: "githubRepositories.0", value: "example/ledger", fix: expect.stringContaining("organization is example") });
  });

  it("reports an Artifact Registry repository whose ID would start with a digit", () => {
    const raw = exampleRaw();
    const recs = structuredClone(raw.index.recommendations);
    withService(raw, "9lives", { ...recs, infrastructure: undefined, account: { ...recs.account, email: "aws+9lives@example.com" }, kubernetes: { tenancy: "shared" }, network: { cidrs: { "ap-northeast-1": "10.32.16.0/20" } }, slack: { handle: "nine-lives" }, registry: { kind: "gar", repositories: ["api"] } });
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/9lives.ts", entry: "9lives", field: "registry.repositories.0", value: "api", message: expect.stringContaining("must start with a letter") });
  });

  it("reports platform node group sizes out of order", () => {
    const raw = exampleRaw();
    raw.platform.kubernetes.nodeGroups.general.desiredSize = 20;
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "kubernetes.nodeGroups.general", message: expect.stringContaining("out of order") });
  });

  it("defaults namespaceShards to 4", () => {
    const raw = exampleRaw();
    delete raw.platform.kubernetes.namespaceShards;
    expect(validate(raw).platform.kubernetes.namespaceShards).toBe(4);
  });

  it("reports a malformed workload identity pool for Artifact Registry", () => {
    const raw = exampleRaw();
    raw.platform.registry.gar.workloadIdentityPool = "aws-accounts";
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ file: "config/platform.ts", field: "registry.gar.workloadIdentityPool", value: "aws-accounts" }));
  });
});
