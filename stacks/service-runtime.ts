import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { TerraformOutput } from "cdktf";
import { CiRole } from "../constructs/ci-role.js";
import { type AwsRoleRef, ContainerRepository } from "../constructs/container-repository.js";
import { EksCluster } from "../constructs/eks-cluster.js";
import { WorkloadRole } from "../constructs/workload-role.js";
import { ciRoleName, podIdentityRoleName, RELEASE_WORKFLOW, teamRoleName, WORKLOAD_SERVICE_ACCOUNT, workloadRoleName } from "../lib/plan/access";
import { dedicatedClusterName, nodeRoleName, sharedClusterName } from "../lib/plan/cluster";
import { originalKey } from "../lib/plan/stack-plan";
import { gkeNodesServiceAccountEmail, onEks, onGke } from "../lib/plan/gke";
import { ecrRepositoryName, garRepositoryId } from "../lib/config/tenancy";
import { GCP_CREDENTIALS_VARIABLE } from "../lib/plan/dynamic-credentials";
import { githubRepositoryMember } from "../lib/plan/google";
import { ACCOUNT_ID_OUTPUT } from "./namespaces-stack.js";
import type { ServiceStack } from "./service-stack.js";

/**
 * The Kubernetes side and the registries of one service stack:
 * - primary region: the `account_id` output the namespace shards read, the workload role, the
 *   CI role and the container repositories (account-global or single-homed objects);
 * - dedicated tenancy: in every region, a cluster of the service's own (the same EksCluster
 *   construct as the shared one) with the team as cluster admin and Pod Identity for the
 *   workload role. A dedicated service gets nothing on the shared cluster.
 *
 * A retired service keeps its repositories (read-only) and its cluster, and loses every access
 * path: no CI role, no workload role, no team access entry. A renamed service keeps the names
 * of its repositories and cluster (`originalKey`): AWS and Google replace them on a new name.
 */
export function addServiceRuntime(stack: ServiceStack): void {
  const p = stack.model.platform;
  const s = stack.service;
  const region = stack.spec.region!;
  const accountId = stack.caller.accountId;
  const dedicated = s.kubernetes.tenancy === "dedicated";
  const tags = { service: s.key };

  if (stack.primary) {
    new TerraformOutput(stack, ACCOUNT_ID_OUTPUT, { value: accountId, description: "The service's account; the shared cluster's namespace shards read it." });
  }

  let workloadRole: WorkloadRole | undefined;
  // A tenant only on GKE gets no AWS workload role: its trust would name Pod Identity roles that
  // no EKS shard creates (its pods act as its Google service account, stacks/gke-namespaces-stack.ts).
  if (stack.primary && !s.retired && (dedicated || onEks(s))) {
    workloadRole = new WorkloadRole(stack, "workload-role", {
      roleName: workloadRoleName(s.key),
      permissionsBoundaryArn: stack.boundary?.resource.arn,
      trust: dedicated
        ? { kind: "pod-identity", accountId, namespace: s.namespace, serviceAccount: WORKLOAD_SERVICE_ACCOUNT }
        : { kind: "chained", clusterAccountId: p.accounts.cluster.id, sourceRoleArns: s.regions.map((r) => `arn:aws:iam::${p.accounts.cluster.id}:role/${podIdentityRoleName(s.key, r)}`) },
      tags,
    });
  }

  if (dedicated) {
    // The team and workload roles are account-global, created by the primary region's stack:
    // there they are referenced (Terraform creates them first); other regions name them, and
    // apply after the primary region (lib/plan/waves.ts).
    const cluster = new EksCluster(stack, "cluster", {
      name: dedicatedClusterName(originalKey(s), region),
      version: p.kubernetes.version,
      nodeGroups: p.kubernetes.nodeGroups,
      terraformCloudOrganization: p.terraformCloud.organization,
      subnetIds: stack.vpc!.privateSubnetIds,
      nodeDependencies: stack.defaultRoute ? [stack.defaultRoute] : [],
      clusterAdmins: s.retired ? {} : { team: stack.teamRole?.resource.arn ?? `arn:aws:iam::${accountId}:role/${teamRoleName(s.key)}` },
      tags,
    });
    if (!s.retired) {
      new EksPodIdentityAssociation(stack, "workload-identity", {
        clusterName: cluster.resource.name,
        namespace: s.namespace,
        serviceAccount: WORKLOAD_SERVICE_ACCOUNT,
        roleArn: workloadRole?.resource.arn ?? `arn:aws:iam::${accountId}:role/${workloadRoleName(s.key)}`,
        tags,
      });
    }
  }

  if (stack.primary && s.registry) addRegistry(stack, accountId, tags);
}

function addRegistry(stack: ServiceStack, accountId: string, tags: Record<string, string>): void {
  const p = stack.model.platform;
  const s = stack.service;
  const registry = s.registry!;
  const region = stack.spec.region!;
  // The shared EKS clusters' node roles of every region the service runs in (deterministic
  // names in the platform's cluster account); none for a tenant only on GKE.
  const eksNodes = s.kubernetes.tenancy === "dedicated" || onEks(s);
  const pullRoles: AwsRoleRef[] = eksNodes ? s.regions.map((r) => ({ accountId: p.accounts.cluster.id, roleName: nodeRoleName(sharedClusterName(p, r)) })) : [];
  const names = [...registry.repositories].sort();
  const ecrArns = registry.kind === "ecr" ? names.map((r) => `arn:aws:ecr:${region}:${accountId}:repository/${ecrRepositoryName(originalKey(s), r)}`) : [];

  let pushRole: AwsRoleRef | undefined;
  if (!s.retired) {
    const ci = new CiRole(stack, "ci-role", {
      roleName: ciRoleName(s.key),
      githubOrganization: p.github.organization,
      repositories: s.githubRepositories,
      workflow: RELEASE_WORKFLOW,
      ecrRepositoryArns: ecrArns,
      tags,
    });
    // The repository policy names the role's ARN, which IAM checks exists: the reference orders them.
    pushRole = { accountId, roleName: ci.resource.name };
  }

  if (registry.kind === "gar") {
    const gar = p.registry.gar!;
    // ECR needs no grant for a dedicated cluster's nodes (same account, IAM policy); Google does.
    if (s.kubernetes.tenancy === "dedicated") {
      pullRoles.push(...s.regions.map((r) => ({ accountId, roleName: nodeRoleName(dedicatedClusterName(originalKey(s), r)) })));
    }
    // Credentials of the run phase come from the workspace's GCP dynamic credentials (the
    // registry service accounts of the google stack), never from code.
    stack.credentialsVariable(GCP_CREDENTIALS_VARIABLE);
    new GoogleProvider(stack, "google", { project: gar.project, region: gar.location, credentials: `\${var.${GCP_CREDENTIALS_VARIABLE}.default.credentials}` });
    // Push comes from GitHub Actions itself (the google stack's GitHub pool admits only the
    // service's repositories' release workflow on main), not through an AWS role.
    const pushMembers = s.retired ? [] : s.githubRepositories.map((r) => githubRepositoryMember(p, r));
    for (const r of names) {
      new ContainerRepository(stack, `registry-${r}`, {
        kind: "gar",
        name: garRepositoryId(originalKey(s), r),
        project: gar.project,
        location: gar.location,
        workloadIdentityPool: gar.workloadIdentityPool,
        keepImages: p.registry.keepImages,
        pullRoles,
        pullMembers: onGke(s) ? [`serviceAccount:${gkeNodesServiceAccountEmail(p)}`] : [],
        pushMembers,
        tags,
      });
    }
    return;
  }
  for (const r of names) {
    new ContainerRepository(stack, `registry-${r}`, {
      kind: "ecr",
      name: ecrRepositoryName(originalKey(s), r),
      keepImages: p.registry.keepImages,
      pullRoles,
      pushRole,
      tags,
    });
  }
}
