import { type Stack, startStack as start } from '@switchyard/testkit';
import { inject } from 'vitest';

export {
  SEEDED_MODEL,
  SEEDED_PRICE,
  type Stack,
  startTcpProxy,
  type TcpProxy,
  UPSTREAM_MODEL,
  waitFor,
} from '@switchyard/testkit';

/** A real stack on this test run's PostgreSQL server. */
export function startStack(routerEnv: Record<string, string> = {}): Promise<Stack> {
  return start(inject('pgServerUrl'), routerEnv);
}

/** What the mock counted so far (see packages/mock-provider README, stats). */
export interface MockStats {
  requests: number;
  aborted: number;
  byModel: Record<string, number>;
  byKey: Record<string, number>;
}

/** Replaces the mock's instance faults (byModel, byKey, …); `{}` heals it. */
export async function setMockFaults(stack: Stack, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.mockOrigin}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (res.status !== 200)
    throw new Error(`mock refused faults ${JSON.stringify(faults)}: ${await res.text()}`);
}

export async function mockStats(stack: Stack): Promise<MockStats> {
  return (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as MockStats;
}
