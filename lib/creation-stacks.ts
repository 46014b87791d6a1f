/**
 * Runs `work` without recording the creation stacks of cdktf's tokens.
 *
 * cdktf records where every token (a reference, a lazy value) was created: it captures a stack
 * trace of unlimited depth into a plain object with `Error.captureStackTrace` and formats it at
 * once, for error messages that name the line a token came from. For a large organization that
 * was about a seventh of the synthesis CPU time, and the synth command reports errors without
 * stack traces anyway. Meanwhile `Error.captureStackTrace` skips plain objects (the token gets an
 * empty creation stack) and still captures into errors, so an error thrown while synthesizing
 * keeps its stack. The original function is put back afterwards, so code running later (a test
 * runner, a debugger) is not affected.
 */
export function withoutCreationStacks<T>(work: () => T): T {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, below?: Parameters<typeof capture>[1]) => {
    if (target instanceof Error) capture(target, below);
  };
  try {
    return work();
  } finally {
    Error.captureStackTrace = capture;
  }
}
