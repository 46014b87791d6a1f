import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";

export interface GkeWorkloadIdentityProps {
  /** Account id of the tenant's Google service account (6-30 characters). */
  readonly accountId: string;
  /** What the account is for, shown in the console. */
  readonly displayName: string;
  /** Namespace of the pods (its name, or a reference to the namespace resource's name). */
  readonly namespace: string;
  /** Kubernetes service account the pods run as. */
  readonly serviceAccount: string;
  /** The cluster's Workload Identity pool, `<project>.svc.id.goog`. */
  readonly workloadPool: string;
  /** Labels of the Kubernetes service account. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Lets one tenant's pods act as a Google service account of the tenant's own, without keys
 * (Workload Identity Federation for GKE): the Google service account, which only that
 * namespace's Kubernetes service account may impersonate, and that Kubernetes service account
 * annotated with it. The Google account holds no role: the team grants it what its pods need.
 */
export class GkeWorkloadIdentity extends Construct {
  readonly resource: ServiceAccount;

  constructor(scope: Construct, id: string, props: GkeWorkloadIdentityProps) {
    super(scope, id);
    this.resource = new ServiceAccount(this, "Resource", { accountId: props.accountId, displayName: props.displayName });
    new ServiceAccountIamMember(this, "pods", {
      serviceAccountId: this.resource.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${props.workloadPool}[${props.namespace}/${props.serviceAccount}]`,
    });
    new ServiceAccountV1(this, "kubernetes-account", {
      metadata: {
        name: props.serviceAccount,
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: { "iam.gke.io/gcp-service-account": this.resource.email },
      },
      automountServiceAccountToken: true,
    });
  }
}
