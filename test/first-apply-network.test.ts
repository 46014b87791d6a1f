import { describe, expect, it } from "vitest";
import platform from "../config/platform.js";
import { generateOrg } from "../lib/config/generate-org";
import type { OrganizationModel } from "../lib/config/model";
import { validate } from "../lib/config/validate";
import { planStacks } from "../lib/plan/stack-plan";
import { applyWaves } from "../lib/plan/waves";
import { exampleModel, exampleStacks, resources, synthStacks } from "./helpers.js";

/*
 * The first apply, walked over every stack of an organization: what a stack creates a cluster
 * in, delivers flow logs to, or names by a literal must exist when Terraform gets there. Run
 * on the example organization and on a generated one (shared and dedicated tenancy, one and
 * two regions), so the rules hold for the class and not only for the example's instances.
 */

const generated = (): OrganizationModel => {
  const org = generateOrg(platform, { developers: 12, services: 24, seed: 7, vendingShards: 2 });
  return validate({ label: "config", platform: org.platform, developers: org.developers, index: org.services, serviceFiles: { ...org.services }, problems: [] });
};

type Json = Record<string, any>;

/** Every resource of a stack as [address, body]. */
function all(stack: Json): Array<[string, Json]> {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName as Json).map(([name, body]) => [`${type}.${name}`, body] as [string, Json]));
}

/** Addresses a resource waits for: the resources it references and its depends_on, transitively. */
function waitsFor(stack: Json): (address: string) => Set<string> {
  const direct = new Map<string, Set<string>>();
  for (const [address, body] of all(stack)) {
    const config = Object.fromEntries(Object.entries(body).filter(([k]) => k !== "//"));
    const refs = [...JSON.stringify(config).matchAll(/\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)[.}]/g)].map((m) => m[1]!).filter((r) => !r.startsWith("data."));
    direct.set(address, new Set([...refs, ...(body.depends_on ?? [])]));
  }
  const memo = new Map<string, Set<string>>();
  const closure = (address: string): Set<string> => {
    if (memo.has(address)) return memo.get(address)!;
    const out = new Set<string>();
    memo.set(address, out);
    for (const d of direct.get(address) ?? []) {
      out.add(d);
      for (const x of closure(d)) out.add(x);
    }
    return out;
  };
  return closure;
}

/** Every string leaf of a body with its path; tags (labels, never references) and metadata are left out. */
function leaves(value: unknown, path = ""): Array<[string, string]> {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).filter(([k]) => !["//", "depends_on", "tags", "tags_all"].includes(k)).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [];
}

for (const [label, makeModel] of [["the example organization", exampleModel], ["a generated organization", generated]] as const) {
  describe(`first apply of ${label}`, () => {
    const model = makeModel();
    // The example organization's synthesis is shared by the test files of this worker.
    const stacks = makeModel === exampleModel ? exampleStacks() : synthStacks(model);
    const waveOf = new Map(applyWaves(planStacks(model)).flatMap((w, i) => w.map((s) => [s.name, i] as const)));

    it("runs every cluster in the subnets of a VPC of its own stack, by reference, and looks no subnet up", () => {
      let clusters = 0;
      for (const [name, stack] of Object.entries(stacks)) {
        expect(stack.data?.aws_subnets, name).toBeUndefined();
        for (const cluster of Object.values(resources(stack, "aws_eks_cluster")) as Json[]) {
          clusters++;
          const ids: string[] = cluster.vpc_config.subnet_ids;
          expect(ids.length, name).toBe(model.platform.network.availabilityZones);
          for (const id of ids) {
            const subnet = resources(stack, "aws_subnet")[/^\$\{aws_subnet\.([^.]+)\.id\}$/.exec(id)?.[1] ?? ""];
            expect(subnet, `${name} ${id}`).toBeDefined();
            expect(resources(stack, "aws_vpc")[/^\$\{aws_vpc\.([^.]+)\.id\}$/.exec(subnet.vpc_id)?.[1] ?? ""], `${name} ${id}`).toBeDefined();
          }
        }
      }
      expect(clusters).toBeGreaterThanOrEqual(model.platform.regions.length + 1);
    });

    it("enforces NetworkPolicies on every cluster, shared and dedicated: the vpc-cni addon with network policy on", () => {
      for (const [name, stack] of Object.entries(stacks)) {
        for (const clusterName of Object.keys(resources(stack, "aws_eks_cluster"))) {
          const cni = (Object.values(resources(stack, "aws_eks_addon")) as Json[]).filter((a) => a.addon_name === "vpc-cni" && a.cluster_name === `\${aws_eks_cluster.${clusterName}.name}`);
          expect(cni.map((a) => JSON.parse(a.configuration_values)), name).toEqual([{ enableNetworkPolicy: "true" }]);
        }
      }
    });

    it("delivers every flow log to a bucket a log-archive stack of an earlier wave creates, which admits log delivery to that folder", () => {
      const buckets = new Map<string, { stack: string; policy: Json[] }>();
      for (const [name, stack] of Object.entries(stacks).filter(([, s]) => s)) {
        if (!name.startsWith("log-archive-")) continue;
        for (const [tf, bucket] of Object.entries(resources(stack, "aws_s3_bucket")) as Array<[string, Json]>) {
          const policy = (Object.values(resources(stack, "aws_s3_bucket_policy")) as Json[]).find((x) => x.bucket === `\${aws_s3_bucket.${tf}.id}`);
          buckets.set(bucket.bucket, { stack: name, policy: policy ? JSON.parse(policy.policy).Statement : [] });
        }
      }
      let flowLogs = 0;
      for (const [name, stack] of Object.entries(stacks)) {
        for (const log of Object.values(resources(stack, "aws_flow_log")) as Json[]) {
          flowLogs++;
          const [, bucket, folder] = /^arn:aws:s3:::([^/]+)\/(.*)$/.exec(log.log_destination) ?? [];
          const owner = buckets.get(bucket ?? "");
          expect(owner, `${name}: ${log.log_destination}`).toBeDefined();
          expect(waveOf.get(owner!.stack)!, `${owner!.stack} before ${name}`).toBeLessThan(waveOf.get(name)!);
          const put = owner!.policy.find((s) => s.Effect === "Allow" && s.Principal?.Service === "delivery.logs.amazonaws.com" && s.Action === "s3:PutObject");
          expect(put?.Resource, name).toBe(`arn:aws:s3:::${bucket}/${folder}AWSLogs/*`);
        }
      }
      expect(flowLogs).toBeGreaterThan(model.platform.regions.length * 2);
    });

    it("names nothing of its own stack by a literal (role ARN, cluster or bucket name) without waiting for it", () => {
      const problems: string[] = [];
      for (const [name, stack] of Object.entries(stacks)) {
        const closure = waitsFor(stack);
        const targets: Array<{ address: string; matches: (v: string) => boolean }> = [];
        for (const [address, body] of all(stack)) {
          const type = address.slice(0, address.indexOf("."));
          if (type === "aws_iam_role" && typeof body.name === "string") targets.push({ address, matches: (v) => /^arn:aws:iam::[^:]*:role\//.test(v) && v.endsWith(`:role/${body.name}`) });
          if (type === "aws_eks_cluster") targets.push({ address, matches: (v) => v === body.name });
          if (type === "aws_s3_bucket") targets.push({ address, matches: (v) => v === body.bucket });
        }
        for (const [address, body] of all(stack)) {
          for (const [path, value] of leaves(body)) {
            for (const t of targets) {
              if (t.address === address || !t.matches(value)) continue;
              if (!closure(address).has(t.address)) problems.push(`${name}: ${address} ${path} = ${value} without waiting for ${t.address}`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });
  });
}
