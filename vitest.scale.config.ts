import { defineConfig } from "vitest/config";

/**
 * `npm run test:scale`: tests on a generated organization of ten times DMM's size (two full
 * synths of ~35,000 resources, ~20 s); kept out of `npm test` so it stays under a minute, and
 * run by .ci/run after it.
 */
export default defineConfig({
  test: {
    include: ["test/scale/**/*.test.ts"],
    // No wall-time bound (see vitest.config.ts); 0 disables vitest's timeouts.
    testTimeout: 0,
    hookTimeout: 0,
  },
});
