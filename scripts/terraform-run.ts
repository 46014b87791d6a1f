import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";

/*
 * Running Terraform in a stack's synthesized directory, for the plan and apply scripts: output
 * to a log file per stack, stdin closed (an unexpected prompt fails instead of hanging), and a
 * small pool so that independent stacks run side by side.
 */

/** The directory of a synthesized stack. */
export const stackDir = (out: string, stack: string) => path.join(out, "stacks", stack);

/** Runs `terraform init` and then `terraform <command...>` in a stack; resolves to the exit code of the first that fails, or 0. */
export async function initAnd(terraform: string, dir: string, command: readonly string[], logFile: string): Promise<number> {
  const log = createWriteStream(logFile);
  try {
    const init = await run(terraform, ["-chdir=" + dir, "init", "-input=false", "-no-color"], log);
    if (init !== 0) return init;
    return await run(terraform, ["-chdir=" + dir, ...command], log);
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

function run(bin: string, args: readonly string[], log: NodeJS.WritableStream): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" } });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", (e) => {
      log.write(`cannot run ${bin}: ${e.message}\n`);
      resolve(127);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/** Runs `work` over `items` with at most `limit` at a time; results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
