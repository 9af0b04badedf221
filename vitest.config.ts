import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
    // Hook calls in tests are judged in their own process unless a test says otherwise, so no judgment
    // server outlives the test that started it (test/server.test.ts and the e2e tests cover the server).
    env: { GUARD_SERVER: "off" },
  },
});
