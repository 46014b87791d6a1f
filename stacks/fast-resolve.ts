import { ref, Token, Tokenization } from "cdktf";

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

/** cdktf's class of a reference to a resource's or data source's attribute (not exported). */
const REFERENCE = (ref("x") as object).constructor;
/** A string that is exactly one string token: `${TfToken[<key>]}` (cdktf's STRING_TOKEN_REGEX, anchored). */
const ONE_STRING_TOKEN = /^\$\{TfToken\[([a-zA-Z0-9:._-]+)\]\}$/;

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
      if (typeof value === "string") return !mayHoldToken(value) ? value : ((!options.preparing && referenceText(value)) || original.call(Tokenization, value, options));
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

/** cdktf's process-wide token map (cdktf/lib/tokens/private/token-map.js), as far as it is read here. */
interface TokenMapLike {
  readonly stringTokenMap: Map<string, unknown>;
}

/** A reference as cdktf keeps it (cdktf/lib/tfExpression.js `Reference`). */
interface ReferenceLike {
  readonly identifier: unknown;
  readonly crossStackIdentifier: object;
}

/**
 * What cdktf resolves a string to that is exactly one reference (`role.arn` and the like, most
 * of the tokens in a stack): `${<identifier>}`. cdktf gets there by splitting the string into
 * fragments, resolving the reference in a fresh context, resolving the result again, scanning it
 * for number tokens and joining the fragments: about 20 µs a string, 0.6 s of each process at
 * 10x. `undefined` for any other token, a reference wired to another stack (cdktf's
 * cross-stack identifier) or an identifier that itself looks like a token, for cdktf to resolve.
 */
function referenceText(s: string): string | undefined {
  const key = ONE_STRING_TOKEN.exec(s)?.[1];
  const map = (globalThis as { __cdktfTokenMap?: Partial<TokenMapLike> }).__cdktfTokenMap;
  if (key === undefined || !(map?.stringTokenMap instanceof Map)) return undefined;
  const token = map.stringTokenMap.get(key) as ReferenceLike | undefined;
  if (token?.constructor !== REFERENCE || typeof token.identifier !== "string" || Object.keys(token.crossStackIdentifier).length > 0 || mayHoldToken(token.identifier)) return undefined;
  return `\${${token.identifier}}`;
}

/** Whether cdktf's resolver could read a string as (or as holding) a token. */
function mayHoldToken(s: string): boolean {
  return s.includes(TOKEN_MARKER) || s === STRING_MAP_TOKEN || s === ANY_MAP_TOKEN || NUMBER_TOKEN_IN_STRING.test(s);
}

/** cdktf's own test for a construct (tokens/private/resolve.js). */
function isConstruct(x: object): boolean {
  return (x as { _children?: unknown })._children !== undefined && (x as { _metadata?: unknown })._metadata !== undefined;
}
