// `npm test`: the type-check and the lint run beside the unit tests instead of before them.
// Each of the two is one single-threaded process (about 10 s and 2.5 s with their caches):
// run first, they kept one of two cores idle for as long. Their output is held and printed
// after the unit tests'; the exit code is the first failure's, else 0.
// Plain JavaScript so it runs without a TypeScript loader.
import { spawn } from "node:child_process";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs `npm run -s <script>`; resolves to its exit code and, when held, what it printed. */
function npmRun(script, hold) {
  return new Promise((resolve) => {
    const child = spawn(npm, ["run", "--silent", script], { stdio: hold ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    if (hold) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    child.on("error", (error) => resolve({ script, code: 1, output: `${output}${error.message}\n` }));
    child.on("close", (code, signal) => resolve({ script, code: code ?? (signal ? 1 : 0), output }));
  });
}

const checks = [npmRun("typecheck", true), npmRun("lint", true)];
const unit = await npmRun("test:unit", false);
const results = [...(await Promise.all(checks)), unit];
for (const { script, code, output } of results.slice(0, 2)) {
  if (output.trim() !== "" || code !== 0) process.stdout.write(`\n${script} (exit ${code}):\n${output}`);
}
const failed = results.filter((r) => r.code !== 0);
process.stdout.write(failed.length === 0 ? "\ntypecheck, lint and unit tests passed.\n" : `\nfailed: ${failed.map((r) => r.script).join(", ")}\n`);
process.exitCode = failed[0]?.code ?? 0;
