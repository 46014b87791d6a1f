import { describe, expect, it } from "vitest";
import { clusterVpcCidr } from "../lib/plan/cidr";
import { exampleModel, exampleStacks, resources } from "./helpers.js";

const model = exampleModel();
const stacks = exampleStacks();
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

    it(`runs in the private subnets of a VPC of its own account and stack, by reference, never by lookup (${region})`, () => {
      const subnets = Object.entries(resources(stack, "aws_subnet")) as Array<[string, any]>;
      expect(subnets).toHaveLength(p.network.availabilityZones);
      const refs = subnets.map(([tf]) => `\${aws_subnet.${tf}.id}`).sort();
      expect([...cluster.vpc_config.subnet_ids].sort()).toEqual(refs);
      for (const group of Object.values(resources(stack, "aws_eks_node_group")) as any[]) expect([...group.subnet_ids].sort()).toEqual(refs);
      expect(stack.data?.aws_subnets).toBeUndefined();
      const [vpcName, vpc] = Object.entries(resources(stack, "aws_vpc"))[0] as [string, any];
      for (const [, subnet] of subnets) {
        expect(subnet.vpc_id).toBe(`\${aws_vpc.${vpcName}.id}`);
        expect(subnet.map_public_ip_on_launch).toBe(false);
        expect(subnet.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", [`kubernetes.io/cluster/${p.kubernetes.clusterName}-${region}`]: "shared" });
      }
      expect(vpc).toMatchObject({ cidr_block: clusterVpcCidr(p, region), tags: { Name: `example-cluster-${region}` } });
      expect(stack.provider.aws[0].allowed_account_ids).toEqual([p.accounts.cluster.id]);
    });

    it(`logs its VPC's traffic to the region's network logs bucket (${region})`, () => {
      expect(Object.values(resources(stack, "aws_flow_log"))).toEqual([expect.objectContaining({ traffic_type: "ALL", log_destination_type: "s3", log_destination: `arn:aws:s3:::example-network-logs-100000000002-${region}/vpc-flow-logs/` })]);
    });

    it(`attaches its VPC to the Transit Gateway in the shared segment, and starts nodes only once the route out exists (${region})`, () => {
      const network = stack.provider.aws.find((x: any) => x.alias === "network");
      // The apply phase assumes the association role, the plan phase its read-only twin (one expression picks by phase).
      expect(network).toMatchObject({ allowed_account_ids: [p.accounts.network.id] });
      expect(network.assume_role[0].role_arn).toContain(`"arn:aws:iam::${p.accounts.network.id}:role/tgw-associate-shared-${region}"`);
      expect(network.assume_role[0].role_arn).toContain(`"arn:aws:iam::${p.accounts.network.id}:role/tgw-read-shared-${region}"`);
      expect(network.assume_role[0].role_arn).toContain(`:role/tfc-apply-cluster-${region}`);
      const tables = stack.data.aws_ec2_transit_gateway_route_table;
      const tableName = (ref: string) => tables[/route_table\.([^.]+)\.id/.exec(ref)![1]!].filter.find((f: any) => f.name === "tag:Name").values[0];
      const association = Object.values(resources(stack, "aws_ec2_transit_gateway_route_table_association")) as any[];
      expect(association.map((a) => tableName(a.transit_gateway_route_table_id))).toEqual([`example-tgw-${region}-shared`]);
      // Every segment's table learns the cluster VPC, so prod and nonprod both reach it (and it them).
      const propagated = (Object.values(resources(stack, "aws_ec2_transit_gateway_route_table_propagation")) as any[]).map((x) => tableName(x.transit_gateway_route_table_id)).sort();
      expect(propagated).toEqual(["hub", "nonprod", "prod", "shared"].map((t) => `example-tgw-${region}-${t}`));
      const [routeName] = Object.entries(resources(stack, "aws_route")).find(([, r]: [string, any]) => r.destination_cidr_block === "0.0.0.0/0")!;
      for (const group of Object.values(resources(stack, "aws_eks_node_group")) as any[]) expect(group.depends_on).toContain(`aws_route.${routeName}`);
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

    it(`installs the Pod Identity agent and the VPC CNI with network policy enforcement, before the nodes (${region})`, () => {
      const addons = resources(stack, "aws_eks_addon");
      expect(Object.values(addons).map((a: any) => a.addon_name).sort()).toEqual(["eks-pod-identity-agent", "vpc-cni"]);
      const [cniName, cni] = Object.entries(addons).find(([, a]: [string, any]) => a.addon_name === "vpc-cni") as [string, any];
      expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
      for (const group of Object.values(resources(stack, "aws_eks_node_group")) as any[]) expect(group.depends_on).toContain(`aws_eks_addon.${cniName}`);
    });

    it(`trusts Terraform Cloud tokens of this organization only (${region})`, () => {
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
