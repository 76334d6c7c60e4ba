import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { createRedisConnection, type RedisConnection } from '../src/redis/redis-client';
import { type OwnRedis, startOwnRedis } from './own-redis';
import { waitFor } from './stack';

/*
 * The Redis command timeout on a busy router: the bench saw `rejected` usage rows (503 usage_unavailable, under
 * LIMITS_REDIS_FAILURE_POLICY=closed) that Redis had answered in time — the router's own event loop was too busy
 * to read the reply before the timeout's timer ran. Real redis-server of the test's own (so it can be paused).
 */

const TIMEOUT_MS = 100;

let server: OwnRedis;
let connection: RedisConnection;

/** Keeps this thread busy, as a loaded router's event loop is between two reads of its sockets. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

beforeAll(async () => {
  server = await startOwnRedis();
  connection = createRedisConnection(server.url, {
    logger: createLogger('error'),
    commandTimeoutMs: TIMEOUT_MS,
  });
  await waitFor('the connection', async () => connection.isUp());
});
afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

describe('Redis command timeout', () => {
  it('takes a reply that came in time although the process was too busy to read it before the timeout', async () => {
    const reply = connection.answer(connection.client.ping());
    // The command goes out (auto-pipelined: on the next turn of the event loop), Redis answers at once, and this
    // process stays busy for three timeouts before it reads the answer.
    await new Promise((resolve) => setImmediate(resolve));
    busy(3 * TIMEOUT_MS);
    await expect(reply).resolves.toBe('PONG');
  });

  it('takes a reply though the process was stalled before the command even went out', async () => {
    const reply = connection.answer(connection.client.ping());
    busy(3 * TIMEOUT_MS);
    await expect(reply).resolves.toBe('PONG');
  });

  it('still times out when Redis itself does not answer', async () => {
    const admin = new Redis(server.url);
    try {
      await admin.client('PAUSE', 10 * TIMEOUT_MS, 'ALL');
      const started = performance.now();
      await expect(connection.answer(connection.client.ping())).rejects.toThrow(
        `redis did not answer within ${TIMEOUT_MS} ms`,
      );
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect(waited).toBeLessThan(10 * TIMEOUT_MS);
    } finally {
      await admin.client('UNPAUSE');
      admin.disconnect();
    }
  });
});
