import type { IConstruct } from "constructs";

/** Node metadata type under which a suppression is stored on its construct. */
export const SUPPRESSION_METADATA = "super-terraform/guardrail-suppression";

/** A reason shorter than this says nothing a reviewer can check ("ok", "legacy"). */
export const MIN_REASON_LENGTH = 10;

/** A suppression as written next to a resource, found again by its construct path. */
export interface Suppression {
  /** Construct path of the construct it was added to; it excuses that construct and everything below it. */
  readonly path: string;
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Excuses `construct` (and every construct below it) from one guardrail rule, for a reason a
 * reviewer can judge. The suppression is stored on the construct itself, so it sits next to
 * the resource in code, moves with it, and disappears with it. It is checked and listed at
 * synth: an unknown rule id or a reason under 10 characters fails synth, and a suppression
 * that excuses nothing is reported as a warning.
 *
 * @example suppress(bucket, "security/s3-tls-only", "public website bucket served over CloudFront only")
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  construct.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason });
}

/** Every suppression stored on `root` or below it, in construct-tree order. */
export function suppressionsIn(root: IConstruct): Suppression[] {
  const out: Suppression[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== SUPPRESSION_METADATA) continue;
      const data = entry.data as { ruleId: unknown; reason: unknown };
      out.push({ path: c.node.path, ruleId: String(data.ruleId), reason: typeof data.reason === "string" ? data.reason : "" });
    }
  }
  return out;
}
