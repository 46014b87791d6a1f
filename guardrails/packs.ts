import type { Rule } from "./rule.js";
import { oidcExactSubject } from "./rules/oidc-exact-subject.js";
import { noCrossStackReference } from "./rules/no-cross-stack-reference.js";
import { noProviderCredentials } from "./rules/no-provider-credentials.js";
import { accountBaseline } from "./rules/account-baseline.js";
import { logArchiveBucket } from "./rules/log-archive-bucket.js";
import { noInternetGateway } from "./rules/no-internet-gateway.js";
import { serviceVpcAttached } from "./rules/service-vpc-attached.js";
import { namespaceComplete } from "./rules/namespace-complete.js";
import { registryImmutableScanned } from "./rules/registry-immutable-scanned.js";
import { kmsKeyRotation } from "./rules/kms-key-rotation.js";
import { noAdminPolicy } from "./rules/no-admin-policy.js";
import { s3PublicAccessBlocked } from "./rules/s3-public-access-blocked.js";
import { s3TlsOnly } from "./rules/s3-tls-only.js";
import { serviceOwnerTags } from "./rules/service-owner-tags.js";
import { statefulProtected } from "./rules/stateful-protected.js";
import { teamRoleTrust } from "./rules/team-role-trust.js";

/** Every rule that runs on every synth, grouped by pack in each rule's `pack`. */
export const RULES: readonly Rule[] = [
  statefulProtected,
  oidcExactSubject,
  noCrossStackReference,
  accountBaseline,
  logArchiveBucket,
  teamRoleTrust,
  noProviderCredentials,
  noInternetGateway,
  serviceVpcAttached,
  registryImmutableScanned,
  namespaceComplete,
  s3PublicAccessBlocked,
  s3TlsOnly,
  kmsKeyRotation,
  noAdminPolicy,
  serviceOwnerTags,
];

/** The rules by pack (security, tenancy, network, tagging), for listing and documentation. */
export const PACKS: Readonly<Record<Rule["pack"], readonly Rule[]>> = {
  security: RULES.filter((r) => r.pack === "security"),
  tenancy: RULES.filter((r) => r.pack === "tenancy"),
  network: RULES.filter((r) => r.pack === "network"),
  tagging: RULES.filter((r) => r.pack === "tagging"),
};
