/*
 * The contract between `npm run diff` and the plan/apply workflows: `changed-stacks.txt` at the
 * repository root lists the stacks whose synthesized JSON changed, one stack name per line
 * (blank lines and lines starting with "#" are ignored, order does not matter). The workflows
 * run them in `planStacks` order, which is the dependency order.
 */

export interface OrderedStacks {
  /** Changed stacks that exist, in dependency order. */
  readonly ordered: string[];
  /** Names that are not planned any more (the stack was removed; its workspace needs a human). */
  readonly unknown: string[];
}

/** Reads the list and orders it by the plan; duplicates collapse. */
export function orderChangedStacks(planOrder: readonly string[], changedList: string): OrderedStacks {
  const changed = new Set(changedList.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")));
  const known = new Set(planOrder);
  return {
    ordered: planOrder.filter((n) => changed.has(n)),
    unknown: [...changed].filter((n) => !known.has(n)).sort(),
  };
}
