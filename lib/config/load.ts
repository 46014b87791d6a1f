import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Problem } from "./problems";
import { importLine, indexFromSource } from "./source";
import { loadFile, loadsFilesWithRequire } from "../import-module";
import { loadBundled, type ConfigFiles } from "./bundle";

/** What the config files export, unchecked. `validate` turns it into a model or problems. */
export interface RawConfig {
  /** How files are named in messages, e.g. "config". */
  readonly label: string;
  readonly platform: unknown;
  readonly developers: unknown;
  /** The default export of `services.ts`: service key -> service entry. */
  readonly index: unknown;
  /** Default export of every `services/*.ts` file, by file name without extension. */
  readonly serviceFiles: Readonly<Record<string, unknown>>;
  /** The default export of `retired.ts` (removed services' tombstones). @default - no file, no tombstones */
  readonly retired?: unknown;
  /** Files that could not be loaded at all (syntax errors, a throw at import). */
  readonly problems: readonly Problem[];
  /**
   * Files (as shown in messages) that could not be loaded; their problems are in `problems`,
   * and validation checks nothing else of them. @default - every file loaded
   */
  readonly unloaded?: readonly string[];
}

const SERVICE_FILE = /^(.*)\.(ts|mts|js|mjs)$/;

/** Why a module could not be imported, and where: the file and position the cause is in. */
interface LoadFailure {
  readonly kind: "syntax" | "throw" | "missing" | "other";
  /** Absolute path of the file the cause is in (may be another file than the one imported). */
  readonly origin?: string;
  readonly line?: number;
  readonly column?: number;
  /** The compiler's or runtime's own words, first line only. */
  readonly text: string;
  /** For "missing": the module that does not exist. */
  readonly target?: string;
}

/**
 * Loads a config directory (`config/` or a generated one) by importing its modules.
 * A file that fails to import becomes a problem with its line, column and the fix for that
 * cause, not a crash; a failure is reported once, on the file it is in, and the other files
 * are still loaded (an index whose import of a broken file failed is read from its source),
 * so validation reports every other problem in the same run.
 */
export async function loadConfig(dir: string, label = "config"): Promise<RawConfig> {
  // The synth command (which loads files with require()) first loads the whole config as one
  // bundle (bundle.ts); a config that does not load cleanly that way is loaded file by file.
  if (loadsFilesWithRequire()) {
    const bundled = await loadBundled(dir, configFiles(dir));
    if (bundled) return { label, ...bundled, problems: [], unloaded: [] };
  }
  return loadOnce(dir, label);
}

/** The config directory's files: the four fixed ones (retired.ts if it exists) and every service file. */
export function configFiles(dir: string): ConfigFiles {
  return {
    platform: "platform.ts",
    developers: "developers.ts",
    index: "services.ts",
    retired: existsSync(path.join(dir, "retired.ts")) ? "retired.ts" : undefined,
    services: serviceFileNames(dir).map((file) => [SERVICE_FILE.exec(file)![1]!, `services/${file}`] as const),
  };
}

/** The service files in `dir/services`, sorted; none without the folder. */
function serviceFileNames(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, "services")).filter((f) => SERVICE_FILE.test(f)).sort();
  } catch {
    return [];
  }
}

/** Loads the config file by file: each failure becomes a problem with its position and fix. */
async function loadOnce(dir: string, label: string): Promise<RawConfig> {
  const failures = new Map<string, { shown: string; failure: LoadFailure }>();
  // Positions of a throw come from the stack trace, which points into the TypeScript source
  // only with source maps on (the synth command turns them off for speed after loading).
  const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled ?? false;
  process.setSourceMapsEnabled(true);
  const problems: Problem[] = [];
  const load = async (file: string, shown: string): Promise<unknown> => {
    try {
      const mod = commonJsInterop((await loadFile(path.join(dir, file))) as { default?: unknown });
      if (mod.default === undefined) {
        problems.push({ file: shown, entry: "", field: "", value: undefined, message: "has no default export", fix: "end the file with `export default defineService({ ... })` (or the matching define helper)" });
      }
      return mod.default;
    } catch (error) {
      failures.set(path.resolve(dir, file), { shown, failure: describeFailure(error, dir) });
      return undefined;
    }
  };

  let platform: unknown, developers: unknown, index: unknown, retired: unknown;
  const serviceFiles: Record<string, unknown> = {};
  try {
    platform = await load("platform.ts", `${label}/platform.ts`);
    developers = await load("developers.ts", `${label}/developers.ts`);
    index = await load("services.ts", `${label}/services.ts`);
    // Optional: an organization that never removed a service needs no such file.
    retired = existsSync(path.join(dir, "retired.ts")) ? await load("retired.ts", `${label}/retired.ts`) : undefined;
    for (const file of serviceFileNames(dir)) {
      const stem = SERVICE_FILE.exec(file)![1]!;
      serviceFiles[stem] = await load(`services/${file}`, `${label}/services/${file}`);
    }
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }

  const unloaded: string[] = [];
  const indexFile = path.resolve(dir, "services.ts");
  for (const [file, { shown, failure }] of failures) {
    // A failure in a file that is loaded on its own is reported there, once; the file that
    // imports it (the index) is read from its source instead.
    const elsewhere = failure.origin !== undefined && failure.origin !== file && failures.has(failure.origin);
    const missingService = failure.kind === "missing" && failure.origin === file && failure.target !== undefined && path.dirname(failure.target) === path.join(dir, "services");
    if (file === indexFile && (elsewhere || missingService)) {
      const listed = await indexFromSource(file);
      if (listed) {
        index = Object.fromEntries([...listed].map(([key, specifier]) => {
          const m = /^\.\/services\/([^/]+?)\.(?:[mc]?[jt]s)$/.exec(specifier);
          // A listed file that does not exist: validation says so ("lists a service with no file").
          return [key, m && m[1]! in serviceFiles ? serviceFiles[m[1]!] : { missing: specifier }];
        }));
        continue;
      }
    }
    unloaded.push(shown);
    if (elsewhere) continue;
    problems.push(await loadProblem(shown, file, failure, label, dir));
  }
  return { label, platform, developers, index, serviceFiles, retired, problems, unloaded };
}

/**
 * A config file outside a `"type": "module"` package (a generated organization in a temporary
 * folder) is compiled to CommonJS when the synth command registers its TypeScript loader at run
 * time: its import() then gives `module.exports`, whose `default` holds the file's default export.
 */
function commonJsInterop(mod: { default?: unknown }): { default?: unknown } {
  const exported = mod.default as { __esModule?: unknown; default?: unknown } | undefined;
  return exported !== null && typeof exported === "object" && exported.__esModule === true && "default" in exported ? { default: exported.default } : mod;
}

/** Classifies an import error by what tsx (esbuild) and Node report. */
function describeFailure(error: unknown, dir: string): LoadFailure {
  const message = error instanceof Error ? error.message : String(error);
  // esbuild: "Transform failed with 1 error:\n/abs/file.ts:5:19: ERROR: Expected ..." (column 0-based).
  const syntax = /^(\/[^\n]*?):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  if (syntax) return { kind: "syntax", origin: syntax[1]!, line: Number(syntax[2]), column: Number(syntax[3]) + 1, text: syntax[4]! };
  const code = (error as { code?: unknown } | null)?.code;
  const missing = /Cannot find (?:module|package) '([^']+)' imported from (.+)$/m.exec(message);
  if (code === "ERR_MODULE_NOT_FOUND" && missing) {
    const importer = missing[2]!.startsWith("file:") ? fileURLToPath(missing[2]!) : missing[2]!;
    return { kind: "missing", origin: path.resolve(importer), target: missing[1]!.startsWith("file:") ? fileURLToPath(missing[1]!) : missing[1]!, text: message.split("\n")[0]! };
  }
  // The same from require() (a config directory outside an ES module package).
  const required = /Cannot find module '([^']+)'\s*\nRequire stack:\n- (.+)$/m.exec(message);
  if (code === "MODULE_NOT_FOUND" && required) {
    const importer = path.resolve(required[2]!);
    const target = required[1]!.startsWith(".") ? path.resolve(path.dirname(importer), required[1]!) : required[1]!;
    return { kind: "missing", origin: importer, target, text: message.split("\n")[0]! };
  }
  // A throw while the module runs: the first stack frame inside the config directory.
  const stack = error instanceof Error ? error.stack ?? "" : "";
  const root = path.resolve(dir) + path.sep;
  for (const m of stack.matchAll(/((?:file:\/\/)?\/[^\s()]+?):(\d+):(\d+)\)?$/gm)) {
    const file = m[1]!.startsWith("file:") ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith(root)) return { kind: "throw", origin: file, line: Number(m[2]), column: Number(m[3]), text: message.split("\n")[0]! };
  }
  return { kind: error instanceof Error && !(error instanceof SyntaxError) ? "throw" : "other", text: message.split("\n")[0]! };
}

/** The problem a failed file reports: where the cause is and the fix for that cause. */
async function loadProblem(shown: string, file: string, f: LoadFailure, label: string, dir: string): Promise<Problem> {
  const showPath = (abs: string) => (abs.startsWith(path.resolve(dir) + path.sep) ? `${label}/${path.relative(dir, abs)}` : abs);
  const at = f.origin !== undefined && f.origin !== file ? ` (in ${showPath(f.origin)})` : "";
  const where = f.line !== undefined && f.origin === file ? { line: f.line, column: f.column ?? 1 } : {};
  const base = { file: shown, entry: "", field: "", value: undefined, ...where };
  if (f.kind === "syntax") {
    const pos = f.line !== undefined ? ` at line ${f.line}, column ${f.column}` : "";
    return { ...base, message: `is not valid TypeScript${at}: ${f.text}`, fix: `correct the syntax${pos}${at} (a missing comma, quote or bracket is the usual cause); your editor underlines it` };
  }
  if (f.kind === "missing") {
    const imported = f.origin ? await importLine(f.origin, f.target ?? "") : undefined;
    const what = imported ? `"${imported.specifier}"` : f.target ?? "a module";
    const moved = f.target !== undefined && path.dirname(f.target) === path.join(dir, "services")
      ? `if the service file was renamed, import it by its new name (the key must equal the file name); if it was deleted, remove the import and its entry`
      : "correct the path of the import (relative to this file, ending in .js)";
    return { ...base, ...(imported ? { line: imported.line, column: imported.column } : {}), message: `imports ${what}, which does not exist${at}`, fix: moved };
  }
  if (f.kind === "throw") {
    const pos = f.line !== undefined ? ` at line ${f.line}` : "";
    return { ...base, message: `throws while it is loaded${at}: ${f.text}`, fix: `config files hold plain data: remove or correct the code${pos}${at} that runs when the file is imported` };
  }
  return { ...base, message: `could not be loaded: ${f.text}`, fix: "correct the file so it is valid TypeScript that exports its entries; `npm run validate` shows the cause" };
}
