"use strict";
/*
 * Runs the synth command's one-file build (.gen/synth.cjs, scripts/build-synth.mjs) through V8's
 * code cache. .gen/main.cjs, which `npm run synth` starts, is only a call of this.
 *
 * Why: compiling the build (cdktf, ~150 provider modules and the project, 8 MB) took about a
 * fifth of a synth of a DMM-size organization. The first run that synthesizes writes the
 * compiled code to .gen/synth-<hash>.cache; later runs read it (Node 22 does this itself with
 * module.enableCompileCache(); Node 20 does not). The cache is named by the hash of the build's
 * text, because V8's own check of cached code compares only the text's length.
 *
 * Also: the old generation may grow by 25% between full collections, not by V8's default of up
 * to 300%. The synthesis drops each stack once written, so most of a stack's memory is garbage
 * by then: at 10x, V8's default let each process reach 400 MB for ~90 MB of live data.
 */
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const v8 = require("node:v8");
const vm = require("node:vm");

/** Runs `bundle` as the main module, as `node <bundle>` would, compiled from the cache when one matches. */
module.exports = function runBundle(bundle) {
  v8.setFlagsFromString("--heap-growing-percent=25");
  const source = fs.readFileSync(bundle, "utf8");
  const cacheFile = path.join(path.dirname(bundle), `synth-${createHash("sha1").update(source).digest("hex").slice(0, 16)}.cache`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // import() inside code read from a code cache fails on Node 20; the build calls this one instead
  // (lib/import-module.ts). Relative specifiers never reach it, so resolving from here is right.
  globalThis[Symbol.for("super-terraform.import")] = (specifier) => import(specifier);
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) writeCacheOnSuccess(script, cacheFile);
  const mod = new Module(bundle, null);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  // The build runs as if started directly: it checks process.argv[1] to know it is the entry.
  process.argv[1] = bundle;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
};

/**
 * Writes the code cache when the process ends well after a synthesis, so it holds the functions
 * a synthesis compiled, not only those of a validation. Written aside and renamed, as both
 * processes of a two-process synth may write it at once.
 */
function writeCacheOnSuccess(script, cacheFile) {
  if (process.argv.includes("--validate-only")) return;
  process.once("exit", (code) => {
    if (code !== 0) return;
    const partial = `${cacheFile}.${process.pid}`;
    try {
      fs.writeFileSync(partial, script.createCachedData());
      fs.renameSync(partial, cacheFile);
    } catch {
      // A read-only checkout only loses the speed-up.
      fs.rmSync(partial, { force: true });
    }
  });
}
