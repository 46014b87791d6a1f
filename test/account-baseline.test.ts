import { describe, expect, it } from "vitest";
import { planStacks } from "../lib/plan/stack-plan";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
const specs = planStacks(model);
const one = (stack: any, type: string) => Object.values(resources(stack, type)) as any[];

describe("the account baseline in service stacks", () => {
  const serviceStacks = specs.filter((s) => s.kind === "service");

  it("turns on EBS encryption by default in every service stack", () => {
    for (const s of serviceStacks) expect(one(stacks[s.name], "aws_ebs_encryption_by_default"), s.name).toEqual([expect.objectContaining({ enabled: true })]);
  });

  it("records every resource with AWS Config and delivers to the log archive bucket of the same region", () => {
    for (const s of serviceStacks) {
      const stack = stacks[s.name];
      expect(one(stack, "aws_config_configuration_recorder"), s.name).toEqual([expect.objectContaining({ recording_group: expect.objectContaining({ all_supported: true }) })]);
      expect(one(stack, "aws_config_delivery_channel").map((c) => c.s3_bucket_name), s.name).toEqual([`log-archive-100000000002-config-${s.region}`]);
      expect(one(stack, "aws_config_configuration_recorder_status"), s.name).toEqual([expect.objectContaining({ is_enabled: true })]);
    }
  });

  it("delivers only to buckets the log archive stacks create", () => {
    const buckets = new Set(specs.filter((s) => s.kind === "log-archive").flatMap((s) => one(stacks[s.name], "aws_s3_bucket").map((b) => b.bucket)));
    for (const stack of Object.values(stacks)) {
      for (const c of one(stack, "aws_config_delivery_channel")) {
        // The log archive's own channel references its bucket (so it waits for it); the rest name it.
        const ref = /^\$\{aws_s3_bucket\.([\w-]+)\.bucket\}$/.exec(c.s3_bucket_name);
        expect(buckets).toContain(ref ? stack.resource.aws_s3_bucket[ref[1]!].bucket : c.s3_bucket_name);
      }
    }
  });

  it("puts the account-global parts in the service's primary region only", () => {
    const global = ["aws_s3_account_public_access_block", "aws_iam_account_password_policy", "aws_iam_service_linked_role"];
    for (const type of global) {
      expect(one(stacks["service-payments-ap-northeast-1"], type), type).toHaveLength(1);
      expect(one(stacks["service-payments-ap-northeast-3"], type), type).toHaveLength(0);
    }
    expect(one(stacks["service-payments-ap-northeast-1"], "aws_s3_account_public_access_block")[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(one(stacks["service-payments-ap-northeast-1"], "aws_iam_account_password_policy")[0]).toMatchObject({ minimum_password_length: 14, password_reuse_prevention: 24 });
  });

  it("records global resource types (IAM) in the primary region only, so they are not recorded twice", () => {
    expect(one(stacks["service-payments-ap-northeast-1"], "aws_config_configuration_recorder")[0].recording_group.include_global_resource_types).toBe(true);
    expect(one(stacks["service-payments-ap-northeast-3"], "aws_config_configuration_recorder")[0].recording_group.include_global_resource_types).toBe(false);
  });

  it("creates no account-level Access Analyzer: the organization analyzer covers every member account", () => {
    for (const s of serviceStacks) expect(one(stacks[s.name], "aws_accessanalyzer_analyzer"), s.name).toEqual([]);
  });
});

describe("the account baseline in platform accounts", () => {
  it("covers every region of every platform account, with the global parts once per account", () => {
    const byAccount = new Map<string, string[]>();
    for (const s of specs.filter((x) => x.account !== "service" && x.account !== "none" && x.kind !== "accounts")) {
      byAccount.set(s.account, [...(byAccount.get(s.account) ?? []), s.name]);
    }
    expect([...byAccount.keys()].sort()).toEqual(["bastion", "cluster", "logArchive", "management", "network", "security"]);
    for (const [account, names] of byAccount) {
      const regional = names.flatMap((n) => one(stacks[n], "aws_ebs_encryption_by_default").map((e) => e.region ?? specs.find((s) => s.name === n)!.region));
      expect(regional.sort(), account).toEqual([...model.platform.regions]);
      const channels = names.flatMap((n) => one(stacks[n], "aws_config_delivery_channel"));
      expect(channels, account).toHaveLength(model.platform.regions.length);
      expect(names.flatMap((n) => one(stacks[n], "aws_s3_account_public_access_block")), account).toHaveLength(1);
      expect(names.flatMap((n) => one(stacks[n], "aws_iam_account_password_policy")), account).toHaveLength(1);
    }
  });
});
