/** Same key as the repository's vitest.global-setup.ts provides. */
export const TEST_POSTGRES_KEY = 'pgServerUrl';
export const TEST_POSTGRES_ENV = 'SWITCHYARD_TEST_POSTGRES_URL';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL; each test file creates its own database on it. */
    pgServerUrl: string;
  }
}

/** The server started by the global setup (see global-setup.ts); call from inside a vitest test file. */
export async function getTestPostgresServerUrl(): Promise<string> {
  const fromEnv = process.env[TEST_POSTGRES_ENV];
  if (fromEnv) return fromEnv;
  // Loaded lazily so importing @switchyard/db/testing never pulls vitest into non-test code.
  const { inject } = await import('vitest');
  const provided = inject(TEST_POSTGRES_KEY);
  if (!provided) {
    throw new Error(
      "no test Postgres server: add 'packages/db/src/testing/global-setup.ts' to vitest's globalSetup, or call startTestPostgres() yourself",
    );
  }
  return provided;
}
