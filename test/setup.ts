/*
 * Runs before every test file. cdktf captures a stack trace for every token it creates (into a
 * plain object, never an Error). Under vitest each of those traces was mapped through source
 * maps, which cost about 40% of a synthesis; the synth command turns source maps off for the
 * same reason. Traces of real errors keep their mapping, so a failing test still points at its
 * line.
 */
const MARK = Symbol.for("super-terraform.plain-token-traces");
const current = Error.prepareStackTrace as ((error: unknown, frames: NodeJS.CallSite[]) => unknown) & { [MARK]?: true } | undefined;
if (current && !current[MARK]) {
  const plain = (error: unknown, frames: NodeJS.CallSite[]) =>
    error instanceof Error ? current(error, frames) : ["Error", ...frames.map((f) => `    at ${f.toString()}`)].join("\n");
  Object.assign(plain, { [MARK]: true });
  Error.prepareStackTrace = plain;
}
