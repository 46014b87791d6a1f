import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Problem } from "./problems";

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
}

const SERVICE_FILE = /^(.*)\.(ts|mts|js|mjs)$/;

/**
 * Loads a config directory (`config/` or a generated one) by importing its modules.
 * A file that fails to import becomes a problem, not a crash.
 */
export async function loadConfig(dir: string, label = "config"): Promise<RawConfig> {
  const problems: Problem[] = [];
  const load = async (file: string, shown: string): Promise<unknown> => {
    try {
      const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: unknown };
      if (mod.default === undefined) {
        problems.push({ file: shown, entry: "", field: "", value: undefined, message: "has no default export", fix: "end the file with `export default defineService({ ... })` (or the matching define helper)" });
      }
      return mod.default;
    } catch (error) {
      const first = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      problems.push({ file: shown, entry: "", field: "", value: undefined, message: `could not be loaded: ${first}`, fix: "correct the file so it is valid TypeScript; `npm run typecheck` points at the line" });
      return undefined;
    }
  };

  const platform = await load("platform.ts", `${label}/platform.ts`);
  const developers = await load("developers.ts", `${label}/developers.ts`);
  const index = await load("services.ts", `${label}/services.ts`);

  // Optional: an organization that never removed a service needs no such file.
  const retired = existsSync(path.join(dir, "retired.ts")) ? await load("retired.ts", `${label}/retired.ts`) : undefined;

  let names: string[] = [];
  try {
    names = readdirSync(path.join(dir, "services")).filter((f) => SERVICE_FILE.test(f)).sort();
  } catch {
    names = [];
  }
  const serviceFiles: Record<string, unknown> = {};
  for (const file of names) {
    const stem = SERVICE_FILE.exec(file)![1]!;
    serviceFiles[stem] = await load(`services/${file}`, `${label}/services/${file}`);
  }
  return { label, platform, developers, index, serviceFiles, retired, problems };
}
