import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";

/** One place Argo CD deploys a service to, and the rendered folder it syncs there. */
export interface ArgoCdApplicationSpec {
  /** Application name (`<service>-<overlay>`). */
  readonly name: string;
  /** The folder of this repository Argo CD syncs (`manifests/<service>/overlays/<overlay>`). */
  readonly path: string;
  /** The destination cluster, by its Argo CD registration name. */
  readonly cluster: string;
}

export interface ArgoCdProjectProps {
  /** Project name (the service key). */
  readonly project: string;
  readonly description: string;
  /** Namespace Argo CD runs in. */
  readonly argoCdNamespace: string;
  /** This repository's URL: the only source the project accepts. */
  readonly repositoryUrl: string;
  /** Branch Argo CD syncs. @default "main" */
  readonly targetRevision?: string;
  /** The service's namespace: the only one its applications may deploy to. */
  readonly namespace: string;
  /** The clusters the service runs on (Argo CD names); each is a destination with `namespace`. */
  readonly applications: readonly ArgoCdApplicationSpec[];
  /** The project role of the owners: its name, SSO groups and policies. */
  readonly ownersRole: { readonly name: string; readonly groups: readonly string[]; readonly policies: readonly string[] };
  /** Labels on the Argo CD objects. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Objects a tenant's applications may not manage: the platform sets them for the namespace (constructs/service-namespace.ts). */
const PLATFORM_OWNED = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
  { group: "networking.k8s.io", kind: "NetworkPolicy" },
  { group: "rbac.authorization.k8s.io", kind: "Role" },
  { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
];

/**
 * A service's Argo CD project and its applications, as `kubernetes_manifest` objects in Argo
 * CD's namespace. The project admits only this repository as a source, only the service's
 * namespace on the service's clusters as destinations, no cluster-scoped object and none of
 * the namespace objects the platform owns; its one role gives the owners' group sync (and so
 * rollback) on its applications. Each application syncs one rendered overlay by hand (no
 * automated sync: Argo CD refuses a rollback while it is on) and carries no deletion
 * finalizer, so removing it (a retired service) leaves the running workloads alone.
 */
export class ArgoCdProject extends Construct {
  /** The AppProject. */
  readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    super(scope, id);
    const targetRevision = props.targetRevision ?? "main";
    const metadata = (name: string) => ({ name, namespace: props.argoCdNamespace, labels: { ...props.labels } });

    this.resource = new Manifest(this, "Resource", {
      manifest: {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: metadata(props.project),
        spec: {
          description: props.description,
          sourceRepos: [props.repositoryUrl],
          destinations: props.applications.map((a) => ({ name: a.cluster, namespace: props.namespace })),
          clusterResourceWhitelist: [],
          namespaceResourceBlacklist: PLATFORM_OWNED,
          roles: [{
            name: props.ownersRole.name,
            description: `Owners of ${props.project}: sync and rollback`,
            groups: [...props.ownersRole.groups],
            policies: [...props.ownersRole.policies],
          }],
        },
      },
    });

    for (const a of props.applications) {
      new Manifest(this, `application-${a.name}`, {
        manifest: {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          metadata: metadata(a.name),
          spec: {
            project: props.project,
            source: { repoURL: props.repositoryUrl, targetRevision, path: a.path, directory: { recurse: false } },
            destination: { name: a.cluster, namespace: props.namespace },
            syncPolicy: { syncOptions: ["CreateNamespace=false"] },
          },
        },
        // Deleted before the project that admits it.
        dependsOn: [this.resource],
      });
    }
  }
}
