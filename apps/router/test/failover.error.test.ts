import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitUsageRow,
  type MockStats,
  mockStats,
  SEEDED_MODEL,
  type Stack,
  setMockFaults,
  startStack,
  waitFor,
} from './stack';

// Integration tests of the failover ladder: real router, mock provider and PostgreSQL. Upstream accounts differ
// by credential, and the mock's `byKey` faults break one account while another serves the same model. Every
// test uses its own upstream model, so breakers and cool-downs from one test cannot leak into the next.

const COOLDOWN_MS = 2_000;
let stack: Stack;
let a: { id: string; credential: string };
let b: { id: string; credential: string };

beforeAll(async () => {
  stack = await startStack({ BREAKER_COOLDOWN_MS: String(COOLDOWN_MS), HEALTH_REPORT_MS: '200' });
  a = await stack.addAccount('fo-a');
  b = await stack.addAccount('fo-b');
}, 180_000);
afterEach(async () => {
  await fetch(`${stack.mockOrigin}/__mock/faults`, { method: 'DELETE' });
});
afterAll(async () => {
  await stack?.stop();
});

function chat(
  model: string,
  options: { stream?: boolean; headers?: Record<string, string>; apiKey?: string } = {},
): Promise<Response> {
  return fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.apiKey ?? stack.apiKey}`,
      'content-type': 'application/json',
      ...options.headers,
    },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'hello there' }],
      stream: options.stream,
    }),
  });
}

/** Sends `count` requests, `concurrency` at a time; returns the statuses in order of completion. */
async function load(count: number, concurrency: number, send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const res = await send();
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    }),
  );
  return statuses;
}

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

const countOf = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;
const delta = (before: MockStats, after: MockStats, key: string) =>
  (after.byKey[key] ?? 0) - (before.byKey[key] ?? 0);
const modelDelta = (before: MockStats, after: MockStats, model: string) =>
  (after.byModel[model] ?? 0) - (before.byModel[model] ?? 0);

/** A request to `fo-breaker-route`: its answer, the attempts account A got, when it was sent and answered. */
interface BreakerRequest {
  status: number;
  account: string | null;
  /** Attempts sent to A: every attempt but the last when B served it (`x-switchyard-attempts` counts sent ones). */
  toA: number;
  sentAt: number;
  answeredAt: number;
}

/** Sends `count` requests to `fo-breaker-route` one after another. */
async function sendAll(count: number): Promise<BreakerRequest[]> {
  const out: BreakerRequest[] = [];
  for (let i = 0; i < count; i++) {
    const sentAt = performance.now();
    const res = await chat('fo-breaker-route');
    await res.arrayBuffer();
    const attempts = Number(res.headers.get('x-switchyard-attempts'));
    const account = res.headers.get('x-switchyard-account');
    out.push({
      status: res.status,
      account,
      toA: account === 'fo-b' ? attempts - 1 : attempts,
      sentAt,
      answeredAt: performance.now(),
    });
  }
  return out;
}

const sumToA = (requests: BreakerRequest[]) => requests.reduce((sum, r) => sum + r.toA, 0);

/**
 * Once A's breaker is open, A gets only probes: one attempt, and only a full cool-down after the request whose
 * failure (re)opened it. Bounded from the client's side (the probe's answer minus the opener's send), which load
 * can only lengthen: the test asserts the breaker's rule, not that the 17 requests after the opening (or the 4 after
 * a probe) fit inside one 2 s cool-down, which a loaded machine stretches past it, letting a legitimate probe through.
 */
function expectProbesOnlyAfterCoolDown(requests: BreakerRequest[]): void {
  // The third request's attempt was A's fifth failure: the breaker opened there.
  let opener = requests[2] as BreakerRequest;
  for (const r of requests.slice(3)) {
    if (r.toA === 0) continue;
    expect(r.toA).toBe(1);
    expect(r.answeredAt - opener.sentAt).toBeGreaterThanOrEqual(COOLDOWN_MS);
    opener = r;
  }
}

describe('circuit breaker', () => {
  it('sustained 503 on the primary: no client errors, opens after 5 failures, probes while open, closes after recovery', async () => {
    const model = 'fo-breaker';
    await stack.addRoute({
      publicModel: 'fo-breaker-route',
      targets: [
        { accountId: a.id, upstreamModel: model, tier: 0 },
        { accountId: b.id, upstreamModel: model, tier: 1 },
      ],
    });
    await setMockFaults(stack, { byKey: { [a.credential]: { status: 503 } } });
    const before = await mockStats(stack);
    const opening = await sendAll(20);
    expect(opening.map((r) => [r.status, r.account])).toEqual(Array(20).fill([200, 'fo-b']));
    // Request 1: A, A again (retry_same), B. Request 2: the same. Request 3: A's fifth failure opens the breaker.
    expect(opening.slice(0, 3).map((r) => r.toA)).toEqual([2, 2, 1]);
    expectProbesOnlyAfterCoolDown(opening);
    const opened = await mockStats(stack);
    // The answers' readback agrees with what A received: 5, plus any probe a stretched run let through.
    expect(delta(before, opened, a.credential)).toBe(sumToA(opening));
    expect(delta(before, opened, b.credential)).toBe(20);
    // The router's readback of the opened breaker. Reported every 200 ms, but once the 2 s cool-down has passed
    // without a request it reads half-open: a report written late on a loaded machine shows that, and still an
    // opening time and the failures that caused it.
    const row = await waitFor(
      'the opened breaker in target_health',
      () =>
        stack.prisma.targetHealth.findFirst({
          where: { accountId: a.id, model, state: { in: ['open', 'half_open'] }, openedAt: { not: null } },
        }),
      { timeoutMs: 30_000 },
    );
    expect(row.consecutiveFailures).toBeGreaterThanOrEqual(5);

    // After the 2 s cool-down one probe goes to A; it fails and the breaker opens again.
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 100));
    const probing = await sendAll(5);
    expect(probing.map((r) => [r.status, r.account])).toEqual(Array(5).fill([200, 'fo-b']));
    expect(probing[0]?.toA).toBe(1);
    expectProbesOnlyAfterCoolDown([...opening, ...probing]);
    const probed = await mockStats(stack);
    expect(delta(opened, probed, a.credential)).toBe(sumToA(probing));

    // A recovers: the next probe succeeds, the breaker closes and tier 0 takes all the traffic again.
    await setMockFaults(stack, {});
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 100));
    for (let i = 0; i < 10; i++) {
      const res = await chat('fo-breaker-route');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-account')).toBe('fo-a');
    }
    const recovered = await mockStats(stack);
    expect(delta(probed, recovered, a.credential)).toBe(10);
    expect(delta(probed, recovered, b.credential)).toBe(0);
    await waitFor(
      'the closed breaker in target_health',
      () => stack.prisma.targetHealth.findFirst({ where: { accountId: a.id, model, state: 'closed' } }),
      { timeoutMs: 30_000 },
    );
  }, 90_000);

  it('total outage: fast 503s with Retry-After, and no request outlives its deadline', async () => {
    const model = 'fo-outage';
    await stack.addRoute({
      publicModel: 'fo-outage-route',
      targets: [
        { accountId: a.id, upstreamModel: model },
        { accountId: b.id, upstreamModel: model },
      ],
      policies: {
        interactive: {
          rungs: {
            retrySameTarget: true,
            otherAccount: true,
            otherProvider: true,
            backupModel: true,
            waitAndRetry: false,
          },
          maxAttempts: 3,
          timeouts: { connectMs: 1_000, firstByteMs: 1_500, idleMs: 1_500, totalMs: 2_000 },
        },
      },
    });
    await setMockFaults(stack, { byModel: { [model]: { status: 503 } } });
    const results: { status: number; ms: number; retryAfter: string | null; code?: string }[] = [];
    for (let i = 0; i < 15; i++) {
      const started = performance.now();
      const res = await chat('fo-outage-route');
      const body = (await res.json()) as { error?: { code?: string } };
      results.push({
        status: res.status,
        ms: performance.now() - started,
        retryAfter: res.headers.get('retry-after'),
        code: body.error?.code,
      });
    }
    for (const r of results) expect(r.ms).toBeLessThan(2_000 + 250);
    expect(results.every((r) => r.status === 502 || r.status === 503)).toBe(true);
    // Both breakers open within the first requests (5 failures each); from then on every answer is an
    // immediate 503 with Retry-After and no upstream call, until the 2 s cool-down lets a probe through.
    const firstFast = results.findIndex((r) => r.status === 503);
    expect(firstFast).toBeGreaterThanOrEqual(0);
    expect(firstFast).toBeLessThan(10);
    for (const r of results.slice(firstFast)) {
      expect(r).toMatchObject({ status: 503, code: 'no_available_target' });
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.ms).toBeLessThan(100);
    }
    const before = await mockStats(stack);
    expect((await chat('fo-outage-route')).status).toBe(503);
    expect(modelDelta(before, await mockStats(stack), model)).toBe(0);
  }, 30_000);
});

describe('retry amplification', () => {
  it('50% random 5xx on every target: upstream attempts / client requests ≤ 1.2', async () => {
    const model = 'fo-flaky';
    await stack.addRoute({
      publicModel: 'fo-flaky-route',
      targets: [
        { accountId: a.id, upstreamModel: model },
        { accountId: b.id, upstreamModel: model },
      ],
    });
    await setMockFaults(stack, { seed: 7, byModel: { [model]: { failRate: 0.5 } } });
    const before = await mockStats(stack);
    const requests = 400;
    const statuses = await load(requests, 8, () => chat('fo-flaky-route'));
    const attempts = modelDelta(before, await mockStats(stack), model);
    expect(statuses.length).toBe(requests);
    expect(countOf(statuses, 200) + countOf(statuses, 502) + countOf(statuses, 503)).toBe(requests);
    // Every success took at least one upstream attempt; retries stay within the budget.
    expect(attempts).toBeGreaterThanOrEqual(countOf(statuses, 200));
    expect(attempts / requests).toBeLessThanOrEqual(1.2);
  }, 60_000);
});

describe('rate limits and credentials', () => {
  it('429 with Retry-After cools that account for the period while another serves', async () => {
    const model = 'fo-429';
    await stack.addRoute({
      publicModel: 'fo-429-route',
      targets: [
        { accountId: a.id, upstreamModel: model, tier: 0 },
        { accountId: b.id, upstreamModel: model, tier: 1 },
      ],
    });
    await setMockFaults(stack, { byKey: { [a.credential]: { status: 429, retryAfter: 2 } } });
    const before = await mockStats(stack);
    const first = await chat('fo-429-route');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-switchyard-account')).toBe('fo-b');
    const startedCooling = performance.now();
    const afterFirst = await mockStats(stack);
    expect(delta(before, afterFirst, a.credential)).toBe(1);
    while (performance.now() - startedCooling < 1_500) {
      const res = await chat('fo-429-route');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-account')).toBe('fo-b');
    }
    expect(delta(afterFirst, await mockStats(stack), a.credential)).toBe(0);
    // The cool-down ends after 2 s: A, healthy again, takes its tier-0 traffic back.
    await setMockFaults(stack, {});
    await new Promise((r) => setTimeout(r, 2_100 - (performance.now() - startedCooling)));
    const back = await chat('fo-429-route');
    expect(back.headers.get('x-switchyard-account')).toBe('fo-a');
  }, 30_000);

  it('a 429 whose wait exceeds the deadline reaches the client as 429 with Retry-After', async () => {
    const model = 'fo-429-only';
    await stack.addRoute({
      publicModel: 'fo-429-only-route',
      targets: [{ accountId: a.id, upstreamModel: model }],
    });
    await setMockFaults(stack, { byModel: { [model]: { status: 429, retryAfter: 120 } } });
    const res = await chat('fo-429-only-route');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_rate_limited');
  });

  it('401 from the upstream marks that account only; others keep serving', async () => {
    const c = await stack.addAccount('fo-c');
    const d = await stack.addAccount('fo-d');
    const model = 'fo-401';
    await stack.addRoute({
      publicModel: 'fo-401-route',
      targets: [
        { accountId: c.id, upstreamModel: model, tier: 0 },
        { accountId: d.id, upstreamModel: model, tier: 1 },
      ],
    });
    await setMockFaults(stack, { byKey: { [c.credential]: { status: 401 } } });
    const before = await mockStats(stack);
    const res = await chat('fo-401-route');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-account')).toBe('fo-d');
    expect(delta(before, await mockStats(stack), c.credential)).toBe(1);
    const marked = await waitFor('the credential mark in the database', () =>
      stack.prisma.upstreamAccount.findFirst({ where: { id: c.id, credentialRejectedAt: { not: null } } }),
    );
    expect(marked.credentialError).toBe('upstream answered 401');
    const afterMark = await mockStats(stack);
    const statuses = await load(20, 4, () => chat('fo-401-route'));
    expect(statuses).toEqual(Array(20).fill(200));
    const after = await mockStats(stack);
    expect(delta(afterMark, after, c.credential)).toBe(0);
    expect(delta(afterMark, after, d.credential)).toBe(20);
    const others = await stack.prisma.upstreamAccount.findMany({
      where: { id: { in: [a.id, b.id, d.id] } },
      select: { credentialRejectedAt: true },
    });
    expect(others).toEqual([
      { credentialRejectedAt: null },
      { credentialRejectedAt: null },
      { credentialRejectedAt: null },
    ]);
  }, 30_000);
});

describe('routing', () => {
  it('splits traffic by weight within tolerance over 1,000 requests', async () => {
    const model = 'fo-weighted';
    await stack.addRoute({
      publicModel: 'fo-weighted-route',
      targets: [
        { accountId: a.id, upstreamModel: model, weight: 3 },
        { accountId: b.id, upstreamModel: model, weight: 1 },
      ],
    });
    const before = await mockStats(stack);
    const statuses = await load(1_000, 10, () => chat('fo-weighted-route'));
    expect(countOf(statuses, 200)).toBe(1_000);
    const after = await mockStats(stack);
    const toA = delta(before, after, a.credential);
    expect(toA + delta(before, after, b.credential)).toBe(1_000);
    // Expected 750; 4 standard deviations of a binomial(1000, 0.75) is ±55.
    expect(toA).toBeGreaterThan(695);
    expect(toA).toBeLessThan(805);
  }, 60_000);

  it('a disabled target is never chosen, not even for a retry', async () => {
    const model = 'fo-disabled';
    await stack.addRoute({
      publicModel: 'fo-disabled-route',
      targets: [
        { accountId: a.id, upstreamModel: model, enabled: false },
        { accountId: b.id, upstreamModel: model },
      ],
    });
    await setMockFaults(stack, { byModel: { [model]: { status: 503 } } });
    const before = await mockStats(stack);
    const statuses = await load(10, 2, () => chat('fo-disabled-route'));
    expect(statuses.every((s) => s === 502 || s === 503)).toBe(true);
    const after = await mockStats(stack);
    expect(delta(before, after, a.credential)).toBe(0);
    expect(delta(before, after, b.credential)).toBeGreaterThan(0);
  }, 30_000);

  it('the evaluation class never falls back to another model; interactive does', async () => {
    const model = 'fo-eval';
    await stack.addRoute({
      publicModel: 'fo-eval-route',
      targets: [{ accountId: a.id, upstreamModel: model }],
      backupModels: [SEEDED_MODEL],
    });
    await setMockFaults(stack, { byModel: { [model]: { status: 503 } } });

    const interactive = await chat('fo-eval-route');
    expect(interactive.status).toBe(200);
    expect(interactive.headers.get('x-switchyard-route')).toBe(SEEDED_MODEL);
    expect(interactive.headers.get('x-switchyard-traffic-class')).toBe('interactive');
    expect(interactive.headers.get('x-switchyard-fallback-reason')).toBe('backup_model; after server_error');
    const row = await usageRow(interactive.headers.get('x-request-id') ?? '');
    expect((row.attempts as { model: string; reason: string }[]).map((x) => [x.model, x.reason])).toEqual([
      [model, 'primary'],
      [model, 'retry_same'],
      ['mock-gpt-4o-mini', 'backup_model'],
    ]);
    // The class is recorded with the request, so the request explorer can filter by it.
    expect(row.trafficClass).toBe('interactive');

    const before = await mockStats(stack);
    const evaluation = await chat('fo-eval-route', {
      headers: { 'x-switchyard-traffic-class': 'evaluation' },
    });
    expect(evaluation.status).toBe(502);
    expect(evaluation.headers.get('x-switchyard-traffic-class')).toBe('evaluation');
    const after = await mockStats(stack);
    expect(modelDelta(before, after, 'mock-gpt-4o-mini')).toBe(0);
    expect(modelDelta(before, after, model)).toBe(2);
    expect((await usageRow(evaluation.headers.get('x-request-id') ?? '')).trafficClass).toBe('evaluation');
  }, 30_000);

  it('a prompt too long for the model moves to the context fallback model, except for evaluation', async () => {
    await stack.addRoute({
      publicModel: 'fo-ctx-route',
      targets: [{ accountId: a.id, upstreamModel: 'fo-small-window' }],
      contextFallbackModel: SEEDED_MODEL,
    });
    await setMockFaults(stack, { byModel: { 'fo-small-window': { maxContextTokens: 5 } } });
    const long = 'please summarise this rather long request for me';
    const send = (headers: Record<string, string> = {}) =>
      fetch(`${stack.routerUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'fo-ctx-route', messages: [{ role: 'user', content: long }] }),
      });
    const res = await send();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-route')).toBe(SEEDED_MODEL);
    expect(res.headers.get('x-switchyard-fallback-reason')).toBe('context_window; after client_error');
    const row = await usageRow(res.headers.get('x-request-id') ?? '');
    expect(
      (row.attempts as { model: string; status: number; reason: string }[]).map((x) => [
        x.model,
        x.status,
        x.reason,
      ]),
    ).toEqual([
      ['fo-small-window', 400, 'primary'],
      ['mock-gpt-4o-mini', 200, 'context_window'],
    ]);

    const evaluation = await send({ 'x-switchyard-traffic-class': 'evaluation' });
    expect(evaluation.status).toBe(400);
    expect(evaluation.headers.get('x-switchyard-attempts')).toBe('1');
    expect(((await evaluation.json()) as { error: { code: string } }).error.code).toBe(
      'context_length_exceeded',
    );
  });

  it('an unknown or disallowed traffic class is a 400 naming the header, sent nowhere', async () => {
    const before = await mockStats(stack);
    const unknown = await chat(SEEDED_MODEL, { headers: { 'x-switchyard-traffic-class': 'urgent' } });
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('x-switchyard-traffic-class');
    expect(body.error.message).toContain("'urgent' is not a traffic class");
    expect((await mockStats(stack)).requests).toBe(before.requests);
    // Refused before its class was read: none is recorded.
    expect((await usageRow(unknown.headers.get('x-request-id') ?? '')).trafficClass).toBeNull();

    const key = await stack.createKey();
    await stack.prisma.apiKey.update({
      where: { id: key.id },
      data: { allowedTrafficClasses: ['background'], defaultTrafficClass: 'background' },
    });
    await waitFor('the router to see the key change', async () => {
      const res = await chat(SEEDED_MODEL, { apiKey: key.plaintext });
      await res.arrayBuffer();
      return res.headers.get('x-switchyard-traffic-class') === 'background';
    });
    const beforeDenied = await mockStats(stack);
    const denied = await chat(SEEDED_MODEL, {
      apiKey: key.plaintext,
      headers: { 'x-switchyard-traffic-class': 'interactive' },
    });
    expect(denied.status).toBe(400);
    expect(((await denied.json()) as { error: { message: string } }).error.message).toContain(
      "may not use traffic class 'interactive'",
    );
    expect((await mockStats(stack)).requests).toBe(beforeDenied.requests);
  });
});

describe('streams', () => {
  it('a stream that fails before its first byte fails over: one clean stream, no duplicated bytes', async () => {
    const model = 'fo-stream';
    await stack.addRoute({
      publicModel: 'fo-stream-route',
      targets: [
        { accountId: a.id, upstreamModel: model, tier: 0 },
        { accountId: b.id, upstreamModel: model, tier: 1 },
      ],
    });
    // What a healthy stream of this request looks like, through the router.
    const client = stack.client();
    const reference = await collect(client, 'fo-stream-route');

    await setMockFaults(stack, { byKey: { [a.credential]: { dropAfterChunks: 0 } } });
    const res = await chat('fo-stream-route', { stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-account')).toBe('fo-b');
    const text = await res.text();
    expect(text.match(/data: \[DONE\]/g)?.length).toBe(1);
    const content = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map(
        (e) =>
          (JSON.parse(e.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta
            .content ?? '',
      )
      .join('');
    expect(content).toBe(reference);
    const row = await usageRow(res.headers.get('x-request-id') ?? '');
    expect(row.status).toBe('success');
    expect(
      (row.attempts as { accountId: string; errorClass: string | null }[]).map((x) => [
        x.accountId,
        x.errorClass,
      ]),
    ).toEqual([
      [a.id, 'stream_interrupted'],
      [a.id, 'stream_interrupted'],
      [b.id, null],
    ]);
  }, 30_000);
});

async function collect(client: OpenAI, model: string): Promise<string> {
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hello there' }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}
