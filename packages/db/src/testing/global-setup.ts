// A ready-made vitest globalSetup (`globalSetup: ['packages/db/src/testing/global-setup.ts']`). Starts one Postgres server for
// the whole run (TEST_DATABASE_URL's, or embedded) and hands its URL to the test workers; tests then call
// `createTestDatabase(await getTestPostgresServerUrl())` for a fresh, migrated database each.
import { startTestPostgres, type TestPostgres } from './start-test-postgres';
import { TEST_POSTGRES_ENV, TEST_POSTGRES_KEY } from './test-postgres-url';

interface ProvidingProject {
  provide(key: typeof TEST_POSTGRES_KEY, value: string): void;
}

let server: TestPostgres | undefined;

export async function setup(project: ProvidingProject): Promise<void> {
  server = await startTestPostgres();
  project.provide(TEST_POSTGRES_KEY, server.serverUrl);
  // Workers are started after global setup and inherit the environment; this also reaches code run outside tests.
  process.env[TEST_POSTGRES_ENV] = server.serverUrl;
}

export async function teardown(): Promise<void> {
  await server?.stop();
  server = undefined;
}
