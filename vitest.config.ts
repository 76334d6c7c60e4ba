import { defineConfig } from 'vitest/config';

// One run for every package: unit tests beside the code, integration tests that start real processes.
// The global setup provides a PostgreSQL server (TEST_DATABASE_URL, or an embedded one) to every file.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/src/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/.next/**', 'e2e/**'],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    // As the router's start script runs it: the usage writer thread, started in-process by some tests, collects its
    // heap with the `gc` this flag exposes (apps/router/src/usage/usage-writer-worker.ts).
    execArgv: ['--expose-gc'],
  },
});
