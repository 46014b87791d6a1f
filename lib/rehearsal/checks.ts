import { checkContracts } from "./contracts.js";
import { checkIdentity } from "./identity.js";
import type { AsyncRehearsalCheck, RehearsalCheck } from "./types.js";
import { validity } from "./validity.js";

/** A registered check and the name the report and benchmarks use for it. */
export interface NamedCheck {
  readonly name: string;
  readonly check: RehearsalCheck | AsyncRehearsalCheck;
}

/**
 * Every check the rehearsal runs, in order. Add a check here to put it in `npm run rehearse`,
 * the tests' gate and CI at once.
 */
export const CHECKS: readonly NamedCheck[] = [
  { name: "validity", check: validity },
  { name: "contracts", check: checkContracts },
  { name: "identity", check: checkIdentity },
];
