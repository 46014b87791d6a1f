import { describe, expect, it } from "vitest";
import { exampleModel, resources, synthStacks } from "./helpers.js";

const model = exampleModel();
const stacks = synthStacks(model);
const p = model.platform;

describe("the shared cluster of each region", () => {
  for (const region of p.regions) {
    const stack = stacks[`cluster-${region}`];
    const cluster = Object.values(resources(stack, "aws_eks_cluster"))[0] as any;

    it(`names the ${region} cluster <clusterName>-<region> and runs it in the cluster account`, () => {
      expect(cluster.name).toBe(`${p.kubernetes.clusterName}-${region}`);
      expect(stack.provider.aws[0]).toMatchObject({ region, allowed_account_ids: [p.accounts.cluster.id] });
    });

    it(`uses access entries only, logs every control-plane type and keeps the endpoint private (${region})`, () => {
      expect(cluster).toMatchObject({
        version: p.kubernetes.version,
        access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
        enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
        deletion_protection: true,
        lifecycle: { prevent_destroy: true },
      });
      expect(JSON.stringify(stack)).not.toContain("aws-auth");
    });

    it(`finds its subnets by the private-subnet tag (${region})`, () => {
      expect(Object.values(stack.data.aws_subnets)).toEqual([expect.objectContaining({ filter: [{ name: "tag:subnet-tier", values: ["private"] }] })]);
    });

    it(`sizes one managed node group per platform node group, on a role with a deterministic name (${region})`, () => {
      const groups = Object.values(resources(stack, "aws_eks_node_group")) as any[];
      expect(groups.map((g) => g.node_group_name).sort()).toEqual(Object.keys(p.kubernetes.nodeGroups).sort());
      for (const g of groups) {
        const size = p.kubernetes.nodeGroups[g.node_group_name]!;
        expect(g).toMatchObject({ instance_types: size.instanceTypes, scaling_config: { min_size: size.minSize, desired_size: size.desiredSize, max_size: size.maxSize } });
      }
      expect(Object.values(resources(stack, "aws_iam_role")).map((r: any) => r.name)).toContain(`shared-${region}-node`);
    });

    it(`installs the Pod Identity agent and trusts Terraform Cloud tokens of this organization only (${region})`, () => {
      expect(Object.values(resources(stack, "aws_eks_addon")).map((a: any) => a.addon_name)).toEqual(["eks-pod-identity-agent"]);
      expect(Object.values(resources(stack, "aws_eks_identity_provider_config"))).toEqual([expect.objectContaining({
        oidc: expect.objectContaining({ issuer_url: "https://app.terraform.io", client_id: `kubernetes:shared-${region}`, username_claim: "sub", required_claims: { terraform_organization_name: p.terraformCloud.organization } }),
      })]);
    });

    it(`lets only the namespaces-${region}-<n> workspaces use the shard roles, and only plan on the plan role (${region})`, () => {
      const roles = Object.values(resources(stack, "aws_iam_role")).filter((r: any) => r.name.startsWith("namespaces-")) as any[];
      expect(roles.map((r) => r.name).sort()).toEqual([`namespaces-${region}-apply`, `namespaces-${region}-plan`]);
      for (const role of roles) {
        const phase = role.name.endsWith("apply") ? "apply" : "plan";
        const subjects = JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals["app.terraform.io:sub"];
        expect(subjects).toEqual(Array.from({ length: p.kubernetes.namespaceShards }, (_, n) => `organization:${p.terraformCloud.organization}:project:${p.terraformCloud.project}:workspace:namespaces-${region}-${n}:run_phase:${phase}`));
      }
      // They reach the Kubernetes API with Kubernetes dynamic credentials, not through IAM.
      expect(Object.values(resources(stack, "aws_eks_access_policy_association"))).toEqual([]);
    });
  }
});
