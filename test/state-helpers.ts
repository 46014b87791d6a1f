import { exampleRaw } from "./helpers.js";

/*
 * Helpers of the retirement, tombstone and rename tests: Terraform addresses of synthesized
 * stacks, and the config edits a developer makes.
 */

type Raw = ReturnType<typeof exampleRaw>;

/** Every resource address (`type.name`) of a synthesized stack. */
export function addresses(stack: any): string[] {
  return Object.entries(stack?.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`)).sort();
}

/** The resource at an address of a synthesized stack. */
export function at(stack: any, address: string): any {
  const dot = address.indexOf(".");
  return stack?.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
}

export const typeOf = (address: string) => address.slice(0, address.indexOf("."));

/** Marks a service retired, as step 1 of its removal. */
export function retire(raw: Raw, key: string): Raw {
  raw.index[key].retired = true;
  return raw;
}

/** Step 2: the (retired) service's file is deleted and its last entry moves to config/retired.ts. */
export function tombstone(raw: Raw, key: string, extra: Record<string, unknown> = {}): Raw {
  const entry = { ...raw.index[key], retired: true, removedOn: "2025-06-30", reason: "Replaced by a new service; data kept for audits", ...extra };
  delete raw.index[key];
  delete raw.serviceFiles[key];
  raw.retired = { ...(raw.retired as object | undefined), [key]: entry };
  return raw;
}

/** Renames a service's file (and index key) from `from` to `to`, with or without previousName. */
export function rename(raw: Raw, from: string, to: string, withPreviousName = true): Raw {
  const entry = { ...raw.index[from], ...(withPreviousName ? { previousName: from } : {}) };
  delete raw.index[from];
  delete raw.serviceFiles[from];
  raw.index[to] = entry;
  raw.serviceFiles[to] = entry;
  return raw;
}
