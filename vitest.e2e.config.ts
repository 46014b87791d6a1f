import { defineConfig } from "vitest/config";

/** `npm run test:e2e`: tests that need a browser (Debian's chromium); kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    // No wall-time bound (see vitest.config.ts); 0 disables vitest's timeouts.
    testTimeout: 0,
    hookTimeout: 0,
  },
});
