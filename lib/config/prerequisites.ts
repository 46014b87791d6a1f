import type { Platform } from "./schema";

/*
 * The platform's prerequisites (`config/platform.ts` `prerequisites`): what exists before the
 * first apply and how it is created. Their `provides` keys may name values of the platform file
 * as `{path}`, so a key follows the config (a new bastion account ID, another SAML provider
 * name) instead of repeating it.
 */

const PLACEHOLDER = /\{([A-Za-z0-9_.-]+)\}/g;

/** The value at a dotted path of the platform config, or undefined when there is none. */
function valueAt(platform: Platform, path: string): unknown {
  let value: unknown = platform;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The keys one `provides` entry stands for, placeholders filled in: a list value gives one key
 * per element (`datadog-role:{datadog.roles}`). Throws on a path that names no string, number
 * or list of them; validation reports that first (`prerequisiteProblems`).
 */
export function expandProvides(platform: Platform, key: string): string[] {
  let keys = [key];
  for (const match of key.matchAll(PLACEHOLDER)) {
    const value = valueAt(platform, match[1]!);
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || values.some((v) => typeof v !== "string" && typeof v !== "number")) {
      throw new Error(`{${match[1]}} names no text value of config/platform.ts`);
    }
    keys = keys.flatMap((k) => values.map((v) => k.replace(match[0], String(v))));
  }
  return keys;
}

/** Problems of the prerequisites list: duplicate ids and placeholders that name nothing. */
export function prerequisiteProblems(platform: Platform, file: string): Array<{ file: string; entry: string; field: string; value: unknown; message: string; fix: string }> {
  const problems: Array<{ file: string; entry: string; field: string; value: unknown; message: string; fix: string }> = [];
  const seen = new Set<string>();
  platform.prerequisites.forEach((p, i) => {
    if (seen.has(p.id)) problems.push({ file, entry: "", field: `prerequisites.${i}.id`, value: p.id, message: "is the id of an earlier prerequisite", fix: "give every prerequisite its own id" });
    seen.add(p.id);
    p.provides.forEach((key, j) => {
      try {
        expandProvides(platform, key);
      } catch (error) {
        problems.push({ file, entry: "", field: `prerequisites.${i}.provides.${j}`, value: key, message: (error as Error).message, fix: "use the dotted path of a text value of config/platform.ts, such as {accounts.bastion.id}" });
      }
    });
  });
  return problems;
}

/** Every provided key with the id of the prerequisite that provides it, placeholders filled in. */
export function providedKeys(platform: Platform): Array<{ readonly key: string; readonly prerequisite: string }> {
  return platform.prerequisites.flatMap((p) => p.provides.flatMap((key) => expandProvides(platform, key).map((k) => ({ key: k, prerequisite: p.id }))));
}
