/*
 * What a stack reads of the validated model, recorded while the stack is built and synthesized.
 * Incremental synthesis reuses a stack's previous output only when every value it read is the
 * same in the new model, so the recording must see every read, including the ones no one lists
 * by hand: a lookup through `find`, a key enumeration, a missing optional field.
 */

/**
 * One recorded read: a path into the model and how it was read. `get` reads the value at the
 * path (a primitive, or `undefined` when absent), `keys` the object's own keys in order, `has`
 * whether the property exists.
 */
export interface Read {
  readonly path: readonly string[];
  readonly how: "get" | "keys" | "has";
}

/** A value that can be compared across runs: primitives as they are, `undefined` marked. */
export type ReadValue = string | number | boolean | null | readonly string[] | { readonly absent: true } | { readonly whole: unknown };

const ABSENT = { absent: true } as const;

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

  private note(path: readonly string[], how: Read["how"], value: ReadValue): void {
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
  let at: unknown = root;
  const last = read.how === "get" || read.how === "has" ? read.path.length - 1 : read.path.length;
  for (let i = 0; i < last; i++) {
    if (at === null || typeof at !== "object") return { whole: "not an object" };
    at = (at as Record<string, unknown>)[read.path[i]!];
  }
  if (at === null || typeof at !== "object") return { whole: "not an object" };
  if (read.how === "keys") return Reflect.ownKeys(at).filter((k): k is string => typeof k === "string");
  const prop = read.path[read.path.length - 1]!;
  if (read.how === "has") return prop in at;
  const value = (at as Record<string, unknown>)[prop];
  if (value === undefined) return ABSENT;
  if (typeof value === "object" && value !== null) return { whole: "an object" };
  return value as ReadValue;
}
