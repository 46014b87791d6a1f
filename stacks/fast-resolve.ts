import { Token, Tokenization } from "cdktf";

/** Part of every encoded token cdktf writes into a string or a key: `${TfToken[`, `#{TfToken[` (lists), `&{TfToken[` (maps). */
const TOKEN_MARKER = "{TfToken[";
/** cdktf's pattern for a number token written into a string (cdktf/lib/tokens/private/encoding.js, NUMBER_TOKEN_REGEX). */
const NUMBER_TOKEN_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

type Resolve = typeof Tokenization.resolve;

// Read once: in the one-file build every use of a cdktf export goes through a getter, and these
// are used for every value of every stack.
const TOKENIZATION = Tokenization;
const STRING_MAP_TOKEN = Token.STRING_MAP_TOKEN_VALUE;
const ANY_MAP_TOKEN = Token.ANY_MAP_TOKEN_VALUE;

/**
 * Runs `work` (a stack's `toTerraform`) with a resolver that passes plain values through and
 * hands everything else to cdktf's own.
 *
 * cdktf resolves a stack's JSON value by value: for every string, number, key and nested
 * object it builds a new resolution context (closures and a copy of the path) and runs its
 * token patterns, and it does so twice, once per element and once more over the merged stack.
 * That was half the CPU time of synthesizing a large organization, although almost every value
 * is a plain string. Here a value goes to cdktf's resolver only if it is or may hold a token: a
 * string or key with a token marker or something like an encoded number, any number, a list
 * holding numbers or markers, an object with a `resolve` method, a construct (which cdktf
 * rejects). Everything else (plain strings, booleans, null, plain lists and objects) is rebuilt
 * the way cdktf rebuilds it, dropping `undefined` entries and keeping key order, so the output
 * is the same bytes (test/fast-resolve.test.ts compares both on every stack of the fixture).
 * A value handed over gets no path prefix, which only shortens the path in cdktf's error
 * messages for circular references. The original is put back afterwards.
 */
export function withFastResolve<T>(work: () => T): T {
  const original = Tokenization.resolve;
  const fast: Resolve = (obj, options) => {
    const plain = (value: unknown): unknown => {
      if (value === undefined || value === null || typeof value === "boolean") return value;
      if (typeof value === "string") return mayHoldToken(value) ? original.call(Tokenization, value, options) : value;
      if (typeof value !== "object" || value instanceof Date) return original.call(Tokenization, value, options);
      if (Array.isArray(value)) {
        if (value.some((x) => typeof x === "number" || (typeof x === "string" && mayHoldToken(x)))) return original.call(Tokenization, value, options);
        const out: unknown[] = [];
        for (const x of value) {
          const r = plain(x);
          if (r !== undefined) out.push(r);
        }
        return out;
      }
      if (TOKENIZATION.isResolvable(value) || isConstruct(value)) return original.call(Tokenization, value, options);
      const keys = Object.keys(value);
      if (keys.some(mayHoldToken)) return original.call(Tokenization, value, options);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const r = plain((value as Record<string, unknown>)[key]);
        if (r !== undefined) out[key] = r;
      }
      return out;
    };
    return plain(obj);
  };
  Tokenization.resolve = fast;
  try {
    return work();
  } finally {
    Tokenization.resolve = original;
  }
}

/** Whether cdktf's resolver could read a string as (or as holding) a token. */
function mayHoldToken(s: string): boolean {
  return s.includes(TOKEN_MARKER) || s === STRING_MAP_TOKEN || s === ANY_MAP_TOKEN || NUMBER_TOKEN_IN_STRING.test(s);
}

/** cdktf's own test for a construct (tokens/private/resolve.js). */
function isConstruct(x: object): boolean {
  return (x as { _children?: unknown })._children !== undefined && (x as { _metadata?: unknown })._metadata !== undefined;
}
