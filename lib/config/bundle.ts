import Module, { createRequire } from "node:module";
import path from "node:path";
import { runInThisContext } from "node:vm";
import { importModule } from "../import-module";

/** The config files to load: names relative to the config directory. */
export interface ConfigFiles {
  readonly platform: string;
  readonly developers: string;
  readonly index: string;
  readonly retired?: string;
  /** Service file stem -> file. */
  readonly services: ReadonlyArray<readonly [string, string]>;
}

/** The default exports of the config files, as `loadConfig` returns them. */
export interface BundledConfig {
  readonly platform: unknown;
  readonly developers: unknown;
  readonly index: unknown;
  readonly retired: unknown;
  readonly serviceFiles: Record<string, unknown>;
}

/** esbuild's synchronous build, as far as it is used here. */
interface Esbuild {
  buildSync(options: object): { errors: unknown[]; warnings: unknown[]; outputFiles?: Array<{ text: string }> };
}

/**
 * Loads every config file at once: esbuild compiles the directory's files into one module,
 * which runs once. `undefined` if anything is not as expected (esbuild is missing, a file does
 * not compile, one throws or has no default export, or esbuild warns, as it does for
 * `import.meta` and a `require()` of a computed path, whose meaning depends on the file's own
 * place): the caller then loads file by file, which says precisely what is wrong and where,
 * and gives every file its own `import.meta`, `__dirname` and `require()`.
 *
 * Why: loading file by file costs a resolution, a read, a cache lookup and a compilation per
 * file: at 10x (400 service files) 0.6-0.9 s of CPU, all of it before synthesis can start. One
 * esbuild call and one compilation take a third of that. Each file still runs once and in the
 * same order of imports, so the values are the same objects as when loaded file by file.
 */
export async function loadBundled(dir: string, files: ConfigFiles): Promise<BundledConfig | undefined> {
  let esbuild: Esbuild;
  try {
    esbuild = (await importModule("esbuild")) as Esbuild;
  } catch {
    return undefined;
  }
  const entries = [["platform", files.platform], ["developers", files.developers], ["index", files.index], ...(files.retired ? [["retired", files.retired]] : [])] as const;
  const lines = [
    ...entries.map(([name, file]) => `import * as ${name} from ${JSON.stringify(`./${file}`)};`),
    ...files.services.map(([, file], i) => `import * as service${i} from ${JSON.stringify(`./${file}`)};`),
    `export const files = { ${entries.map(([name]) => name).join(", ")} };`,
    `export const services = [${files.services.map((_, i) => `service${i}`).join(", ")}];`,
  ];
  let code: string;
  try {
    const built = esbuild.buildSync({
      stdin: { contents: lines.join("\n"), resolveDir: dir, sourcefile: "config-entry.js", loader: "js" },
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      packages: "external",
      write: false,
      logLevel: "silent",
      // In one bundle these would name the bundle, not the file: a file that reads them fails
      // here (a ReferenceError) and is loaded on its own.
      define: { __dirname: "__configBundleHasNoDirname", __filename: "__configBundleHasNoFilename" },
    });
    if (built.errors.length > 0 || built.warnings.length > 0 || !built.outputFiles?.[0]) return undefined;
    code = built.outputFiles[0].text;
  } catch {
    return undefined;
  }
  // Packages a config file imports are required from the config directory, as when loaded file by file.
  const filename = path.join(dir, "config-bundle.cjs");
  let loaded: { files: Record<string, { default?: unknown }>; services: Array<{ default?: unknown }> };
  try {
    const mod = { exports: {} as typeof loaded };
    (runInThisContext(Module.wrap(code), { filename }) as (...args: unknown[]) => void)(mod.exports, createRequire(filename), mod, filename, dir);
    loaded = mod.exports;
  } catch {
    return undefined;
  }
  const values = [...Object.values(loaded.files), ...loaded.services].map((m) => m.default);
  if (values.some((v) => v === undefined)) return undefined;
  return {
    platform: loaded.files.platform!.default,
    developers: loaded.files.developers!.default,
    index: loaded.files.index!.default,
    retired: loaded.files.retired?.default,
    serviceFiles: Object.fromEntries(files.services.map(([stem], i) => [stem, loaded.services[i]!.default])),
  };
}
