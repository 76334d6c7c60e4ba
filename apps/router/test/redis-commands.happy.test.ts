import { generateApiKey, newId } from '@switchyard/db';
import { createUnreachableTeamAndBudgets, UNREACHABLE_LIMITS } from '@switchyard/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from './own-redis';
import { SEEDED_MODEL, type Stack, startStack, waitFor } from './stack';

/*
 * What Redis-backed limits and budgets cost a request in Redis traffic: a router on a Redis of its own (so no other
 * test's traffic is counted), a key with RPM and TPM limits and a team with both, and hard budgets on the key
 * (monthly), the team (daily) and the whole gateway (total) — the bench's shape. Counted by Redis itself
 * (INFO commandstats and stats) over sequential requests, each one settled before the next starts.
 */

const REQUESTS = 10;

let redisServer: OwnRedis;
let redis: Redis;
let stack: Stack;
let apiKey: string;

/** Top-level commands by name, and the read events Redis served (one per client write it received). */
interface RedisCounts {
  calls: Record<string, number>;
  reads: number;
}

async function counts(): Promise<RedisCounts> {
  const info = await redis.info('commandstats', 'stats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    calls[match[1] as string] = Number(match[2]);
  const reads = Number(info.match(/^total_reads_processed:(\d+)/m)?.[1] ?? Number.NaN);
  return { calls, reads };
}

/**
 * What the router sent between two readings: the test's own INFO calls (one read each, sent one at a time) are
 * counted out.
 */
function between(before: RedisCounts, after: RedisCounts): RedisCounts {
  const calls: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.calls)) {
    const delta = n - (before.calls[name] ?? 0);
    if (delta > 0 && name !== 'info') calls[name] = delta;
  }
  const infoCalls = (after.calls.info ?? 0) - (before.calls.info ?? 0);
  return { calls, reads: after.reads - before.reads - infoCalls };
}

async function chat(): Promise<Response> {
  const response = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: SEEDED_MODEL, messages: [{ role: 'user', content: 'hello there' }] }),
  });
  await response.arrayBuffer();
  return response;
}

/** Waits until Redis has seen no command from the router for a while: the last request's settlement is in. */
async function quiet(): Promise<RedisCounts> {
  let last = await counts();
  let stableSince = Date.now();
  await waitFor('the router to stop sending Redis commands', async () => {
    const now = await counts();
    const delta = between(last, now);
    if (Object.keys(delta.calls).length > 0) stableSince = Date.now();
    last = now;
    return Date.now() - stableSince >= 300;
  });
  return counts();
}

beforeAll(async () => {
  redisServer = await startOwnRedis();
  redis = new Redis(redisServer.url);
  // No periodic budget report during the count: only the requests' own commands.
  stack = await startStack({ REDIS_URL: redisServer.url, BUDGET_REPORT_MS: '3600000' });

  const key = generateApiKey();
  const keyId = newId('key');
  const { teamId } = await createUnreachableTeamAndBudgets(stack.prisma, keyId, 'counted');
  // The key last: the snapshot that knows it also has its team's limits and the budgets.
  await stack.prisma.apiKey.create({
    data: {
      id: keyId,
      name: 'counted',
      digest: key.digest,
      prefix: key.prefix,
      teamId,
      ...UNREACHABLE_LIMITS,
    },
  });
  apiKey = key.plaintext;
  await waitFor('the router to enforce the key and its budgets', async () => {
    const response = await chat();
    return response.status === 200 && response.headers.has('x-ratelimit-limit-requests');
  });
  // Every budget has its keys in Redis: the snapshot with the budgets is in use.
  await waitFor('the three budgets in redis', async () => (await redis.keys('sy:bud:*:spent')).length === 3);
});

afterAll(async () => {
  await stack?.stop();
  redis?.disconnect();
  await redisServer?.stop();
});

describe('Redis traffic of a request with RPM/TPM limits and three hard budgets', () => {
  it('sends its scripts by EVALSHA and settles its budget and TPM in one round trip', async () => {
    const before = await quiet();
    for (let i = 0; i < REQUESTS; i++) {
      expect((await chat()).status).toBe(200);
      // Each request settled before the next starts, so no two requests share a write.
      await quiet();
    }
    const after = await quiet();
    const { calls, reads } = between(before, after);
    // Scripts only (the rest are the scripts' own commands), and never one sent with its text.
    const scripts = { eval: calls.eval ?? 0, evalsha: calls.evalsha ?? 0 };
    expect(scripts).toEqual({ eval: 0, evalsha: 5 * REQUESTS });
    // RPM before the body is read; TPM; the budget reservation; then settlement and TPM correction together.
    expect(reads / REQUESTS).toBe(4);
  });
});
