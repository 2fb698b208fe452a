import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
    // The exchange service's tests start from a migrated, empty embedded database made once (test/helpers/exchange-db.ts).
    globalSetup: ['test/helpers/exchange-template.global.ts'],
  },
});
