import { createHash } from "node:crypto";
import stableStringify from "json-stable-stringify";
import type { OrganizationModel } from "../config/model.js";

/*
 * Synthesis writes the fingerprint of the validated model it was built from next to the
 * stacks; the rehearsal recomputes it from the config it is given, so it never reads a
 * cdktf.out synthesized from another config.
 */

/** File name of the fingerprint inside the synthesis output directory. */
export const FINGERPRINT_FILE = "model-fingerprint.txt";

/** SHA-256 of the model's canonical JSON (key order never matters). */
export function modelFingerprint(model: OrganizationModel): string {
  return createHash("sha256").update(stableStringify(model) ?? "").digest("hex");
}
