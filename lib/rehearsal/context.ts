import type { OrganizationModel } from "../config/model";
import { planStacks } from "../plan/stack-plan";
import { applyWaves } from "../plan/waves";
import type { RehearsalContext, RehearsalStack } from "./types";

/**
 * The rehearsal's context from the validated model and every synthesized stack's parsed JSON
 * (by stack name, as `cdktf.out/stacks/<name>/cdk.tf.json` holds it): the stacks in apply
 * order (wave, then plan order). Throws when the JSON does not belong to this model (a stack
 * missing or one the model does not plan), which means `cdktf.out` is stale.
 */
export function contextOf(model: OrganizationModel, stacksJson: Readonly<Record<string, unknown>>): RehearsalContext {
  const specs = planStacks(model);
  const planned = new Set(specs.map((s) => s.name));
  const missing = specs.filter((s) => stacksJson[s.name] === undefined).map((s) => s.name);
  const extra = Object.keys(stacksJson).filter((name) => !planned.has(name)).sort();
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(", ")}` : "",
      extra.length > 0 ? `not in the config: ${extra.join(", ")}` : "",
    ].filter((p) => p !== "");
    throw new Error(`the synthesized stacks do not match the config (${parts.join("; ")}). Run \`npm run synth\` first`);
  }
  const stacks: RehearsalStack[] = [];
  applyWaves(specs).forEach((wave, index) => {
    for (const spec of wave) stacks.push({ spec, json: stacksJson[spec.name], wave: index });
  });
  return { model, stacks, byName: new Map(stacks.map((s) => [s.spec.name, s])) };
}
