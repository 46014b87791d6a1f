import type { TypeJson } from "./schema-types.js";

/**
 * Why a literal JSON value cannot be converted to an attribute's type, as Terraform would
 * refuse it; undefined when it can, or when an interpolation makes it known only at apply.
 * Only the value's shape is judged (a string where a list is due), not strings' contents.
 */
export function valueMismatch(type: TypeJson, value: unknown): string | undefined {
  if (value === null || type === "dynamic") return undefined;
  if (typeof value === "string" && value.includes("${")) return undefined;
  const kind = Array.isArray(type) ? type[0] : type;
  const shape = Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
  if (kind === "string" || kind === "number" || kind === "bool") return Array.isArray(value) || typeof value === "object" ? `${kind} required, ${shape} given` : undefined;
  if (kind === "list" || kind === "set" || kind === "tuple") {
    if (!Array.isArray(value)) return `${kind} required, ${shape} given`;
    return kind === "tuple" ? undefined : value.map((v) => valueMismatch((type as [string, TypeJson])[1], v)).find((m) => m !== undefined);
  }
  if (kind === "map" || kind === "object") {
    if (typeof value !== "object" || Array.isArray(value)) return `${kind} required, ${shape} given`;
    if (kind === "map") return Object.values(value as object).map((v) => valueMismatch((type as [string, TypeJson])[1], v)).find((m) => m !== undefined);
  }
  return undefined;
}

/** A type as Terraform's documentation writes it: `list(string)`, `map(number)`, `object`. */
export function typeName(type: TypeJson): string {
  if (!Array.isArray(type)) return type;
  return type[0] === "object" ? "object" : `${type[0]}(${typeName(type[1] as TypeJson)})`;
}
