import type { Rule } from "./rule.js";
import { oidcExactSubject } from "./rules/oidc-exact-subject.js";
import { noProviderCredentials } from "./rules/no-provider-credentials.js";
import { accountBaseline } from "./rules/account-baseline.js";
import { logArchiveBucket } from "./rules/log-archive-bucket.js";
import { noInternetGateway } from "./rules/no-internet-gateway.js";
import { serviceVpcAttached } from "./rules/service-vpc-attached.js";
import { namespaceComplete } from "./rules/namespace-complete.js";
import { registryImmutableScanned } from "./rules/registry-immutable-scanned.js";
import { statefulProtected } from "./rules/stateful-protected.js";
import { teamRoleTrust } from "./rules/team-role-trust.js";

/** Every rule that runs on every synth, grouped by pack in each rule's `pack`. */
export const RULES: readonly Rule[] = [
  statefulProtected,
  oidcExactSubject,
  accountBaseline,
  logArchiveBucket,
  teamRoleTrust,
  noProviderCredentials,
  noInternetGateway,
  serviceVpcAttached,
  registryImmutableScanned,
  namespaceComplete,
];
