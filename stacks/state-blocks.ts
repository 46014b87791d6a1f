import { tmpdir } from "node:os";
import path from "node:path";
import { App } from "cdktf";
import type { Construct } from "constructs";
import type { OrganizationModel } from "../lib/config/model";
import { beforeRenames, holdsTombstones, movedBlocks, nameBeforeRenames, renames, withTombstonesRestored } from "../lib/config/retirement";
import { recordedQuery } from "../lib/incremental/read-recorder";
import { planStacks, type StackSpec } from "../lib/plan/stack-plan";
import type { PlatformStack, PlatformStackProps } from "./platform-stack.js";

/*
 * Terraform `removed` and `moved` blocks, derived rather than written by hand: a stack is
 * built a second time (its "twin") from the organization as it was before (tombstoned
 * services back as retired services; renamed services under their previous keys), and the
 * two sets of Terraform addresses are compared. The twin is an instance of the same stack
 * class in a throwaway App, built through cdktf's public API only, so every kind of stack,
 * now and later, gets the blocks without code of its own.
 */

type StackClass = new (scope: Construct, props: PlatformStackProps) => PlatformStack;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Terraform JSON, as cdktf's toTerraform types it
type Json = Record<string, any>;

/*
 * Every stack asks these two questions, and their answers depend on the whole list of services:
 * recorded as answers (see lib/incremental/read-recorder.ts), adding a service that is neither
 * tombstoned nor renamed leaves every other stack's inputs unchanged.
 */
const holdsTombstonesOf = recordedQuery("holdsTombstones", holdsTombstones);
const nameBeforeRenamesOf = recordedQuery("nameBeforeRenames", nameBeforeRenames);

/** Apps of twins: a twin needs only its resources, never state blocks of its own. */
const twinApps = new WeakSet<object>();

/** Builds `stack`'s class for another model and spec, and returns its Terraform JSON. */
function twinJson(stack: PlatformStack, model: OrganizationModel, spec: StackSpec): Json {
  // Never synthesized: the App only gives the twin a scope; nothing is written to outdir.
  const app = new App({ outdir: path.join(tmpdir(), "super-tf-twin"), skipValidation: true });
  twinApps.add(app);
  const Stack = stack.constructor as StackClass;
  return new Stack(app, { spec, model }).toTerraform() as Json;
}

/** Every resource of a stack's JSON: address -> construct path. */
function resourcePaths(json: Json): Map<string, string> {
  const out = new Map<string, string>();
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, String(body?.["//"]?.metadata?.path ?? ""));
  }
  return out;
}

/**
 * Adds the state blocks this stack needs to its synthesized JSON:
 * - `removed` (`destroy = false`) for every resource the stack held for a tombstoned service,
 *   so Terraform forgets it and it stays in AWS. A tombstoned service stack is replaced by its
 *   retired twin's providers and backend with only `removed` blocks;
 * - `moved` for every resource whose address a rename changed.
 */
export function withStateBlocks(stack: PlatformStack, json: Json): Json {
  const model = stack.model;
  if (twinApps.has(stack.node.root)) return json;
  let out = json;
  if (holdsTombstonesOf(model, stack.spec)) {
    const restored = withTombstonesRestored(model);
    const twinSpec = planStacks(restored).find((s) => s.name === stack.spec.name)!;
    const before = twinJson(stack, restored, twinSpec);
    const now = resourcePaths(json);
    const gone = [...resourcePaths(before).keys()].filter((a) => !now.has(a)).sort();
    const removed = gone.map((from) => ({ from, lifecycle: { destroy: false } }));
    if (stack.spec.tombstoned) {
      // Keep what Terraform needs to forget: the backend and the provider configurations.
      out = Object.fromEntries(Object.entries(before).filter(([block]) => !["resource", "data", "output", "moved"].includes(block)));
      out.removed = removed;
    } else if (removed.length > 0) {
      out = { ...out, removed: [...(out.removed ?? []), ...removed] };
    }
  }
  const oldName = nameBeforeRenamesOf(model, stack.spec);
  if (oldName !== undefined) {
    const old = beforeRenames(model);
    const twinSpec = planStacks(old).find((s) => s.name === oldName);
    if (twinSpec) {
      const moved = movedBlocks(resourcePaths(twinJson(stack, old, twinSpec)), resourcePaths(out), renames(model));
      if (moved.length > 0) out = { ...out, moved: [...(out.moved ?? []), ...moved] };
    }
  }
  return out;
}
