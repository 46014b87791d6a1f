import { didYouMean } from "../config/suggest.js";
import type { BlockJson, TypeJson } from "./schema-types.js";
import type { Step } from "./template.js";

/*
 * Follows the steps of a reference (`.vpc_config[0].cluster_security_group_id`) through a
 * resource's schema, as Terraform does when it type-checks the expression: attributes
 * (computed ones included) and nested blocks by name, lists by index, maps by key, sets only
 * by splat.
 */

type Position = { readonly block: BlockJson } | { readonly blocks: "list" | "set" | "map"; readonly block: BlockJson } | { readonly type: TypeJson };

/** Why the steps do not resolve in `block` (Terraform's own wording where it has one), or undefined when they do. */
export function unresolvedStep(block: BlockJson, steps: readonly Step[]): string | undefined {
  let at: Position = { block };
  for (const step of steps) {
    if ("dynamic" in step) {
      // An index only known at apply: check no further, as Terraform cannot either.
      return undefined;
    }
    if ("splat" in step) {
      const next = elementOf(at);
      if (typeof next === "string") return next;
      at = next;
      continue;
    }
    if ("attr" in step && "block" in at && !("blocks" in at)) {
      const attr = at.block.attributes?.[step.attr];
      const nested = at.block.block_types?.[step.attr];
      if (attr) at = { type: attr.type };
      else if (nested) at = nested.nesting_mode === "single" || nested.nesting_mode === "group" ? { block: nested.block } : { blocks: nested.nesting_mode, block: nested.block };
      else {
        const names = [...Object.keys(at.block.attributes ?? {}), ...Object.keys(at.block.block_types ?? {})];
        return `Unsupported attribute: this object has no argument, nested block, or exported attribute named "${step.attr}"${didYouMean(step.attr, names)}`;
      }
      continue;
    }
    if ("attr" in step && "type" in at) {
      const next = memberOf(at.type, step.attr);
      if (typeof next === "string") return next;
      at = next;
      continue;
    }
    if ("attr" in step && "blocks" in at) {
      return `Unsupported attribute: "${step.attr}" is read from a ${at.blocks} of blocks; index it first (for example [0].${step.attr}) or use a splat ([*].${step.attr})`;
    }
    if ("attr" in step) continue;
    // A literal index or key.
    const next = indexOf(at, step.index);
    if (typeof next === "string") return next;
    at = next;
  }
  return undefined;
}

function elementOf(at: Position): Position | string {
  if ("blocks" in at) return { block: at.block };
  if ("type" in at && Array.isArray(at.type) && ["list", "set", "map"].includes(at.type[0])) return { type: at.type[1] as TypeJson };
  if ("type" in at && at.type === "dynamic") return at;
  // A splat on a single value treats it as a one-element list.
  return at;
}

function indexOf(at: Position, index: number | string): Position | string {
  if ("blocks" in at) {
    if (at.blocks === "set") return `Invalid index: blocks of a set are identified only by their value; use a splat ([*]) or for expression, or tolist()`;
    return { block: at.block };
  }
  if ("block" in at) return `Invalid index: this object does not support indexing with [${JSON.stringify(index)}]`;
  const t = at.type;
  if (t === "dynamic") return at;
  if (!Array.isArray(t)) return `Invalid index: a ${t} value cannot be indexed`;
  if (t[0] === "set") return `Invalid index: elements of a set are identified only by their value; wrap it in tolist() to index it`;
  if (t[0] === "list" || t[0] === "map") return { type: t[1] as TypeJson };
  if (t[0] === "tuple") return { type: ((t[1] as TypeJson[])[Number(index)] ?? "dynamic") };
  if (t[0] === "object" && typeof index === "string") return memberOf(t, index);
  return `Invalid index: a ${t[0]} value cannot be indexed with [${JSON.stringify(index)}]`;
}

function memberOf(t: TypeJson, name: string): Position | string {
  if (t === "dynamic") return { type: t };
  if (Array.isArray(t) && t[0] === "map") return { type: t[1] as TypeJson };
  if (Array.isArray(t) && t[0] === "object") {
    const fields = t[1] as Record<string, TypeJson>;
    if (name in fields) return { type: fields[name]! };
    return `Unsupported attribute: this object does not have an attribute named "${name}"${didYouMean(name, Object.keys(fields))}`;
  }
  const kind = Array.isArray(t) ? t[0] : t;
  return `Unsupported attribute: a ${kind} value has no attribute "${name}"${Array.isArray(t) && (t[0] === "list" || t[0] === "set") ? "; index it first (for example [0])" : ""}`;
}
