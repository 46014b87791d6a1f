import { fork, type ChildProcess } from "node:child_process";

/*
 * The helper process of a two-process synthesis: the synth command's own entry (main.ts, or the
 * one-file build .gen/main.cjs) started with --synth-part. Kept apart from synth.ts, which loads
 * cdktf, so that the command can start the helper before it loads anything but the config.
 */

/** Service files from which the synth command starts its helper process before it loads the config. */
export const PRESTART_SERVICES = 60;

let spareHelper: ChildProcess | undefined;

function forkHelper(entry: string): ChildProcess {
  return fork(entry, ["--synth-part"], { execArgv: helperExecArgv(entry, process.execArgv), stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

/**
 * Starts the helper process now, so that it loads cdktf and the providers (about a second)
 * while this process loads and validates the config, instead of after. For a config with many
 * service files, which is almost always split; unused, it is stopped (`dropSpareHelper`).
 */
export function prestartHelper(entry: string): void {
  spareHelper ??= forkHelper(entry);
}

/** The started helper process if it is still running, else a new one. */
export function takeHelper(entry: string): ChildProcess {
  const spare = spareHelper;
  spareHelper = undefined;
  return spare && spare.exitCode === null && spare.signalCode === null ? spare : forkHelper(entry);
}

/** Stops a started helper process nobody took. */
export function dropSpareHelper(): void {
  spareHelper?.kill();
  spareHelper = undefined;
}

/**
 * Node options of the helper process, which runs the synth command's entry. A TypeScript source
 * needs the TypeScript loader (under a test runner the current process may have its own
 * instead). The one-file build (`npm run synth`) does not: the helper gets its model over IPC
 * and loads no config file, and without `--import tsx` its every require() skips tsx's hooks
 * and loader thread.
 */
export function helperExecArgv(entry: string, parent: readonly string[]): string[] {
  if (entry.endsWith(".cjs")) {
    const kept: string[] = [];
    for (let i = 0; i < parent.length; i++) {
      if (parent[i] === "--import" && parent[i + 1]?.includes("tsx")) i++;
      else if (!(parent[i]!.startsWith("--import=") && parent[i]!.includes("tsx"))) kept.push(parent[i]!);
    }
    return kept;
  }
  return entry.endsWith(".ts") && !parent.join(" ").includes("tsx") ? [...parent, "--import", "tsx"] : [...parent];
}
