import { newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitUsageRow,
  type MockStats,
  mockStats,
  type Stack,
  setMockFaults,
  startStack,
  waitFor,
} from './stack';

// Routing tells the truth and never turns a healthy backup into an error (issue 12, E2 E3 E5 E6 E7): a real
// router, the mock provider and PostgreSQL, the official `openai` SDK as the client. Upstream accounts differ by
// credential (the mock's `byKey` faults) and every test uses its own upstream models, so breakers, cool-downs and
// retry budgets of one test cannot leak into the next.

const COOLDOWN_MS = 500;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ BREAKER_COOLDOWN_MS: String(COOLDOWN_MS), HEALTH_REPORT_MS: '200' });
}, 180_000);
afterEach(async () => {
  await fetch(`${stack.mockOrigin}/__mock/faults`, { method: 'DELETE' });
});
afterAll(async () => {
  await stack?.stop();
});

interface Served {
  ok: boolean;
  status: number;
  headers: Headers;
  requestId: string;
}

/** One chat completion through the SDK; an API error is an answer too (ok false, its status). */
async function ask(model: string): Promise<Served> {
  const client = stack.client();
  try {
    const { response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hello there' }] })
      .withResponse();
    return {
      ok: true,
      status: response.status,
      headers: response.headers,
      requestId: response.headers.get('x-request-id') ?? '',
    };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    const headers = new Headers(error.headers as Record<string, string> | undefined);
    return { ok: false, status: error.status ?? 0, headers, requestId: headers.get('x-request-id') ?? '' };
  }
}

/** Sends `count` requests, `concurrency` at a time. */
async function load(count: number, concurrency: number, send: () => Promise<Served>): Promise<Served[]> {
  const results: Served[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        results.push(await send());
      }
    }),
  );
  return results;
}

const delta = (before: MockStats, after: MockStats, key: string) =>
  (after.byKey[key] ?? 0) - (before.byKey[key] ?? 0);
const modelDelta = (before: MockStats, after: MockStats, model: string) =>
  (after.byModel[model] ?? 0) - (before.byModel[model] ?? 0);

interface StoredAttempt {
  targetId: string;
  accountId: string;
  model: string;
  status: number | null;
  errorClass: string | null;
  reason: string;
}

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);
const attemptsOf = async (requestId: string) =>
  (await usageRow(requestId)).attempts as unknown as StoredAttempt[];

/** A summary of failures for an assertion message: status counts. */
const statusCounts = (results: Served[]) =>
  results.reduce<Record<number, number>>((counts, r) => {
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    return counts;
  }, {});

describe('live configuration (E2)', () => {
  it('a target disabled while a request is in flight gets no further attempt from that request', async () => {
    const a = await stack.addAccount('live-a');
    const b = await stack.addAccount('live-b');
    const model = 'rt-live';
    const route = await stack.addRoute({
      publicModel: 'rt-live-route',
      targets: [
        { accountId: a.id, upstreamModel: model, tier: 0 },
        { accountId: b.id, upstreamModel: model, tier: 1 },
      ],
    });
    // A answers 503 (transient: the ladder would retry it) but only after long enough for the disable to land.
    await setMockFaults(stack, { byKey: { [a.credential]: { status: 503, latencyMs: 4_000 } } });
    const before = await mockStats(stack);
    let settled = false;
    const pending = ask('rt-live-route').finally(() => {
      settled = true;
    });
    await waitFor('the request to reach account A', async () => {
      return delta(before, await mockStats(stack), a.credential) === 1;
    });
    // Disable A's target and add a marker route in one transaction: when the router serves the marker, its
    // snapshot has the disable too.
    await stack.prisma.$transaction([
      stack.prisma.routeTarget.update({
        where: { id: route.targetIds[0] as string },
        data: { enabled: false },
      }),
      stack.prisma.route.create({ data: { id: newId('rt'), publicModel: 'rt-live-marker' } }),
    ]);
    await stack.awaitModels((models) => models.includes('rt-live-marker'));
    expect(settled, 'the upstream answered before the router saw the disable; the test proves nothing').toBe(
      false,
    );

    const served = await pending;
    expect(served).toMatchObject({ ok: true, status: 200 });
    expect(served.headers.get('x-switchyard-account')).toBe('live-b');
    const after = await mockStats(stack);
    expect(delta(before, after, a.credential)).toBe(1);
    expect(delta(before, after, b.credential)).toBe(1);
    const attempts = await attemptsOf(served.requestId);
    expect(attempts.map((x) => [x.accountId, x.status, x.reason])).toEqual([
      [a.id, 503, 'primary'],
      [b.id, 200, 'other_account'],
    ]);
  }, 30_000);
});

describe('account weight and priority (E3)', () => {
  it('an account with weight 0 is drained: it gets no traffic while another account serves', async () => {
    const drained = await stack.addAccount('w0-drained');
    const other = await stack.addAccount('w0-other');
    await stack.prisma.upstreamAccount.update({ where: { id: drained.id }, data: { weight: 0 } });
    await stack.addRoute({
      publicModel: 'rt-w0-route',
      targets: [
        { accountId: drained.id, upstreamModel: 'rt-w0' },
        { accountId: other.id, upstreamModel: 'rt-w0' },
      ],
    });
    const before = await mockStats(stack);
    const results = await load(60, 4, () => ask('rt-w0-route'));
    expect(statusCounts(results)).toEqual({ 200: 60 });
    const after = await mockStats(stack);
    expect(delta(before, after, drained.credential)).toBe(0);
    expect(delta(before, after, other.credential)).toBe(60);
  }, 30_000);

  it('account weights multiply target weights inside a tier (3 : 1)', async () => {
    const heavy = await stack.addAccount('w3-heavy');
    const light = await stack.addAccount('w3-light');
    await stack.prisma.upstreamAccount.update({ where: { id: heavy.id }, data: { weight: 3 } });
    await stack.addRoute({
      publicModel: 'rt-w3-route',
      targets: [
        { accountId: heavy.id, upstreamModel: 'rt-w3' },
        { accountId: light.id, upstreamModel: 'rt-w3' },
      ],
    });
    const before = await mockStats(stack);
    const results = await load(400, 8, () => ask('rt-w3-route'));
    expect(statusCounts(results)).toEqual({ 200: 400 });
    const toHeavy = delta(before, await mockStats(stack), heavy.credential);
    // Expected 300; 4 standard deviations of a binomial(400, 0.75) is ±35.
    expect(toHeavy).toBeGreaterThan(265);
    expect(toHeavy).toBeLessThan(335);
  }, 60_000);

  it('priority orders accounts inside a tier: the lower number takes all traffic, the next serves when it fails', async () => {
    const second = await stack.addAccount('prio-second');
    const first = await stack.addAccount('prio-first');
    await stack.prisma.upstreamAccount.update({ where: { id: second.id }, data: { priority: 1 } });
    await stack.addRoute({
      publicModel: 'rt-prio-route',
      targets: [
        { accountId: second.id, upstreamModel: 'rt-prio' },
        { accountId: first.id, upstreamModel: 'rt-prio' },
      ],
    });
    const before = await mockStats(stack);
    const results = await load(40, 4, () => ask('rt-prio-route'));
    expect(statusCounts(results)).toEqual({ 200: 40 });
    const after = await mockStats(stack);
    expect(delta(before, after, first.credential)).toBe(40);
    expect(delta(before, after, second.credential)).toBe(0);

    await setMockFaults(stack, { byKey: { [first.credential]: { status: 503 } } });
    const failing = await load(10, 2, () => ask('rt-prio-route'));
    expect(statusCounts(failing)).toEqual({ 200: 10 });
    expect(failing.every((r) => r.headers.get('x-switchyard-account') === 'prio-second')).toBe(true);
  }, 30_000);
});

/** Three routes, each a primary (its own upstream model) and a healthy backup on another account. */
async function threeRoutes(prefix: string) {
  const primary = await stack.addAccount(`${prefix}-primary`);
  const backup = await stack.addAccount(`${prefix}-backup`);
  const routes: { name: string; primaryModel: string }[] = [];
  for (const i of [1, 2, 3]) {
    const name = `${prefix}-route-${i}`;
    const primaryModel = `${prefix}-p${i}`;
    await stack.addRoute({
      publicModel: name,
      targets: [
        { accountId: primary.id, upstreamModel: primaryModel, tier: 0 },
        { accountId: backup.id, upstreamModel: `${prefix}-b${i}`, tier: 1 },
      ],
    });
    routes.push({ name, primaryModel });
  }
  const byModel = Object.fromEntries(routes.map((r) => [r.primaryModel, { status: 503 }]));
  return { routes, byModel, primary, backup };
}

describe('retry budgets never deny a healthy backup (E5)', () => {
  it('primaries of three routes answer 503 at once, bursts of 24 in flight: no client error', async () => {
    const { routes, byModel } = await threeRoutes('burst');
    await setMockFaults(stack, { byModel });
    const results: Served[] = [];
    for (let round = 0; round < 3; round++) {
      const burst = await Promise.all(
        routes.flatMap((route) => Array.from({ length: 8 }, () => ask(route.name))),
      );
      results.push(...burst);
    }
    expect(statusCounts(results)).toEqual({ 200: 72 });
  }, 60_000);

  it('failures arriving together, more than the primary’s retry tokens, all fail over to the healthy backup', async () => {
    // Each failed request first plans a same-target retry (the tokens look available to every one of them, since
    // none is spent until its backoff ends); by then the first two retries spent the primary's two tokens. The
    // ones left must still reach the backup, not answer 502 "retry budget exhausted" (1 in 72 of the burst above
    // did so at load average 40). Four requests: fewer than the 5 failures that would open the breaker and send
    // them to the backup for free anyway.
    const primary = await stack.addAccount('together-primary');
    const backup = await stack.addAccount('together-backup');
    await stack.addRoute({
      publicModel: 'together-route',
      targets: [
        { accountId: primary.id, upstreamModel: 'together-p', tier: 0 },
        { accountId: backup.id, upstreamModel: 'together-b', tier: 1 },
      ],
    });
    // Held 500 ms, so the four failures come back together.
    await setMockFaults(stack, { byModel: { 'together-p': { status: 503, latencyMs: 500 } } });
    const before = await mockStats(stack);
    const results = await Promise.all(Array.from({ length: 4 }, () => ask('together-route')));
    expect(statusCounts(results)).toEqual({ 200: 4 });
    const after = await mockStats(stack);
    expect(delta(before, after, backup.credential)).toBe(4);
    // Four first attempts, and at most the two retries the primary's tokens paid for.
    const toPrimary = delta(before, after, primary.credential);
    expect(toPrimary).toBeGreaterThanOrEqual(4);
    expect(toPrimary).toBeLessThanOrEqual(6);
  }, 60_000);

  it('one request per breaker cool-down on each of three routes (every one a failed probe): no client error', async () => {
    const { routes, byModel } = await threeRoutes('paced');
    await setMockFaults(stack, { byModel });
    const before = await mockStats(stack);
    const results: Served[] = [];
    for (let round = 0; round < 16; round++) {
      results.push(...(await Promise.all(routes.map((route) => ask(route.name)))));
      // Pace, not synchronisation: the load profile is one request per route per cool-down. Counted from the
      // round's answers, when each failed probe had re-opened its breaker: counted from the round's start (as
      // before), an answer slower than 30 ms under load meant the next round came inside the fresh cool-down and
      // skipped the primary, and the probe count below fell short of 16.
      await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 30));
    }
    expect(statusCounts(results)).toEqual({ 200: 48 });
    const after = await mockStats(stack);
    // The pace did what it says: after the breaker opened (3 requests), each later request was a probe.
    for (const route of routes)
      expect(modelDelta(before, after, route.primaryModel)).toBeGreaterThanOrEqual(16);
  }, 60_000);
});

describe('readback of skipped targets (E6)', () => {
  it('with the primary’s breaker open, the backup’s answer says the primary was skipped and why, and so does the usage row', async () => {
    const primary = await stack.addAccount('skip-primary');
    const backup = await stack.addAccount('skip-backup');
    const route = await stack.addRoute({
      publicModel: 'rt-skip-route',
      targets: [
        { accountId: primary.id, upstreamModel: 'rt-skip', tier: 0 },
        { accountId: backup.id, upstreamModel: 'rt-skip', tier: 1 },
      ],
    });
    await setMockFaults(stack, { byKey: { [primary.credential]: { status: 503 } } });
    // Until the breaker opens a request goes primary, primary again, backup; once it is open, straight to the backup.
    let direct: Served | null = null;
    for (let i = 0; i < 20 && direct === null; i++) {
      const served = await ask('rt-skip-route');
      expect(served.status).toBe(200);
      if (served.headers.get('x-switchyard-attempts') === '1') direct = served;
    }
    if (direct === null) throw new Error('no request went straight to the backup');
    expect(direct.headers.get('x-switchyard-account')).toBe('skip-backup');
    expect(direct.headers.get('x-switchyard-fallback-reason')).toBe(
      'skipped skip-primary/rt-skip: circuit_open',
    );
    const attempts = await attemptsOf(direct.requestId);
    expect(attempts.map((x) => [x.targetId, x.status, x.errorClass, x.reason])).toEqual([
      [route.targetIds[0], null, 'circuit_open', 'skipped'],
      [route.targetIds[1], 200, null, 'primary'],
    ]);
  }, 30_000);
});

describe('panic routing (E7)', () => {
  it('50% random 5xx on both targets: clients succeed at least as often as the upstreams do', async () => {
    const a = await stack.addAccount('panic-a');
    const b = await stack.addAccount('panic-b');
    const model = 'rt-panic';
    await stack.addRoute({
      publicModel: 'rt-panic-route',
      targets: [
        { accountId: a.id, upstreamModel: model },
        { accountId: b.id, upstreamModel: model },
      ],
    });
    await setMockFaults(stack, { seed: 11, byModel: { [model]: { failRate: 0.5 } } });
    const requests = 400;
    const results = await load(requests, 6, () => ask('rt-panic-route'));
    const succeeded = results.filter((r) => r.ok).length;
    expect(succeeded / requests, JSON.stringify(statusCounts(results))).toBeGreaterThanOrEqual(0.5);
    // Both breakers did open (a 50% failure rate trips them), and requests kept going to the least bad target.
    const panicked = await waitFor('usage rows of panic attempts', async () => {
      const rows = await stack.prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM usage_events
        WHERE requested_model = 'rt-panic-route' AND attempts @> '[{"reason":"panic"}]'::jsonb`;
      const n = Number(rows[0]?.n ?? 0);
      return n > 0 ? n : null;
    });
    expect(panicked).toBeGreaterThan(0);
  }, 60_000);
});
