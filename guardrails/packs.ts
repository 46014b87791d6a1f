import type { Rule } from "./rule.js";
import { oidcExactSubject } from "./rules/oidc-exact-subject.js";
import { statefulProtected } from "./rules/stateful-protected.js";

/** Every rule that runs on every synth, grouped by pack in each rule's `pack`. */
export const RULES: readonly Rule[] = [
  statefulProtected,
  oidcExactSubject,
];
