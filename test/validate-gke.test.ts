import { describe, expect, it } from "vitest";
import { validate } from "../lib/config/validate";
import { exampleRaw, onlyProblem, problemsOf } from "./helpers.js";

/* Bad input around GKE tenancy: each mistake is one problem naming file, entry, field, value and fix. */

describe("GKE tenancy input", () => {
  it("defaults kubernetes.clusters to EKS only", () => {
    const raw = exampleRaw();
    delete raw.index.payments.kubernetes.clusters;
    expect(validate(raw).services.find((s) => s.key === "payments")!.kubernetes.clusters).toEqual(["eks"]);
  });

  it("reports a GKE tenant when the platform has no GKE cluster", () => {
    const raw = exampleRaw();
    delete raw.platform.gke;
    raw.platform.prerequisites = raw.platform.prerequisites.filter((x: { id: string }) => x.id !== "google-gke-project");
    raw.index.payments.kubernetes.clusters = ["eks"];
    expect(onlyProblem(raw)).toMatchObject({
      file: "config/services/recommendations.ts", entry: "recommendations", field: "kubernetes.clusters", value: ["gke"],
      message: expect.stringContaining("the platform has no GKE cluster"), fix: expect.stringContaining("configure gke in config/platform.ts"),
    });
  });

  it("reports an owner of a GKE tenant without a Google identity, naming the developer to fix", () => {
    const raw = exampleRaw();
    delete raw.developers.erin.google;
    expect(onlyProblem(raw)).toMatchObject({
      file: "config/services/recommendations.ts", entry: "recommendations", field: "owners.1", value: "erin",
      message: expect.stringContaining("no Google identity"), fix: expect.stringContaining(`add google: "<their Google account email>" to "erin" in config/developers.ts`),
    });
  });

  it("reports a Google identity that is not an email address", () => {
    const raw = exampleRaw();
    raw.developers.erin.google = "erin";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/developers.ts", entry: "erin", field: "google", value: "erin", fix: expect.stringContaining("email") });
  });

  it("reports GKE for a dedicated tenancy", () => {
    const raw = exampleRaw();
    raw.index.ledger.kubernetes.clusters = ["gke"];
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/ledger.ts", entry: "ledger", field: "kubernetes.clusters", value: ["gke"], fix: expect.stringContaining(`tenancy: "shared"`) });
  });

  it("reports an empty cluster list and a cluster named twice", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.clusters = [];
    raw.index.recommendations.kubernetes.clusters = ["gke", "gke"];
    expect(problemsOf(raw)).toEqual([
      expect.objectContaining({ entry: "payments", field: "kubernetes.clusters", value: [], message: expect.stringContaining("lists no cluster"), fix: expect.stringContaining(`["eks"]`) }),
      expect.objectContaining({ entry: "recommendations", field: "kubernetes.clusters", value: "gke", message: "lists a cluster twice", fix: "remove the duplicate" }),
    ]);
  });

  it("reports a cluster that does not exist", () => {
    const raw = exampleRaw();
    raw.index.payments.kubernetes.clusters = ["eks", "aks"];
    expect(onlyProblem(raw)).toMatchObject({ entry: "payments", field: "kubernetes.clusters.1", value: "aks", fix: expect.stringContaining(`"gke"`) });
  });

  it("reports a GKE tenant whose images are in ECR, which the GKE nodes cannot pull", () => {
    const raw = exampleRaw();
    raw.index.payments.registry.kind = "ecr";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/services/payments.ts", entry: "payments", field: "registry.kind", value: "ecr", fix: expect.stringContaining(`use "gar"`) });
  });

  it("reports a GKE cluster without Artifact Registry settings (HCP Terraform's Google pool lives there)", () => {
    const raw = exampleRaw();
    delete raw.platform.registry.gar;
    expect(problemsOf(raw)).toContainEqual(expect.objectContaining({ file: "config/platform.ts", field: "gke", value: "example-gke", fix: "configure registry.gar, or remove gke" }));
  });

  it("reports a control plane range that is not a /28", () => {
    const raw = exampleRaw();
    raw.platform.gke.network.controlPlaneCidr = "172.16.0.0/24";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "gke.network.controlPlaneCidr", value: "172.16.0.0/24", fix: expect.stringContaining("/28") });
  });

  it("reports overlapping GKE ranges", () => {
    const raw = exampleRaw();
    raw.platform.gke.network.serviceCidr = "10.128.0.0/24";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "gke.network.serviceCidr", value: "10.128.0.0/24", message: expect.stringContaining("overlaps gke.network.nodeCidr") });
  });

  it("reports a developer role that is not an IAM role", () => {
    const raw = exampleRaw();
    raw.platform.gke.developerRole = "container.clusterViewer";
    expect(onlyProblem(raw)).toMatchObject({ file: "config/platform.ts", field: "gke.developerRole", value: "container.clusterViewer", fix: expect.stringContaining("roles/container.clusterViewer") });
  });
});
