/*
 * What an apply run applies. The last successfully applied commit is recorded (the `applied`
 * tag, moved by the apply workflow after every stack applied); a run applies everything that
 * changed between it and the tip of main. A run cancelled while pending, a failed run and a
 * run that never started all leave the tag where it was, so the next run's diff still holds
 * their changes: nothing merged is skipped, and what failed is retried.
 */

/** The git facts a run decides from. */
export interface ApplyFacts {
  /** The commit this run checked out. */
  readonly head: string;
  /** The tip of main when the run started. */
  readonly mainTip: string;
  /** The commit the `applied` tag points at, or undefined before the first apply. */
  readonly applied?: string;
  /** Whether `applied` is an ancestor of (or equal to) `head`. */
  readonly appliedIsAncestor: boolean;
  /** Commits after `applied` up to `head`, oldest first (every commit of main when nothing was applied). */
  readonly commits: readonly string[];
}

export type ApplyDecision =
  /** Diff from `base` (undefined: apply every stack) to head, and apply what changed. */
  | { readonly action: "apply"; readonly base?: string; readonly commits: readonly string[] }
  /** Nothing to do now; `reason` says why. */
  | { readonly action: "skip"; readonly reason: string }
  /** The record cannot be trusted; a person must look. */
  | { readonly action: "refuse"; readonly reason: string };

/** Decides what a run applies. */
export function decideApply(facts: ApplyFacts): ApplyDecision {
  if (facts.head !== facts.mainTip) {
    // A re-run of an old run would apply an older configuration over a newer one.
    return { action: "skip", reason: `${short(facts.head)} is not the tip of main (${short(facts.mainTip)}); the run for the tip applies everything since the last applied commit` };
  }
  if (facts.applied === undefined) return { action: "apply", commits: facts.commits };
  if (!facts.appliedIsAncestor) {
    return { action: "refuse", reason: `the applied tag (${short(facts.applied)}) is not an ancestor of ${short(facts.head)}: main was rewritten or the tag was moved by hand. Fix: move it to the last commit whose stacks were all applied (git tag -f applied <sha> && git push -f origin refs/tags/applied)` };
  }
  if (facts.applied === facts.head) return { action: "skip", reason: `${short(facts.head)} is already applied` };
  return { action: "apply", base: facts.applied, commits: facts.commits };
}

const short = (sha: string) => sha.slice(0, 12);
