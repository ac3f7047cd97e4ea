import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Node tests; browser tests (*.browser.test.ts) run in Chromium through web-test-runner.
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts', 'node_modules/**'],
    environment: 'node',
    // Pinned to a zone with daylight saving, far from Africa/Porto-Novo, so that a
    // time-zone bug cannot hide (STYLE.md "Tests"); see test/setup-tz.ts.
    env: { TZ: 'America/New_York' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
