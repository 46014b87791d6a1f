import { defineConfig } from "vitest/config";

/** `npm run test:e2e`: tests that need a browser (Debian's chromium); kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
