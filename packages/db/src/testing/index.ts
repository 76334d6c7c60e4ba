export { buildUsageEvent } from './build-usage-event';
export { createTestDatabase, type TestDatabase } from './create-test-database';
export { freePort } from './free-port';
export { setup as vitestGlobalSetup, teardown as vitestGlobalTeardown } from './global-setup';
export { queryOnce } from './query-once';
export { type StartTestPostgresOptions, startTestPostgres, type TestPostgres } from './start-test-postgres';
export { getTestPostgresServerUrl, TEST_POSTGRES_ENV, TEST_POSTGRES_KEY } from './test-postgres-url';
export { waitFor } from './wait-for';
