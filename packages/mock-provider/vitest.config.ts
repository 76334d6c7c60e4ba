import { defineConfig } from 'vitest/config';

// Lets the mock provider's tests run on their own (`npx vitest run` in this folder): they need no database.
export default defineConfig({
  test: {
    name: 'mock-provider',
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
