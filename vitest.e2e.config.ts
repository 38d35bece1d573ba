// Browser tests of the LIFF mini-app (npm run test:e2e): Chromium from Debian driven by playwright-core.
// Results go where .ci/run reads them: test-artifacts/e2e-results.json; screenshots to test-artifacts/screenshots/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    env: { TZ: 'UTC' },
    reporters: ['default', ['json', { outputFile: 'test-artifacts/e2e-results.json' }]],
  },
});
