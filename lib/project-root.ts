import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The repository root: the nearest folder above a module that holds package.json. Modules find
 * files (config, sources) from it rather than from their own location, so they work both from
 * their source file and from the one-file build `npm run synth` runs (.gen/main.cjs).
 */
export function projectRoot(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
  return dir;
}

/**
 * Whether the module at `moduleUrl` is the script Node was started with. A command runs its
 * `run(args)` only then, so tests can import it and call `run` in their own process.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const started = process.argv[1];
  if (!started) return false;
  if (moduleUrl === pathToFileURL(path.resolve(started)).href) return true;
  // Started through a symbolic link: the module's URL is the file's real path.
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
