import { defineConfig } from "vitest/config";

/**
 * `npm run test:long`: end-to-end runs on a copy of the repository that cost tens of seconds of
 * CPU each (the README's onboarding steps: install, type-check, lint, validate, synth; and
 * `npm run diff` against a base commit in a git repository of its own); kept out of `npm test`,
 * and run by .ci/run after it.
 */
export default defineConfig({
  test: {
    include: ["test/long/**/*.test.ts"],
    // No wall-time bound (see vitest.config.ts); 0 disables vitest's timeouts.
    testTimeout: 0,
    hookTimeout: 0,
  },
});
