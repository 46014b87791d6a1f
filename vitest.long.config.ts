import { defineConfig } from "vitest/config";

/**
 * `npm run test:long`: end-to-end runs that cost tens of seconds of CPU each (the README's
 * onboarding steps on a copy of the repository: install, type-check, lint, validate, synth);
 * kept out of `npm test` so it stays within a minute, and run by .ci/run after it.
 */
export default defineConfig({
  test: {
    include: ["test/long/**/*.test.ts"],
    // No wall-time bound (see vitest.config.ts); 0 disables vitest's timeouts.
    testTimeout: 0,
    hookTimeout: 0,
  },
});
