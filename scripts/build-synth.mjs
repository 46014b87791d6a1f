// Builds main.ts and everything it imports into one CommonJS file, .gen/main.cjs, which
// `npm run synth` runs. Under an ESM loader, each import of a provider's CommonJS module is
// parsed for its exports (~0.5 s per process for ~150 modules); require() skips that. The
// bundle keeps node_modules external, so provider code is loaded exactly as before.
// Plain JavaScript so it runs without a TypeScript loader; it takes ~0.1 s.
// Source maps are turned off before the bundle requires anything: tsx turns them on, and then
// Node parses the inline source map of every cdktf module it loads (~0.2 s per process). The
// config loader turns them on while it loads the config, for the positions of its errors.
import { buildSync } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
buildSync({
  entryPoints: [path.join(root, "main.ts")],
  outfile: path.join(root, ".gen/main.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  // Modules locate the repository from import.meta.url (lib/project-root.ts); in the bundle it
  // is the bundle's own URL, one folder below the root.
  banner: { js: '"use strict";\nprocess.setSourceMapsEnabled(false);\nconst __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  define: { "import.meta.url": "__bundle_url" },
  logLevel: "error",
});
