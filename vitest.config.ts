import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/test/**/*.test.ts',
      'desktop/test/**/*.test.ts',
      'sync-server/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['shared/src/**', 'desktop/src/core/**', 'desktop/src/cli/**', 'sync-server/src/**'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
