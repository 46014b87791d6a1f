import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Browser tests run with `npm run test:e2e` (vitest.e2e.config.ts).
    exclude: ["test/e2e/**", "node_modules/**"],
    // Synthesis tests build whole apps; the default 5 s is too tight on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
