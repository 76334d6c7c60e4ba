import { generateApiKey, newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mockStats,
  type Stack,
  setMockFaults,
  startExtraRouter,
  startStack,
  startWebhookReceiver,
  waitFor,
} from './stack';

let stack: Stack;

/*
 * Prices chosen so every request's worst case is exactly $0.05 and so is its actual cost: input is free,
 * output costs $0.01 a token, and max_tokens 5 both bounds the reservation and (the mock truncates its
 * reply to max_tokens words) fixes the billed output at 5 tokens.
 */
const OUTPUT_MICROS_PER_MILLION = 10_000_000_000n; // $0.01 per token
const MAX_TOKENS = 5;
const REQUEST_MICROS = 50_000n;
const messages = [{ role: 'user' as const, content: 'please spend some of my budget now' }];

async function route(publicModel: string, upstreamModel: string): Promise<void> {
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: upstreamModel,
      inputMicrosPerMillion: 0n,
      outputMicrosPerMillion: OUTPUT_MICROS_PER_MILLION,
      effectiveFrom: new Date(Date.now() - 3_600_000),
    },
  });
  await stack.prisma.route.create({
    data: {
      id: newId('rt'),
      publicModel,
      targets: { create: [{ id: newId('tgt'), accountId: stack.accountId, upstreamModel }] },
    },
  });
  await stack.awaitModels((models) => models.includes(publicModel));
}

/**
 * A key with one budget on it, known (with its budget) to every router in `routerUrls` when this returns:
 * the budget is written first, so the snapshot that first knows the key also has the budget.
 */
async function budgetedKey(
  budget: { name: string; mode: 'hard' | 'soft'; limitMicros: bigint; webhookUrl?: string },
  routerUrls: string[] = [stack.routerUrl],
): Promise<{ plaintext: string; id: string; budgetId: string }> {
  const key = generateApiKey();
  const id = newId('key');
  const budgetId = newId('bud');
  await stack.prisma.budget.create({
    data: {
      id: budgetId,
      name: budget.name,
      scope: 'key',
      scopeId: id,
      period: 'total',
      mode: budget.mode,
      limitMicros: budget.limitMicros,
      webhookUrl: budget.webhookUrl ?? null,
    },
  });
  await stack.prisma.apiKey.create({
    data: { id, name: `budgeted ${id}`, digest: key.digest, prefix: key.prefix },
  });
  for (const url of routerUrls) {
    await waitFor('the router to know the budgeted key', async () => {
      const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key.plaintext}` } });
      return res.status === 200;
    });
  }
  return { plaintext: key.plaintext, id, budgetId };
}

type Outcome =
  | { ok: true; requestId: string }
  | { ok: false; status: number; code: unknown; message: string };

async function call(client: OpenAI, model: string): Promise<Outcome> {
  try {
    const { response } = await client.chat.completions
      .create({ model, messages, max_tokens: MAX_TOKENS })
      .withResponse();
    return { ok: true, requestId: response.headers.get('x-request-id') ?? '' };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { ok: false, status: error.status ?? 0, code: error.code, message: error.message };
  }
}

/** Sum of recorded cost for a key once every usage row of its `expected` requests has landed. */
async function recordedSpend(keyId: string, expectedRows: number): Promise<bigint> {
  await waitFor(
    'usage rows',
    async () => (await stack.prisma.usageEvent.count({ where: { keyId } })) === expectedRows,
  );
  const sum = await stack.prisma.usageEvent.aggregate({ where: { keyId }, _sum: { costMicros: true } });
  return sum._sum.costMicros ?? 0n;
}

beforeAll(async () => {
  stack = await startStack({ BUDGET_REPORT_MS: '200' });
  await route('budget-model', 'mock-budget');
  await route('budget-fail', 'mock-budget-fail');
});
afterAll(async () => {
  await stack?.stop();
});

describe('hard budget: atomic reservation', () => {
  it('releases the reservations of failed requests, then admits exactly $1.00 of a 200-request race', async () => {
    const key = await budgetedKey({ name: 'one dollar', mode: 'hard', limitMicros: 1_000_000n });
    const client = stack.client(key.plaintext);

    // 100 requests that fail upstream, 10 at a time (10 × $0.05 fits, so every one is admitted).
    await setMockFaults(stack, { byModel: { 'mock-budget-fail': { status: 500 } } });
    const failures: Outcome[] = [];
    for (let batch = 0; batch < 10; batch++) {
      failures.push(...(await Promise.all(Array.from({ length: 10 }, () => call(client, 'budget-fail')))));
    }
    await setMockFaults(stack, {});
    expect(failures.filter((o) => o.ok)).toHaveLength(0);
    expect(failures.filter((o) => !o.ok && o.status === 429)).toHaveLength(0);
    expect(await recordedSpend(key.id, 100)).toBe(0n);

    // Had a failed request leaked its hold, fewer than 20 would fit now.
    const race = await Promise.all(Array.from({ length: 200 }, () => call(client, 'budget-model')));
    const admitted = race.filter((o) => o.ok);
    const refusedByBudget = race.filter((o) => !o.ok && o.status === 429 && o.code === 'budget_exceeded');
    expect(admitted).toHaveLength(20);
    expect(refusedByBudget).toHaveLength(180);
    expect(refusedByBudget[0]).toMatchObject({
      message: expect.stringContaining('Budget "one dollar" (total) would be exceeded: $0.00 left'),
    });
    const spend = await recordedSpend(key.id, 300);
    expect(spend).toBe(20n * REQUEST_MICROS);
    expect(spend).toBeLessThanOrEqual(1_000_000n);

    // The reporter shows the spend with nothing left reserved.
    await waitFor('the budget report', async () => {
      const row = await stack.prisma.budgetUsage.findFirst({ where: { budgetId: key.budgetId } });
      return row?.spentMicros === 1_000_000n && row.reservedMicros === 0n;
    });
  });

  it('refuses once the budget is spent, with the 429 naming the budget', async () => {
    const key = await budgetedKey({ name: 'ten cents', mode: 'hard', limitMicros: 100_000n });
    const client = stack.client(key.plaintext);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await call(client, 'budget-model'));
    expect(outcomes.map((o) => (o.ok ? 200 : o.status))).toEqual([200, 200, 429]);
    expect(await recordedSpend(key.id, 3)).toBe(100_000n);
  });
});

describe('soft budget: alerts', () => {
  let hook: { url: string; close: () => Promise<void> };
  let hookUrl: string;
  const received: { alertId: string; threshold: number; spentUsd: string; budget: { name: string } }[] = [];
  const failedOnce = new Set<string>();

  beforeAll(async () => {
    hook = await startWebhookReceiver((body) => {
      const alert = JSON.parse(body);
      received.push(alert);
      // A webhook that is down for its first delivery: the router must retry it.
      if (alert.budget.name === 'flaky hook' && !failedOnce.has(alert.alertId)) {
        failedOnce.add(alert.alertId);
        return 503;
      }
      return 204;
    });
    hookUrl = hook.url;
  });
  afterAll(async () => {
    await hook.close();
  });

  it('lets requests past the limit and records each threshold once, delivered to the webhook', async () => {
    const key = await budgetedKey({
      name: 'soft ten cents',
      mode: 'soft',
      limitMicros: 100_000n,
      webhookUrl: hookUrl,
    });
    const client = stack.client(key.plaintext);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await call(client, 'budget-model'));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(await recordedSpend(key.id, 4)).toBe(200_000n);

    await waitFor('three delivered alerts', async () => {
      const delivered = await stack.prisma.budgetAlert.count({
        where: { budgetId: key.budgetId, deliveredAt: { not: null } },
      });
      return delivered === 3;
    });
    const alerts = await stack.prisma.budgetAlert.findMany({
      where: { budgetId: key.budgetId },
      orderBy: { threshold: 'asc' },
    });
    expect(alerts.map((a) => [a.threshold, a.spendMicros, a.limitMicros])).toEqual([
      [50, 50_000n, 100_000n],
      [80, 100_000n, 100_000n],
      [100, 100_000n, 100_000n],
    ]);
    expect(alerts.every((a) => a.periodStart.getTime() === 0)).toBe(true);
    expect(
      received
        .filter((r) => r.budget.name === 'soft ten cents')
        .map((r) => [r.threshold, r.spentUsd, r.budget.name])
        .sort(),
    ).toEqual([
      [100, '0.10', 'soft ten cents'],
      [50, '0.05', 'soft ten cents'],
      [80, '0.10', 'soft ten cents'],
    ]);
  });

  it('retries a webhook that failed until it takes the alert', async () => {
    const key = await budgetedKey({
      name: 'flaky hook',
      mode: 'soft',
      limitMicros: 100_000n,
      webhookUrl: hookUrl,
    });
    // One $0.05 request: exactly the 50% threshold.
    expect((await call(stack.client(key.plaintext), 'budget-model')).ok).toBe(true);
    const alert = await waitFor(
      'the 50% alert to be delivered on a retry',
      async () =>
        stack.prisma.budgetAlert.findFirst({
          where: { budgetId: key.budgetId, deliveredAt: { not: null } },
        }),
      { timeoutMs: 10_000 },
    );
    expect(alert.threshold).toBe(50);
    // The first POST got 503, the retry 204: two deliveries of the same alert, and no other.
    const posts = received.filter((r) => r.budget.name === 'flaky hook');
    expect(posts.map((r) => [r.alertId, r.threshold])).toEqual([
      [alert.id, 50],
      [alert.id, 50],
    ]);
  });
});

describe.skipIf(!process.env.REDIS_URL)('hard budget shared by two routers (needs REDIS_URL)', () => {
  let second: { url: string; stop: () => Promise<void> };

  beforeAll(async () => {
    const redisUrl = process.env.REDIS_URL as string;
    await stack.restartRouter({ REDIS_URL: redisUrl });
    second = await startExtraRouter(stack, { REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await second?.stop();
    await stack.restartRouter({});
  });

  it('admits exactly $1.00 of a 200-request race split over both routers', async () => {
    const key = await budgetedKey({ name: 'shared dollar', mode: 'hard', limitMicros: 1_000_000n }, [
      stack.routerUrl,
      second.url,
    ]);
    const clients = [
      stack.client(key.plaintext),
      new OpenAI({ apiKey: key.plaintext, baseURL: `${second.url}/v1`, maxRetries: 0 }),
    ];
    const race = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call(clients[i % 2] as OpenAI, 'budget-model')),
    );
    const [onFirst = 0, onSecond = 0] = [0, 1].map(
      (side) => race.filter((o, i) => i % 2 === side && o.ok).length,
    );
    expect(onFirst + onSecond).toBe(20);
    expect(race.filter((o) => !o.ok && o.code === 'budget_exceeded')).toHaveLength(180);
    expect(await recordedSpend(key.id, 200)).toBe(1_000_000n);
  });
});

describe('hard budget while Redis is unreachable', () => {
  const unreachable = 'redis://127.0.0.1:1';
  afterAll(async () => {
    await stack.restartRouter({});
  });

  it('closed: a budgeted request is refused with 503 before any upstream call; others are served', async () => {
    await stack.restartRouter({ REDIS_URL: unreachable, LIMITS_REDIS_FAILURE_POLICY: 'closed' });
    const key = await budgetedKey({ name: 'redis closed', mode: 'hard', limitMicros: 1_000_000n });
    const before = await mockStats(stack);
    const outcome = await call(stack.client(key.plaintext), 'budget-model');
    expect(outcome).toMatchObject({ ok: false, status: 503, code: 'usage_unavailable' });
    expect((await mockStats(stack)).requests).toBe(before.requests);
    // A key no budget applies to does not depend on Redis.
    expect((await call(stack.client(), 'budget-model')).ok).toBe(true);
  });

  it('open: served, and the hard budget still holds in this instance', async () => {
    await stack.restartRouter({ REDIS_URL: unreachable, LIMITS_REDIS_FAILURE_POLICY: 'open' });
    const key = await budgetedKey({ name: 'redis open', mode: 'hard', limitMicros: 100_000n });
    const client = stack.client(key.plaintext);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await call(client, 'budget-model'));
    expect(outcomes.map((o) => (o.ok ? 200 : o.status))).toEqual([200, 200, 429]);
    expect(await recordedSpend(key.id, 3)).toBe(100_000n);
  });
});
