import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: forks keep native modules (better-sqlite3, wasm) isolated per file.
    pool: 'forks',
    maxWorkers: 2,
  },
});
