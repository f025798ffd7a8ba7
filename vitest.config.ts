import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/sync/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on the 2-core CI machine, one file at a
    // time (15 minutes). Most files wait on servers, PostgreSQL, child processes and disks rather
    // than compute, and each brings its own temp directory, ports and database, so two at a time
    // take about 9. VITEST_MAX_WORKERS overrides it (1 to run them one by one).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
