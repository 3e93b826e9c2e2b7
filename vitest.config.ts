import { defineConfig } from "vitest/config";

// Kept apart from vite.config.ts: the Remix plugin is for the app build, not for tests.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    // Generous: in CI a test shares the two cores with a property-test shard, the servers it starts
    // and Chromium, and several whole-system tests take 20-40 s on a quiet machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Two workers even on a 2-core machine (Vitest's default leaves one core idle): the property
    // test's two shards are the long pole of the run.
    poolOptions: { forks: { minForks: 2, maxForks: 2 } },
  },
});
