/** What a command printed and the exit code it returned. */
export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command's `run(args)` in this process and captures what it writes to stdout and
 * stderr. A child process costs 1-4 s of CPU for Node, the TypeScript loader and the modules;
 * each command keeps one test through its real process for the exit code and the output.
 * Test files run one test at a time in their worker, so nothing else writes meanwhile.
 */
export async function runCommand(run: () => Promise<number>): Promise<CommandResult> {
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((s) => s.write);
  const captured = ["", ""];
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array) => {
      captured[i] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    }) as typeof stream.write;
  });
  try {
    const status = await run();
    return { status, stdout: captured[0]!, stderr: captured[1]! };
  } finally {
    streams.forEach((stream, i) => (stream.write = originals[i]!));
  }
}
