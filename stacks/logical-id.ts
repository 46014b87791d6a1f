import { createHash, hash } from "node:crypto";
import type { TerraformElement } from "cdktf";
import type { IConstruct, Node } from "constructs";

/** cdktf's limits and separators (cdktf/lib/private/unique.js). */
const HIDDEN_ID = "Default";
const HIDDEN_FROM_HUMAN_ID = "Resource";
const MAX_HUMAN_LEN = 240;
const MAX_ID_LEN = 255;

/**
 * The logical ID cdktf's `TerraformStack.allocateLogicalId` gives `element` of `stack`: the
 * element's construct path below the stack, its one id as it is, or the ids joined with an
 * 8-character MD5 of the path. `undefined` where cdktf would throw (an empty path), for the
 * caller to let cdktf say so.
 *
 * Why: about 47,000 of a 10x organization's 56,000 elements sit below a construct of their own
 * and need the hash; Node's one-shot `crypto.hash` takes half the time of cdktf's
 * `createHash(...).update(...).digest(...)` (Node 20.12 and later; else the latter).
 * test/logical-id.test.ts compares it with cdktf's for every element of the fixture organization.
 */
export function logicalId(stack: IConstruct, element: TerraformElement | Node): string | undefined {
  const node = "node" in element ? element.node : element;
  const scopes = node.scopes;
  const below = scopes.indexOf(stack) + 1;
  if (below === scopes.length) return "";
  const components: string[] = [];
  for (let i = below; i < scopes.length; i++) {
    const id = scopes[i]!.node.id;
    if (id !== HIDDEN_ID) components.push(id);
  }
  if (components.length === 0) return undefined;
  if (components.length === 1) {
    const candidate = withoutDisallowed(components[0]!);
    if (candidate.length <= MAX_ID_LEN) return candidate;
  }
  const human = withoutDuplicates(components).filter((x) => x !== HIDDEN_FROM_HUMAN_ID).map(withoutDisallowed).join("_").slice(0, MAX_HUMAN_LEN);
  return `${human}_${md5(components.join("/")).slice(0, 8).toUpperCase()}`;
}

const md5: (text: string) => string = typeof hash === "function" ? (text) => hash("md5", text) : (text) => createHash("md5").update(text).digest("hex");

function withoutDisallowed(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, "");
}

/** Drops a component when the one before it ends with it (cdktf's `removeDupes`). */
function withoutDuplicates(path: readonly string[]): string[] {
  const out: string[] = [];
  for (const component of path) if (out.length === 0 || !out[out.length - 1]!.endsWith(component)) out.push(component);
  return out;
}
