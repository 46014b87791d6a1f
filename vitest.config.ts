import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Browser tests run with `npm run test:e2e`, the 10x scale tests with `npm run test:scale`,
    // end-to-end runs on a copy of the repository with `npm run test:long`.
    exclude: ["test/e2e/**", "test/scale/**", "test/long/**", "node_modules/**"],
    // No test is bounded by wall time: a loaded machine must make the suite slower, never red.
    // Work is sized by case count (fuzz runs, organization sizes); time budgets live in
    // `npm run bench`. 0 disables vitest's timeouts.
    testTimeout: 0,
    hookTimeout: 0,
    // Test files share their worker's module cache: every file imports cdktf and ~150 provider
    // modules, which took half of the suite's time when each file loaded them afresh. Tests
    // build their own apps and models, so no state is shared through modules.
    isolate: false,
    // One worker per core: the default leaves one core idle, and the two fuzz halves and the
    // synth-heavy files are meant to run side by side.
    maxWorkers: availableParallelism(),
    // Synthesis allocates many short-lived objects: with V8's default 16 MB young generation
    // a worker spent about a twentieth of its time collecting them and promoted many that die
    // soon after. 64 MB cut the CPU time of the synthesis-heavy files by about a seventh
    // (three alternating runs of ten files: 23.9-30.5 s against 26.4-34.9 s) for ~40 MB more
    // memory per worker.
    execArgv: ["--max-semi-space-size=64"],
    // Keeps the transformed test and source modules on disk (node_modules/.experimental-vitest-cache/)
    // between runs, keyed by each file's content: a later run transforms only what changed
    // (measured: 11 of 125 s of CPU, 60.6 instead of 67.2 s wall).
    experimental: { fsModuleCache: true },
  },
});
