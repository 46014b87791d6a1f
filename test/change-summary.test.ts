import { describe, expect, it } from "vitest";
import { changedPaths, compareSynths, renderSummary, stacksToPlan } from "../lib/review/change-summary";

const isStateful = (t: string) => ["aws_s3_bucket", "aws_kms_key"].includes(t);
const meta = (path: string) => ({ "//": { metadata: { path, uniqueId: path } } });

const base = {
  "service-a": {
    "//": { metadata: { stackName: "service-a" } },
    provider: { aws: [{ region: "ap-northeast-1" }] },
    resource: {
      aws_sqs_queue: { jobs: { ...meta("service-a/jobs"), name: "jobs", tags: { owners: "alice" } } },
      aws_s3_bucket: { logs: { ...meta("service-a/logs"), bucket: "a-logs" } },
      aws_iam_role: { app: { name: "app", inline_policy: [{ name: "p", policy: "{}" }] }, old: { name: "old" } },
    },
  },
  "service-gone": { resource: { aws_kms_key: { k: { lifecycle: { prevent_destroy: true } } } } },
  unchanged: { resource: { aws_sqs_queue: { q: { ...meta("unchanged/q"), name: "q" } } } },
};
const head = {
  "service-a": {
    "//": { metadata: { stackName: "service-a", version: "other" } },
    provider: { aws: [{ region: "ap-northeast-1", default_tags: [{ tags: { service: "a" } }] }] },
    moved: [{ from: "aws_iam_role.old", to: "aws_iam_role.renamed" }],
    resource: {
      aws_sqs_queue: { jobs: { ...meta("service-a/renamed-construct/jobs"), name: "jobs", tags: { owners: "alice bob" } }, extra: { name: "extra" } },
      aws_iam_role: { app: { name: "app", inline_policy: [{ name: "p", policy: "{\"x\":1}" }] }, renamed: { name: "old" } },
    },
  },
  "service-new": { resource: { aws_sqs_queue: { q: { name: "q" } } } },
  unchanged: { resource: { aws_sqs_queue: { q: { ...meta("unchanged/other-path"), name: "q" } } } },
};

describe("the change summary's comparison", () => {
  const changes = compareSynths(base, head, { isStateful });
  const a = changes.find((c) => c.stack === "service-a")!;

  it("lists added, removed and changed stacks, and leaves out stacks that differ only in metadata", () => {
    expect(changes.map((c) => [c.stack, c.status])).toEqual([["service-a", "changed"], ["service-gone", "removed"], ["service-new", "added"]]);
  });

  it("lists resources added, changed (with the changed attribute paths) and destroyed by Terraform address", () => {
    expect(a.resources.map((r) => [r.action, r.address, r.paths])).toEqual([
      ["change", "aws_iam_role.app", ["inline_policy[0].policy"]],
      ["move", "aws_iam_role.renamed", []],
      ["destroy", "aws_s3_bucket.logs", []],
      ["add", "aws_sqs_queue.extra", []],
      ["change", "aws_sqs_queue.jobs", ["tags.owners"]],
    ]);
  });

  it("treats a `moved` block as a rename, not a destroy and a create", () => {
    expect(a.resources.find((r) => r.address === "aws_iam_role.renamed")).toMatchObject({ action: "move", from: "aws_iam_role.old" });
  });

  it("flags the destroy of a stateful resource, and of a resource marked prevent_destroy", () => {
    expect(a.resources.filter((r) => r.dangerous).map((r) => r.address)).toEqual(["aws_s3_bucket.logs"]);
    expect(changes.find((c) => c.stack === "service-gone")!.resources).toEqual([expect.objectContaining({ address: "aws_kms_key.k", action: "destroy", dangerous: true })]);
  });

  it("records changed blocks other than resources", () => {
    expect(a.other).toEqual(["moved", "provider"]);
  });

  it("plans added and changed stacks, not removed ones", () => {
    expect(stacksToPlan(changes)).toEqual(["service-a", "service-new"]);
  });

  it("finds nested attribute paths, arrays by position", () => {
    expect(changedPaths({ a: { b: [1, 2] }, c: 1 }, { a: { b: [1, 3, 4] }, c: 1, d: 2 })).toEqual(["a.b[1]", "a.b[2]", "d"]);
  });
});

describe("the change summary's Markdown", () => {
  const md = renderSummary(compareSynths(base, head, { isStateful }), "main");

  it("calls out destroys of stateful resources and removed workspaces before the table", () => {
    const caution = md.slice(0, md.indexOf("| workspace"));
    expect(caution).toMatch(/\[!CAUTION\]/);
    expect(caution).toMatch(/2 stateful or protected resources would be DESTROYED/);
    expect(caution).toMatch(/`service-a`: `aws_s3_bucket\.logs`/);
    expect(caution).toMatch(/Workspaces removed\*\*: `service-gone`/);
  });

  it("gives one table row of counts per workspace, details folded below", () => {
    expect(md).toMatch(/\| `service-a` \| changed \| 1 \| 3 \| 1 \| `moved` `provider` \|/);
    expect(md).toMatch(/\| `service-new` \| \*\*new\*\* \| 1 \| 0 \| 0 \|/);
    const firstFold = md.indexOf("<details>");
    expect(md.slice(0, firstFold)).not.toMatch(/aws_sqs_queue\.jobs/);
    expect(md.slice(firstFold)).toMatch(/- `~` `aws_sqs_queue\.jobs`: `tags\.owners`/);
  });

  it("says so when nothing changes", () => {
    expect(renderSummary([], "main")).toMatch(/No workspace changes/);
  });
});
