import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { Construct } from "constructs";
import { eksAccessPolicyArn, RETIRED_NAMESPACE_LABELS } from "../lib/plan/cluster";

/** CPU and memory of one container, as Kubernetes quantities. */
export interface ContainerResources {
  readonly cpu: string;
  readonly memory: string;
}

export interface ServiceNamespaceProps {
  /** The namespace's name (a DNS-1123 label, validated in config). */
  readonly namespace: string;
  /** Service key, as the `service` label. */
  readonly service: string;
  /** The owners' team slug, as the `team` label. */
  readonly team: string;
  /** Environment (the service's network segment, e.g. "prod"), as the `environment` label. */
  readonly environment: string;
  /**
   * Kubernetes group of the service team (EKS: mapped from the team role by the access entry);
   * it gets the `admin` ClusterRole in the namespace. @default - no group is bound
   */
  readonly group?: string;
  /**
   * Kubernetes users who get the `admin` ClusterRole in the namespace besides the group (GKE:
   * the owners' Google identities, which GKE authenticates). @default []
   */
  readonly users?: readonly string[];
  /** Totals the namespace may request. */
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
  /** Limits a container gets when it states none. */
  readonly defaultLimits: ContainerResources;
  /** Requests a container gets when it states none (so the quota can count every pod). */
  readonly defaultRequests: ContainerResources;
  /** Namespace of the ingress controller, the only outside source allowed in. */
  readonly ingressNamespace: string;
  /**
   * EKS only: the cluster holding the namespace and the service team's IAM role, which an
   * access entry maps to `group`, with an access policy scoped to this namespace; unused when
   * retired. @default - no access entry (GKE authenticates Google identities itself)
   */
  readonly eksAccess?: { readonly clusterName: string; readonly teamRoleArn?: string };
  /**
   * A retired service's namespace: it stays, with its volumes, quota, limits and isolation,
   * labelled `retired`, but nobody gets in (no RoleBinding, no access entry) until the
   * tombstone step takes it out of Terraform's state.
   * @default false
   */
  readonly retired?: boolean;
}

/**
 * A tenant's namespace on the shared cluster, always with the same five objects (as the MoJ
 * Cloud Platform does): the labelled namespace, the team's admin RoleBinding, a ResourceQuota,
 * a LimitRange and a default-deny NetworkPolicy. On EKS, plus the access entry that maps the
 * team's IAM role to its Kubernetes group, with an access policy scoped to this namespace
 * only, so the team owns everything inside it and nothing outside. On GKE the RoleBinding
 * names the owners' Google identities directly.
 *
 * The namespace is stateful: deleting it deletes its PersistentVolumeClaims and, with the
 * default reclaim policy, their volumes. It is protected from destroy, and a retired service
 * keeps it and loses only the access objects.
 */
export class ServiceNamespace extends Construct {
  readonly resource: NamespaceV1;
  /** The team's access entry; undefined for a retired service. */
  readonly accessEntry?: EksAccessEntry;

  constructor(scope: Construct, id: string, props: ServiceNamespaceProps) {
    super(scope, id);
    const retired = props.retired ?? false;
    const labels = { service: props.service, team: props.team, environment: props.environment, ...(retired ? RETIRED_NAMESPACE_LABELS : {}) };
    const subjects = [
      ...(props.group === undefined ? [] : [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: props.group }]),
      ...[...(props.users ?? [])].sort().map((name) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "User", name })),
    ];
    if (!retired && props.eksAccess && props.eksAccess.teamRoleArn === undefined) throw new Error(`namespace ${props.namespace}: an active EKS tenant needs eksAccess.teamRoleArn`);
    if (!retired && subjects.length === 0) throw new Error(`namespace ${props.namespace}: an active tenant needs a group or users to bind`);

    this.resource = new NamespaceV1(this, "Resource", {
      metadata: { name: props.namespace, labels },
      lifecycle: { preventDestroy: true },
    });
    // The name comes from the namespace resource, so every object below waits for it.
    const namespace = this.resource.metadata.name;
    const metadata = (name: string) => ({ name, namespace, labels });


    new ResourceQuotaV1(this, "quota", {
      metadata: metadata("quota"),
      spec: {
        hard: {
          "requests.cpu": props.quota.cpu,
          "requests.memory": props.quota.memory,
          pods: String(props.quota.pods),
        },
      },
    });

    new LimitRangeV1(this, "limits", {
      metadata: metadata("limits"),
      spec: {
        limit: [{
          type: "Container",
          default: { cpu: props.defaultLimits.cpu, memory: props.defaultLimits.memory },
          defaultRequest: { cpu: props.defaultRequests.cpu, memory: props.defaultRequests.memory },
        }],
      },
    });

    // Ingress is denied unless it comes from this namespace or the ingress controller's; the
    // namespace name label is set by Kubernetes itself, so a tenant cannot forge it.
    new NetworkPolicyV1(this, "default-deny", {
      metadata: metadata("default-deny"),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{
          from: [
            { podSelector: {} },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": props.ingressNamespace } } },
          ],
        }],
      },
    });

    if (retired) return;
    new RoleBindingV1(this, "team-admin", {
      metadata: metadata("team-admin"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
      subject: subjects,
    });
    if (!props.eksAccess) return;
    this.accessEntry = new EksAccessEntry(this, "access-entry", {
      clusterName: props.eksAccess.clusterName,
      principalArn: props.eksAccess.teamRoleArn!,
      kubernetesGroups: props.group === undefined ? [] : [props.group],
      type: "STANDARD",
    });
    new EksAccessPolicyAssociation(this, "access-policy", {
      clusterName: props.eksAccess.clusterName,
      principalArn: this.accessEntry.principalArn,
      policyArn: eksAccessPolicyArn("AmazonEKSAdminPolicy"),
      accessScope: { type: "namespace", namespaces: [namespace] },
    });
  }
}
