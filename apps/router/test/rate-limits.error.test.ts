import { generateApiKey, newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptTokenRateEstimate } from '../src/billing/prompt-token-rate-estimate';
import { SEEDED_MODEL, type Stack, startExtraRouter, startStack, waitFor } from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const messages = [{ role: 'user' as const, content: 'hello there' }];

/** A key with RPM/TPM limits (and optionally a team), known to the router at `routerUrl` when this returns. */
async function limitedKey(
  limits: { rpm?: number; tpm?: number; teamId?: string },
  routerUrls: string[] = [stack.routerUrl],
): Promise<{ plaintext: string; id: string }> {
  const key = generateApiKey();
  const id = newId('key');
  await stack.prisma.apiKey.create({
    data: {
      id,
      name: `limited ${id}`,
      digest: key.digest,
      prefix: key.prefix,
      rpmLimit: limits.rpm ?? null,
      tpmLimit: limits.tpm ?? null,
      teamId: limits.teamId ?? null,
    },
  });
  for (const url of routerUrls) {
    await waitFor('the router to know the limited key', async () => {
      const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key.plaintext}` } });
      return res.status === 200;
    });
  }
  return { plaintext: key.plaintext, id };
}

type Outcome =
  | { ok: true; headers: Headers; totalTokens: number }
  | { ok: false; status: number; code: unknown; headers: Headers };

/** One chat call through the official SDK, its outcome captured rather than thrown. */
async function call(client: OpenAI, extra: { max_tokens?: number } = {}): Promise<Outcome> {
  try {
    const { data, response } = await client.chat.completions
      .create({ model: SEEDED_MODEL, messages, ...extra })
      .withResponse();
    return { ok: true, headers: response.headers, totalTokens: data.usage?.total_tokens ?? -1 };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return {
      ok: false,
      status: error.status ?? 0,
      code: error.code,
      headers: error.headers ?? new Headers(),
    };
  }
}

async function sequential(client: OpenAI, n: number, extra: { max_tokens?: number } = {}) {
  const out: Outcome[] = [];
  for (let i = 0; i < n; i++) out.push(await call(client, extra));
  return out;
}

function refused(outcomes: Outcome[]) {
  return outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
}

describe('RPM and TPM limits (one router, in memory)', () => {
  it('a key with both rpm and tpm: a served answer carries both steps’ headers with their values', async () => {
    const reserved = promptTokenRateEstimate({ messages }) + 20;
    const key = await limitedKey({ rpm: 50, tpm: 100_000 });
    const outcome = await call(stack.client(key.plaintext), { max_tokens: 20 });
    if (!outcome.ok) throw new Error(`refused: ${outcome.status}`);
    const h = outcome.headers;
    expect(h.get('x-ratelimit-limit-requests')).toBe('50');
    expect(h.get('x-ratelimit-remaining-requests')).toBe('49');
    expect(h.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?(ms|s)$/);
    expect(h.get('x-ratelimit-limit-tokens')).toBe('100000');
    expect(h.get('x-ratelimit-remaining-tokens')).toBe(String(100_000 - reserved));
    expect(h.get('x-ratelimit-reset-tokens')).toMatch(/^\d+(\.\d+)?(ms|s)$/);
    expect(h.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(h.get('x-switchyard-attempts')).toBe('1');
  });

  it('a key with rpm 10: exactly 10 of 15 succeed, the rest are 429 rate_limited with Retry-After', async () => {
    const key = await limitedKey({ rpm: 10 });
    const outcomes = await sequential(stack.client(key.plaintext), 15);
    expect(outcomes.map((o) => o.ok)).toEqual([...Array(10).fill(true), ...Array(5).fill(false)]);

    // Successful answers carry OpenAI's headers, counting down.
    const remaining = outcomes
      .filter((o) => o.ok)
      .map((o) => o.headers.get('x-ratelimit-remaining-requests'));
    expect(remaining).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
    expect(outcomes[0]?.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(outcomes[0]?.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?(ms|s)$/);
    expect(outcomes[0]?.headers.get('x-ratelimit-limit-tokens')).toBeNull();

    for (const r of refused(outcomes)) {
      expect(r.status).toBe(429);
      expect(r.code).toBe('rate_limited');
      // One request refills every 6 s at 10 per minute.
      const retryAfter = Number(r.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(6);
      expect(Number(r.headers.get('retry-after-ms'))).toBeGreaterThan(0);
      expect(r.headers.get('x-ratelimit-limit-requests')).toBe('10');
      expect(r.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(r.headers.get('x-request-id')).toMatch(/^req_/);
    }
    // Refused requests are recorded as rejected usage and never reach the upstream.
    await waitFor('the refused rows', async () => {
      const rows = await stack.prisma.usageEvent.count({
        where: { keyId: key.id, status: 'rejected', errorClass: 'rate_limited', httpStatus: 429 },
      });
      return rows === 5;
    });
    expect(await stack.prisma.usageEvent.count({ where: { keyId: key.id, status: 'success' } })).toBe(10);
  });

  it("a team's rpm is shared by its keys", async () => {
    const teamId = newId('team');
    await stack.prisma.team.create({ data: { id: teamId, name: `team ${teamId}`, rpmLimit: 6 } });
    const a = await limitedKey({ teamId });
    const b = await limitedKey({ teamId, rpm: 100 });
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(await call(stack.client(a.plaintext)));
      outcomes.push(await call(stack.client(b.plaintext)));
    }
    expect(outcomes.filter((o) => o.ok)).toHaveLength(6);
    for (const r of refused(outcomes)) {
      expect(r.status).toBe(429);
      expect(r.code).toBe('rate_limited');
      expect(r.headers.get('x-ratelimit-limit-requests')).toBe('6');
    }
    // Key b's own limit (100) is not what refused it: the team's (6) is the tightest.
    const lastOfB = outcomes[outcomes.length - 1];
    expect(lastOfB?.ok).toBe(false);
  });

  it('a key with a TPM limit: reservations hold the limit and are corrected to the real usage', async () => {
    // The mock's usage is deterministic: probe it on an unlimited key.
    const probe = await call(stack.client(), { max_tokens: 20 });
    if (!probe.ok) throw new Error('probe failed');
    const actual = probe.totalTokens;
    const reserved = promptTokenRateEstimate({ messages }) + 20;
    expect(actual).toBeGreaterThan(0);
    expect(reserved).toBeGreaterThan(actual);

    // Sequential requests: each reserves `reserved`, then gives back `reserved - actual`. The k-th request is
    // admitted while tpm − (k−1)·actual ≥ reserved. Choose the limit half a request clear of that edge, so the
    // refill during the test (tpm/60 per second) cannot move the count.
    const admitted = 5;
    const tpm = reserved + (admitted - 1) * actual + Math.floor(actual / 2);
    const key = await limitedKey({ tpm });
    const outcomes = await sequential(stack.client(key.plaintext), admitted + 3, { max_tokens: 20 });
    expect(outcomes.map((o) => o.ok)).toEqual([...Array(admitted).fill(true), false, false, false]);
    const first = outcomes[0];
    expect(first?.headers.get('x-ratelimit-limit-tokens')).toBe(String(tpm));
    expect(first?.headers.get('x-ratelimit-remaining-tokens')).toBe(String(tpm - reserved));
    for (const r of refused(outcomes)) {
      expect(r.status).toBe(429);
      expect(r.code).toBe('rate_limited');
      expect(r.headers.get('x-ratelimit-limit-tokens')).toBe(String(tpm));
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // What actually went through stays within the limit.
    const used = outcomes.reduce((sum, o) => sum + (o.ok ? o.totalTokens : 0), 0);
    expect(used).toBe(admitted * actual);
    expect(used).toBeLessThanOrEqual(tpm);

    // A request that could never fit is refused at once, as too large.
    const big = await limitedKey({ tpm: 50 });
    const tooLarge = await call(stack.client(big.plaintext), { max_tokens: 500 });
    expect(tooLarge).toMatchObject({ ok: false, status: 429, code: 'rate_limited' });
  });
});

describe('Redis failure policy (Redis unreachable)', () => {
  const unreachable = 'redis://127.0.0.1:1';

  it('open: limited keys are still served, enforced in memory', async () => {
    await stack.restartRouter({ REDIS_URL: unreachable, LIMITS_REDIS_FAILURE_POLICY: 'open' });
    const key = await limitedKey({ rpm: 3 });
    const outcomes = await sequential(stack.client(key.plaintext), 4);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, false]);
    expect(refused(outcomes)[0]).toMatchObject({ status: 429, code: 'rate_limited' });
    // Logged once, not per request.
    const lines = stack.router.output().match(/rate limits: redis unavailable/g) ?? [];
    expect(lines).toHaveLength(1);
  });

  it('closed: limited keys get 503, unlimited keys are unaffected', async () => {
    await stack.restartRouter({ REDIS_URL: unreachable, LIMITS_REDIS_FAILURE_POLICY: 'closed' });
    const key = await limitedKey({ rpm: 3 });
    const before = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as { requests: number };
    const outcome = await call(stack.client(key.plaintext));
    expect(outcome).toMatchObject({ ok: false, status: 503 });
    const after = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as { requests: number };
    expect(after.requests).toBe(before.requests);
    expect((await call(stack.client())).ok).toBe(true);
    await stack.restartRouter({});
  });
});

describe.skipIf(!process.env.REDIS_URL)('shared limits across router instances (needs REDIS_URL)', () => {
  let second: { url: string; stop: () => Promise<void> };
  let secondUrl: string;

  beforeAll(async () => {
    const redisUrl = process.env.REDIS_URL as string;
    await stack.restartRouter({ REDIS_URL: redisUrl });
    second = await startExtraRouter(stack, { REDIS_URL: redisUrl });
    secondUrl = second.url;
  });
  afterAll(async () => {
    await second?.stop();
    await stack.restartRouter({});
  });

  it('rpm 10 holds in total across two routers sharing Redis', async () => {
    const key = await limitedKey({ rpm: 10 }, [stack.routerUrl, secondUrl]);
    const clients = [
      stack.client(key.plaintext),
      new OpenAI({ apiKey: key.plaintext, baseURL: `${secondUrl}/v1`, maxRetries: 0 }),
    ];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 16; i++) outcomes.push(await call(clients[i % 2] as OpenAI));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    // Both instances served and both refused: the count is shared, not per instance.
    const servedBy = [0, 1].map((side) => outcomes.filter((o, i) => i % 2 === side && o.ok).length);
    expect(servedBy).toEqual([5, 5]);
    const lastRefusal = refused(outcomes).at(-1);
    expect(lastRefusal).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(lastRefusal?.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('concurrent requests on both routers never exceed the limit', async () => {
    const key = await limitedKey({ rpm: 7 }, [stack.routerUrl, secondUrl]);
    const clients = [
      stack.client(key.plaintext),
      new OpenAI({ apiKey: key.plaintext, baseURL: `${secondUrl}/v1`, maxRetries: 0 }),
    ];
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => call(clients[i % 2] as OpenAI)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(7);
  });
});
