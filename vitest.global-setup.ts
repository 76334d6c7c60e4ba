import { startTestPostgres } from '@switchyard/db/testing';
import { buildRuntime } from '@switchyard/testkit';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL; each test file creates its own database on it. */
    pgServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The test kit starts the compiled router and mock provider, as compose and `npm start` do: compile them once.
  buildRuntime();
  const server = await startTestPostgres();
  project.provide('pgServerUrl', server.serverUrl);
  return () => server.stop();
}
