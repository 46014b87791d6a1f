/*
 * What the access proofs evaluate: every identity, organization policy and resource policy of
 * the organization, rendered from the synthesized JSON (never from the code that produced it),
 * so a proof holds for exactly what Terraform would apply.
 */

/** An IAM policy document as parsed JSON. */
export type PolicyDocument = { readonly Version?: string; readonly Statement: unknown };

/** A named policy attached to an identity. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** One IAM role, wherever it is created (a stack, the OIDC StackSet, the manual bootstrap). */
export interface RoleView {
  readonly arn: string;
  readonly account: string;
  readonly name: string;
  /** The stack (or StackSet) that creates it. */
  readonly source: string;
  readonly trust: PolicyDocument;
  /** Inline policies and customer-managed policies attached to it. */
  readonly policies: NamedPolicy[];
  /** ARNs of managed policies attached to it (customer and AWS managed). */
  readonly managedPolicyArns: string[];
  /** ARN of its permissions boundary. @default - none */
  permissionsBoundary?: string;
  /** Tags on the role, as the stack declares them (provider default tags are not included). */
  readonly tags: Readonly<Record<string, string>>;
}

/** An SCP or RCP and where it is attached. */
export interface OrganizationPolicyView {
  readonly name: string;
  readonly type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";
  readonly document: PolicyDocument;
  /** Raw content length, as AWS counts it against the 5,120-character limit. */
  readonly size: number;
  /** Attachment targets: `root`, an OU name, or an account ID. */
  readonly targets: string[];
}

/** A resource with a policy of its own (bucket, key, repository, secret). */
export interface ResourcePolicyView {
  readonly arn: string;
  readonly account: string;
  readonly kind: "s3" | "kms" | "ecr" | "secretsmanager";
  readonly document: PolicyDocument;
  readonly source: string;
}

/** An account of the organization and where it sits. */
export interface AccountView {
  readonly id: string;
  /** Platform account key (`logArchive`) or service key. */
  readonly name: string;
  readonly kind: "platform" | "service";
  /** OU name, or undefined when the account sits directly under the root. */
  readonly ou?: string;
}

/** Everything the simulator needs, keyed for lookup. */
export interface World {
  readonly organizationId: string;
  readonly rootId: string;
  readonly managementAccount: string;
  /** The platform's regions; the first is where requests on region-less resources are made. */
  readonly regions: readonly string[];
  readonly accounts: Map<string, AccountView>;
  readonly roles: Map<string, RoleView>;
  /** Customer-managed policies by ARN, and the AWS managed policies the proofs know (see aws-managed.ts). */
  readonly managedPolicies: Map<string, PolicyDocument>;
  readonly organizationPolicies: OrganizationPolicyView[];
  readonly resourcePolicies: Map<string, ResourcePolicyView>;
  /** Terraform expressions the renderer could not resolve, with the stack they appear in. */
  readonly unresolved: string[];
}
