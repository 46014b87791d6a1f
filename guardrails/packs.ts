import type { Rule } from "./rule.js";
import { namespaceComplete } from "./rules/namespace-complete.js";
import { registryImmutableScanned } from "./rules/registry-immutable-scanned.js";
import { statefulProtected } from "./rules/stateful-protected.js";

/** Every rule that runs on every synth, grouped by pack in each rule's `pack`. */
export const RULES: readonly Rule[] = [
  statefulProtected,
  registryImmutableScanned,
  namespaceComplete,
];
