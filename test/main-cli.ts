import path from "node:path";

/**
 * The synth and validate command as `npm run synth` and `npm run validate` run it: main.ts
 * bundled by scripts/build-synth.mjs (test/global-setup.ts builds it before the tests), run
 * with plain `node`: the bundle registers the TypeScript loader for the config files itself.
 */
export const MAIN_CLI = path.resolve(import.meta.dirname, "../.gen/main.cjs");
