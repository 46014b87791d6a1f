import { existsSync } from "node:fs";
import path from "node:path";
import type { ServiceModel } from "../config/model";
import { type Problem, splitFix } from "../config/problems";
import type { Platform } from "../config/schema";
import { locateProblems } from "../config/source";
import { manifestSourcePath } from "../plan/argocd";
import { manifestProblems } from "./checks";
import { type Manifests, manifestsSchema } from "./schema";
import { loadFile } from "../import-module";

/** A service's manifests as read from `manifests/<service>/manifests.ts`. */
export interface LoadedManifests {
  /** The source, parsed; undefined when the file is missing or does not load. */
  readonly source?: Manifests;
  /** Everything wrong with it, located at its line. */
  readonly problems: readonly Problem[];
}

/**
 * Reads and checks one service's typed manifests under the repository `root`: shape (the
 * schema), then the rules that need the service (overlays, images, quota, removed API
 * versions). Problems name the file as shown (`manifests/<service>/manifests.ts`), the service
 * as the entry, the field, the value and the fix, with the line in the file.
 */
export async function loadManifests(root: string, platform: Platform, s: ServiceModel, serviceFile: string): Promise<LoadedManifests> {
  const shown = manifestSourcePath(s.key);
  const file = path.join(root, shown);
  if (!existsSync(file)) return { problems: [] };
  let exported: unknown;
  try {
    exported = ((await loadFile(file)) as { default?: unknown }).default;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return { problems: [{ file: shown, entry: s.key, field: "", value: undefined, message: `does not load: ${message}`, fix: "fix the TypeScript error (npx tsc -p . names it), keeping `export default defineManifests({...})`" }] };
  }
  const parsed = manifestsSchema.safeParse(exported);
  const problems: Problem[] = parsed.success
    ? manifestProblems(platform, s, parsed.data, shown, serviceFile)
    : parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join(".");
      let value: unknown = exported;
      for (const step of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[step as PropertyKey];
      const { message, fix } = splitFix(issue.message, "see the field's documentation in lib/manifests/schema.ts");
      return { file: shown, entry: s.key, field, value, message, fix };
    });
  // The file holds one entry (the service's manifests): follow the field from its exported object.
  const located = await locateProblems(problems.map((p) => ({ ...p, entry: "" })), (f) => (f === shown ? file : undefined));
  return { ...(parsed.success ? { source: parsed.data } : {}), problems: located.map((p) => ({ ...p, entry: s.key })) };
}
