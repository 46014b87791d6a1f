import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/** Where the one-file build's entry (scripts/run-bundle.cjs) leaves its own `import()`. */
const ENTRY_IMPORT = Symbol.for("super-terraform.import");

/**
 * `import()` of a package found at run time (tsx, typescript).
 *
 * The synth command's one-file build runs from V8's code cache (scripts/run-bundle.cjs), and on
 * Node 20 an `import()` inside code read from that cache fails ("A dynamic import callback was
 * not specified"). Its entry, compiled by Node as usual, hands its own `import()` over here;
 * everywhere else (source under tsx, tests) this is the plain `import()`.
 */
export function importModule(specifier: string): Promise<unknown> {
  const viaEntry = (globalThis as { [ENTRY_IMPORT]?: (s: string) => Promise<unknown> })[ENTRY_IMPORT];
  return viaEntry ? viaEntry(specifier) : import(specifier);
}

let requireFiles = false;

/**
 * From now on (`true`), `loadFile` loads files with require(), through the CommonJS hook of a
 * TypeScript loader the caller registered (the synth command registers tsx's); `false` goes
 * back to import().
 */
export function loadFilesWithRequire(on: boolean): void {
  requireFiles = on;
}

/** Whether `loadFile` loads with require() (so `forgetLoadedFiles` can make it load a file afresh). */
export function loadsFilesWithRequire(): boolean {
  return requireFiles;
}

/**
 * Loads a TypeScript or JavaScript file (a config file, a service's manifests) and returns its
 * module: its exports object (`default` holds an ES module's default export).
 *
 * import() of a .ts file goes through tsx's ES module hooks, which run on a worker thread: each
 * file took a round trip to it and back, 0.5 s of a DMM-size validation. require() of the same
 * file runs tsx's CommonJS hook in this thread. Tests and scripts keep import().
 */
export async function loadFile(file: string): Promise<unknown> {
  return requireFiles ? createRequire(file)(file) : importModule(pathToFileURL(file).href);
}
