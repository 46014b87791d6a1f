import type { StackSpec } from "../plan/stack-plan";
import { dependenciesOf, wavesOf } from "../plan/waves";

/*
 * Which changed stacks a pull request can plan. A stack whose upstream is new in the same
 * pull request reads what does not exist yet (a namespace shard reads a new service's
 * workspace outputs), so its plan waits for that upstream's apply instead of failing. A stack
 * whose upstream exists but changes is planned against the upstream as it is today; if that
 * plan fails it is reported as waiting for the upstream, not as failed (the apply runs in
 * waves, so the upstream applies first).
 */

/** What the plan workflow does with one changed stack. */
export interface PlanStep {
  readonly stack: string;
  /**
   * `plan`: a speculative plan; `new`: its workspace does not exist yet (its factory creates
   * it on merge), not planned; `pending`: an upstream is new or itself waiting, not planned.
   */
  readonly action: "plan" | "new" | "pending";
  /** Upstream stacks changed in the same pull request (for `pending`: the ones it waits for). */
  readonly after: readonly string[];
}

/**
 * The changed stacks in wave order with what to do with each. `exists` tells whether a
 * stack's workspace exists in Terraform Cloud today.
 */
export function planSchedule(specs: readonly StackSpec[], changed: Iterable<string>, exists: (stack: string) => boolean): PlanStep[] {
  const bySpec = new Map(specs.map((s) => [s.name, s]));
  const changedSet = new Set(changed);
  const steps = new Map<string, PlanStep>();
  for (const stack of wavesOf(changedSet, specs).flat()) {
    const upstream = dependenciesOf(bySpec.get(stack)!, specs).filter((d) => changedSet.has(d));
    // Waves put every upstream first, so its step is already decided.
    const waiting = upstream.filter((d) => steps.get(d)?.action !== "plan");
    const step: PlanStep = !exists(stack)
      ? { stack, action: "new", after: upstream }
      : waiting.length > 0
        ? { stack, action: "pending", after: waiting }
        : { stack, action: "plan", after: upstream };
    steps.set(stack, step);
  }
  return [...steps.values()];
}
