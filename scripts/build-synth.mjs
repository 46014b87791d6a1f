// Builds main.ts and everything it imports, cdktf and the providers included, into one CommonJS
// file, .gen/synth.cjs, which `npm run synth` runs through .gen/main.cjs and
// scripts/run-bundle.cjs (from V8's code cache). Loading ~150 provider modules one by one cost
// a resolution, a file read and a compilation each; one file compiles once and is cached whole.
// Only what is loaded at run time stays outside: tsx and esbuild (for the config files) and
// typescript (to place config errors). Plain JavaScript so it runs without a TypeScript loader;
// bundling takes ~3 s, so it is skipped while no file it was built from changed (by size and
// modification time, .gen/synth.inputs.json); the build is rewritten, and its code cache
// dropped, only when its text changed.
// Source maps are turned off before the build runs anything: tsx turns them on, and then Node
// would parse the source map of every file it loads. The config loader turns them on while it
// loads the config, for the positions of its errors.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, ".gen");
const stampFile = path.join(out, "synth.inputs.json");
const entry = '"use strict";\n// Written by scripts/build-synth.mjs: runs .gen/synth.cjs from its code cache.\nrequire("../scripts/run-bundle.cjs")(require("node:path").join(__dirname, "synth.cjs"));\n';

/** Size and modification time of each file, or null for a missing one. */
function stamp(files) {
  return files.map((f) => {
    try {
      const s = statSync(path.join(root, f));
      return [f, s.size, s.mtimeMs];
    } catch {
      return [f, null, null];
    }
  });
}

function upToDate() {
  try {
    const previous = JSON.parse(readFileSync(stampFile, "utf8"));
    if (readFileSync(path.join(out, "main.cjs"), "utf8") !== entry || !existsSync(path.join(out, "synth.cjs"))) return false;
    return JSON.stringify(stamp(previous.map(([f]) => f))) === JSON.stringify(previous);
  } catch {
    return false;
  }
}

if (upToDate()) process.exit(0);
const { build } = await import("esbuild");
const result = await build({
  entryPoints: [path.join(root, "main.ts")],
  outfile: path.join(out, "synth.cjs"),
  write: false,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["tsx", "tsx/*", "esbuild", "typescript"],
  plugins: [
    {
      // cdktf zips an archive asset (AssetType.ARCHIVE) by running its own fs module as a script,
      // which cannot work from inside a one-file build, and it loads the zip library for that
      // at start-up (~0.2 s) although nothing here zips that way: the project builds its zips
      // itself (lib/zip.ts), and lint forbids AssetType.ARCHIVE. So the build holds a stand-in
      // that says so if it is ever called.
      name: "no-archive-assets",
      setup(b) {
        b.onResolve({ filter: /^archiver$/ }, () => ({ path: "archiver", namespace: "no-archive-assets" }));
        b.onLoad({ filter: /.*/, namespace: "no-archive-assets" }, () => ({
          contents: 'module.exports = () => { throw new Error("AssetType.ARCHIVE is not supported by the synth build: zip the folder with lib/zip.ts and use AssetType.FILE"); };',
          loader: "js",
        }));
      },
    },
  ],
  // Modules locate the repository from import.meta.url (lib/project-root.ts); in the build it
  // is the build's own URL, one folder below the root.
  banner: { js: '"use strict";\nprocess.setSourceMapsEnabled(false);\nconst __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  define: { "import.meta.url": "__bundle_url" },
  logLevel: "error",
  metafile: true,
});
mkdirSync(out, { recursive: true });
const text = result.outputFiles[0].text;
const bundle = path.join(out, "synth.cjs");
if (!existsSync(bundle) || readFileSync(bundle, "utf8") !== text) {
  writeFileSync(bundle, text);
  for (const f of readdirSync(out)) if (f.endsWith(".cache")) rmSync(path.join(out, f), { force: true });
}
if (!existsSync(path.join(out, "main.cjs")) || readFileSync(path.join(out, "main.cjs"), "utf8") !== entry) writeFileSync(path.join(out, "main.cjs"), entry);
// The inputs esbuild read (paths relative to the root), this script and the lockfile: a changed
// dependency or build option rebuilds.
const inputs = [...Object.keys(result.metafile.inputs), "scripts/build-synth.mjs", "package-lock.json"].map((f) => path.relative(root, path.resolve(root, f))).sort();
writeFileSync(stampFile, JSON.stringify(stamp(inputs)));
