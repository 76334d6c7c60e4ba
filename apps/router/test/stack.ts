import { type Stack, startStack as start } from '@switchyard/testkit';
import { inject } from 'vitest';

export { SEEDED_MODEL, SEEDED_PRICE, type Stack, UPSTREAM_MODEL, waitFor } from '@switchyard/testkit';

/** A real stack on this test run's PostgreSQL server. */
export function startStack(routerEnv: Record<string, string> = {}): Promise<Stack> {
  return start(inject('pgServerUrl'), routerEnv);
}
