/** Where the one-file build's entry (scripts/run-bundle.cjs) leaves its own `import()`. */
const ENTRY_IMPORT = Symbol.for("super-terraform.import");

/**
 * `import()` of a module found at run time: a config file, tsx, typescript.
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
