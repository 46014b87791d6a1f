// Runs the synth and validate command several times in one process: the one-file build
// `npm run synth` and `npm run validate` run (.gen/synth.cjs, with its own TypeScript loader
// for the config files), once per job, each with its own working directory, its output
// captured. Each process of that command costs 1-3 s of CPU to start (Node, the build, the
// loader, the TypeScript compiler that locates problems); the config-error tests share one.
// Required rather than started, the build runs nothing itself and exports `run`.
// Usage: node test/main-batch.mjs <build> <jobs.json>, where jobs.json holds
// [{ "cwd": "...", "args": ["--validate-only", ...] }, ...]; prints one JSON array of
// { status, stdout, stderr }, one per job, in order.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [build, jobsFile] = process.argv.slice(2);
const { run } = createRequire(import.meta.url)(build);
const jobs = JSON.parse(readFileSync(jobsFile, "utf8"));
const streams = [process.stdout, process.stderr];
const originals = streams.map((stream) => stream.write);
const results = [];
for (const job of jobs) {
  const captured = ["", ""];
  streams.forEach((stream, i) => {
    stream.write = (chunk) => {
      captured[i] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    };
  });
  process.chdir(job.cwd);
  let status;
  try {
    status = await run(job.args);
  } catch (error) {
    // run() reports every error itself; one that escapes is a defect the test must show.
    captured[1] += `run() threw: ${error instanceof Error ? error.stack : String(error)}\n`;
    status = -1;
  } finally {
    streams.forEach((stream, i) => (stream.write = originals[i]));
  }
  results.push({ status, stdout: captured[0], stderr: captured[1] });
}
process.stdout.write(JSON.stringify(results));
