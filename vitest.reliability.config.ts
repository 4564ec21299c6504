import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: crash-anywhere (every writing command), the convergence property, fault storms,
 * store safety, hostile input and security.
 * Slow and randomised (FERRY_RELIABILITY_RUNS seeds per scenario, from FERRY_RELIABILITY_SEED), so it is
 * kept out of `npm test`. One file at a time: the scenarios time their kills and must not starve each other.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Tests spawn bin/ferry.js, which runs dist/: build it from the current sources first.
    globalSetup: ['test/helpers/build-cli.ts'],
    fileParallelism: false,
  },
});
