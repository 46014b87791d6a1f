/*
 * What a stack reads of the validated model, recorded while the stack is built and synthesized.
 * Incremental synthesis reuses a stack's previous output only when every value it read is the
 * same in the new model, so the recording must see every read, including the ones no one lists
 * by hand: a lookup through `find`, a key enumeration, a missing optional field.
 */

/**
 * One recorded read: a path into the model and how it was read. `get` reads the value at the
 * path (a primitive, or `undefined` when absent), `keys` the object's own keys in order, `has`
 * whether the property exists, `query` the result of a named query (`recordedQuery`) whose name
 * and argument are the path. A path segment `KEYED + k` is the element of an array whose `key`
 * is `k`, wherever it stands (`findByKey`).
 */
export interface Read {
  readonly path: readonly string[];
  readonly how: "get" | "keys" | "has" | "query";
}

/** A value that can be compared across runs: primitives as they are, `undefined` marked. */
export type ReadValue = string | number | boolean | null | readonly string[] | { readonly absent: true } | { readonly whole: unknown };

const ABSENT = { absent: true } as const;

/** Path segment prefix of an array element found by its `key` (no model property starts so). */
const KEYED = "\u0000key:";

/** Queries by name, so a later run can evaluate a recorded query on its own model. */
const queries = new Map<string, (model: never, arg: never) => unknown>();

/** Each recorder's proxies, to recognize them in `recordedQuery` and `findByKey`. */
const proxied = new WeakMap<object, { recorder: ReadRecorder<object>; target: object; path: readonly string[] }>();

/**
 * A query over the whole model whose result is recorded instead of every read it makes: a
 * stack that asks "is any service renamed into me?" then depends on the answer, not on the
 * list of services (which every added service changes). `fn` must be a pure function of the
 * model and `arg` (plain data), returning plain data; the name must be unique.
 */
export function recordedQuery<M extends object, A, R>(name: string, fn: (model: M, arg: A) => R): (model: M, arg: A) => R {
  queries.set(name, fn as (model: never, arg: never) => unknown);
  return (model, arg) => {
    const seen = proxied.get(model);
    if (!seen || seen.path.length > 0) return fn(model, arg);
    const result = fn(seen.target as M, arg);
    seen.recorder.note([name, JSON.stringify(arg) ?? ""], "query", { whole: result === undefined ? ABSENT : result });
    return result;
  };
}

/**
 * The element of `list` whose `key` is `key`. Seen through a recorder, what is read of it is
 * recorded under that key, not its position, so an element added before it changes nothing.
 */
export function findByKey<T extends { readonly key: string }>(list: readonly T[], key: string): T | undefined {
  const seen = proxied.get(list);
  if (!seen) return list.find((e) => e.key === key);
  return seen.recorder.keyed(seen.target as readonly T[], seen.path, key) as T | undefined;
}

/**
 * Wraps a plain-data model (objects, arrays, primitives, as the validated model is) in read-only
 * proxies that record each read. Objects are wrapped lazily as they are reached, and a path keeps
 * one proxy, so `model.services === model.services` still holds.
 */
export class ReadRecorder<T extends object> {
  /** The model as the stack must see it. */
  readonly model: T;
  private readonly reads = new Map<string, { read: Read; value: ReadValue }>();
  private readonly proxies = new Map<string, { target: object; proxy: object }>();

  constructor(root: T) {
    this.model = this.wrap(root, []) as T;
  }

  /** The reads so far, each once, in the order they first happened. */
  recorded(): Array<{ read: Read; value: ReadValue }> {
    return [...this.reads.values()];
  }

  /** `findByKey` on one of this recorder's arrays. */
  keyed(list: ReadonlyArray<{ readonly key: string }>, path: readonly string[], key: string): object | undefined {
    const found = list.find((e) => e.key === key);
    const at = [...path, `${KEYED}${key}`];
    this.note(at, "has", found !== undefined);
    return found === undefined ? undefined : this.wrap(found, at);
  }

  /** Records one read, once. */
  note(path: readonly string[], how: Read["how"], value: ReadValue): void {
    const id = `${how}:${JSON.stringify(path)}`;
    if (!this.reads.has(id)) this.reads.set(id, { read: { path, how }, value });
  }

  private wrap(target: object, path: readonly string[]): object {
    const id = JSON.stringify(path);
    const known = this.proxies.get(id);
    if (known && known.target === target) return known.proxy;
    const proxy = new Proxy(target, {
      get: (t, prop, receiver) => {
        const value = Reflect.get(t, prop, receiver) as unknown;
        // Symbols (the array iterator) and inherited members (Array.prototype.map) are code.
        if (typeof prop === "symbol" || (!Object.hasOwn(t, prop) && value !== undefined)) return value;
        return this.child([...path, prop], value);
      },
      has: (t, prop) => {
        const found = Reflect.has(t, prop);
        if (typeof prop === "string") this.note([...path, prop], "has", found);
        return found;
      },
      ownKeys: (t) => {
        const keys = Reflect.ownKeys(t);
        this.note(path, "keys", keys.filter((k): k is string => typeof k === "string"));
        return keys;
      },
      getOwnPropertyDescriptor: (t, prop) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(t, prop);
        if (typeof prop === "symbol") return descriptor;
        if (!descriptor) {
          this.note([...path, prop], "has", false);
          return descriptor;
        }
        // The descriptor hands out the value: it is a read of that value. An object the proxy
        // may not replace (a non-configurable property) would leak unwrapped, so all of it is
        // recorded; such a value never equals a re-read, so its stack is always rebuilt.
        if (!("value" in descriptor)) return descriptor;
        const value = descriptor.value as unknown;
        if (value === null || typeof value !== "object") {
          this.child([...path, prop], value);
          return descriptor;
        }
        if (!descriptor.configurable) {
          this.note([...path, prop], "get", { whole: structuredClone(value) });
          return descriptor;
        }
        return { ...descriptor, value: this.child([...path, prop], value) };
      },
      set: () => readOnly(path),
      defineProperty: () => readOnly(path),
      deleteProperty: () => readOnly(path),
      setPrototypeOf: () => readOnly(path),
    });
    this.proxies.set(id, { target, proxy });
    proxied.set(proxy, { recorder: this as ReadRecorder<object>, target, path });
    return proxy;
  }

  private child(path: readonly string[], value: unknown): unknown {
    if (value !== null && typeof value === "object") return this.wrap(value, path);
    if (typeof value === "function") throw new TypeError(`The model holds a function at ${path.join(".")}; it must be plain data.`);
    this.note(path, "get", value === undefined ? ABSENT : (value as ReadValue));
    return value;
  }
}

function readOnly(path: readonly string[]): never {
  throw new TypeError(`A stack tried to change the model at ${path.join(".") || "its root"}; the model is read-only while stacks are built.`);
}

/**
 * Reads `read` again on another model, without recording: the value the same code would see
 * there. An object where a primitive was read (or the reverse) gives a value that never
 * equals the recorded one.
 */
export function reread(root: unknown, read: Read): ReadValue {
  if (read.how === "query") {
    const fn = queries.get(read.path[0]!);
    if (!fn) return { whole: { unknownQuery: read.path[0] } };
    const result = fn(root as never, JSON.parse(read.path[1]!) as never);
    return { whole: result === undefined ? ABSENT : result };
  }
  let at: unknown = root;
  const step = (from: unknown, segment: string): unknown => {
    if (segment.startsWith(KEYED) && Array.isArray(from)) return from.find((e: { key?: unknown }) => e?.key === segment.slice(KEYED.length));
    return (from as Record<string, unknown>)[segment];
  };
  const last = read.how === "get" || read.how === "has" ? read.path.length - 1 : read.path.length;
  for (let i = 0; i < last; i++) {
    if (at === null || typeof at !== "object") return { whole: "not an object" };
    at = step(at, read.path[i]!);
  }
  if (at === null || typeof at !== "object") return { whole: "not an object" };
  if (read.how === "keys") return Reflect.ownKeys(at).filter((k): k is string => typeof k === "string");
  const prop = read.path[read.path.length - 1]!;
  if (read.how === "has") return prop.startsWith(KEYED) ? step(at, prop) !== undefined : prop in at;
  const value = step(at, prop);
  if (value === undefined) return ABSENT;
  if (typeof value === "object" && value !== null) return { whole: "an object" };
  return value as ReadValue;
}
