import type { Platform } from "../config/schema";

/*
 * Names shared by the cluster stacks and the stacks that reach a cluster (namespace shards,
 * service stacks, registries). Every value another stack needs is derived here from config,
 * never read from another stack's state.
 */

/** The shared cluster of one region: `<kubernetes.clusterName>-<region>`. */
export function sharedClusterName(platform: Platform, region: string): string {
  return `${platform.kubernetes.clusterName}-${region}`;
}

/** A dedicated cluster of a service in one region, in the service's own account. */
export function dedicatedClusterName(serviceKey: string, region: string): string {
  return `${serviceKey}-${region}`;
}

/** IAM role of a cluster's control plane (IAM names are account-global, so the region is in the cluster name). */
export function clusterRoleName(clusterName: string): string {
  return `${clusterName}-cluster`;
}

/** IAM role of a cluster's nodes; registries grant it pull access by this name. */
export function nodeRoleName(clusterName: string): string {
  return `${clusterName}-node`;
}

/** ARN of the shared cluster's node role in one region (the cluster account is config). */
export function sharedNodeRoleArn(platform: Platform, region: string): string {
  return `arn:aws:iam::${platform.accounts.cluster.id}:role/${nodeRoleName(sharedClusterName(platform, region))}`;
}

/** ARN of the shared cluster of one region (trust policies name it before it is read back). */
export function sharedClusterArn(platform: Platform, region: string): string {
  return `arn:aws:eks:${region}:${platform.accounts.cluster.id}:cluster/${sharedClusterName(platform, region)}`;
}

/** Terraform Cloud run phases; each has its own role so plans cannot write. */
export type RunPhase = "plan" | "apply";

/**
 * The role the `namespaces-<region>-<n>` workspaces run as in the cluster account (their
 * TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN), created by the cluster stack. It reaches
 * AWS only (tenants' access entries, Pod Identity roles); the shards reach the Kubernetes API
 * with Kubernetes dynamic credentials (lib/plan/kubernetes-access.ts).
 */
export function namespacesRoleName(region: string, phase: RunPhase): string {
  return `namespaces-${region}-${phase}`;
}

export function namespacesRoleArn(platform: Platform, region: string, phase: RunPhase): string {
  return `arn:aws:iam::${platform.accounts.cluster.id}:role/${namespacesRoleName(region, phase)}`;
}

/** The `sub` claim of a Terraform Cloud workload identity token for one workspace and phase. */
export function terraformCloudSubject(platform: Platform, workspace: string, phase: RunPhase): string {
  const tfc = platform.terraformCloud;
  return `organization:${tfc.organization}:project:${tfc.project}:workspace:${workspace}:run_phase:${phase}`;
}

/**
 * Audience of Terraform Cloud's Kubernetes dynamic credentials for a cluster: the client ID of
 * the cluster's OIDC identity provider and the workspaces' TFC_KUBERNETES_WORKLOAD_IDENTITY_AUDIENCE.
 */
export function kubernetesAudience(clusterName: string): string {
  return `kubernetes:${clusterName}`;
}

/**
 * Tag that marks the private subnets a cluster runs in. The VPCs are built elsewhere (the
 * network work's VPC construct, in the cluster account and in service accounts); clusters find
 * their subnets by this tag, the one documented lookup between the two.
 */
export const PRIVATE_SUBNET_TAG = { key: "subnet-tier", value: "private" } as const;

/** Every control-plane log type EKS offers; all are sent to CloudWatch for audit. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** ARN of an AWS-managed EKS access policy (addressed under the `eks` service, not `iam`). */
export function eksAccessPolicyArn(name: "AmazonEKSAdminPolicy" | "AmazonEKSEditPolicy" | "AmazonEKSClusterAdminPolicy" | "AmazonEKSAdminViewPolicy"): string {
  return `arn:aws:eks::aws:cluster-access-policy/${name}`;
}

/**
 * The permissions boundary of every Pod Identity role the namespace shards create in the
 * cluster account (one managed policy per region, created by the cluster stack): such a role
 * can only chain into `workload-*` roles, whatever inline policy it is given.
 */
export function podBoundaryName(region: string): string {
  return `pod-identity-boundary-${region}`;
}

export function podBoundaryArn(platform: Platform, region: string): string {
  return `arn:aws:iam::${platform.accounts.cluster.id}:policy/${podBoundaryName(region)}`;
}
