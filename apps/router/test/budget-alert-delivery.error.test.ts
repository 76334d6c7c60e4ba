import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFiveCentRoute, fiftyPercentBudget } from './fifty-percent-budget';
import { type Stack, startExtraRouter, startStack, startWebhookReceiver, waitFor } from './stack';

/*
 * Webhook delivery that outlives the router that recorded the alert. Retries are 200 ms apart and each router
 * polls every 200 ms, so the schedule runs in well under a second; the real default is 1 s … 10 min.
 */
const RETRY_MS = '200';
let stack: Stack;
let hook: { url: string; close: () => Promise<void> };
let hookUrl: string;
/** Every POST the receiver got, as sent, per budget name. */
const received = new Map<string, string[]>();
/** When each POST arrived (performance.now()), per budget name. */
const arrivals = new Map<string, number[]>();
/** Budget names whose alerts the receiver answers 500 to. */
const refusing = new Set<string>();
/** Budget names whose next alert POST the receiver answers 500 to, once. */
const failOnce = new Set<string>();
/** Budget names whose alerts the receiver answers only after 300 ms, counting POSTs in flight at once. */
const slow = new Set<string>();
const inFlight = new Map<string, { now: number; max: number }>();

function posts(budgetName: string): string[] {
  return received.get(budgetName) ?? [];
}

/**
 * A soft budget of $0.10 alerting only at 50 % on a new key (known to the router when this returns), and one
 * $0.05 request on it: exactly one alert.
 */
async function crossFiftyPercent(name: string): Promise<string> {
  const { budgetId, spend } = await fiftyPercentBudget(stack, name, hookUrl);
  await spend();
  return budgetId;
}

beforeAll(async () => {
  hook = await startWebhookReceiver(async (body) => {
    const name = (JSON.parse(body) as { budget: { name: string } }).budget.name;
    received.set(name, [...posts(name), body]);
    arrivals.set(name, [...(arrivals.get(name) ?? []), performance.now()]);
    const status = refusing.has(name) || failOnce.delete(name) ? 500 : 204;
    if (!slow.has(name)) return status;
    const count = inFlight.get(name) ?? { now: 0, max: 0 };
    count.now++;
    count.max = Math.max(count.max, count.now);
    inFlight.set(name, count);
    await new Promise((resolve) => setTimeout(resolve, 300));
    count.now--;
    return status;
  });
  hookUrl = hook.url;

  stack = await startStack({ BUDGET_WEBHOOK_RETRY_MS: RETRY_MS, BUDGET_WEBHOOK_POLL_MS: '200' });
  await addFiveCentRoute(stack);
});
afterAll(async () => {
  await stack?.stop();
  await hook?.close();
});

describe('durable budget alert webhooks', () => {
  it('delivers an alert a stopped router could not, from the next router, with the same payload', async () => {
    const name = 'outlives its router';
    refusing.add(name);
    const budgetId = await crossFiftyPercent(name);
    await waitFor('two refused attempts', async () => posts(name).length >= 2);
    await stack.router.stop();

    const before = await stack.prisma.budgetAlert.findFirstOrThrow({ where: { budgetId } });
    const attemptsBefore = posts(name).length;
    // Every claim was POSTed (a stopping router finishes its POST), and the alert is still due.
    expect(before.deliveryAttempts).toBe(attemptsBefore);
    expect(before.deliveredAt).toBeNull();
    expect(before.lastDeliveryError).toBe('HTTP 500');
    expect(before.nextDeliveryAt).not.toBeNull();

    refusing.delete(name);
    await stack.restartRouter();
    const after = await waitFor('the restarted router to deliver it', () =>
      stack.prisma.budgetAlert.findFirst({ where: { budgetId, deliveredAt: { not: null } } }),
    );
    expect(posts(name)).toHaveLength(attemptsBefore + 1);
    expect(after.deliveryAttempts).toBe(attemptsBefore + 1);
    expect(after.nextDeliveryAt).toBeNull();
    // Byte for byte the same JSON on every attempt, before and after the restart.
    expect(new Set(posts(name)).size).toBe(1);
    expect(JSON.parse(posts(name)[0] as string)).toEqual({
      type: 'budget.threshold_reached',
      alertId: after.id,
      budget: { id: budgetId, name, mode: 'soft' },
      threshold: 50,
      spentUsd: '0.05',
      limitUsd: '0.10',
      spentMicros: '50000',
      limitMicros: '100000',
      periodStart: '1970-01-01T00:00:00.000Z',
      periodEnd: null,
      at: after.createdAt.toISOString(),
    });
  });

  it('shares the retries of one alert between two routers, never POSTing it from both at once', async () => {
    const second = await startExtraRouter(stack, {
      BUDGET_WEBHOOK_RETRY_MS: RETRY_MS,
      BUDGET_WEBHOOK_POLL_MS: '200',
    });
    try {
      const name = 'two routers';
      refusing.add(name);
      slow.add(name);
      const budgetId = await crossFiftyPercent(name);
      // Each refusal takes 300 ms and the retry is due 200 ms later: both routers poll for it every 200 ms.
      await waitFor('five refused attempts', async () => posts(name).length >= 5);
      refusing.delete(name);
      const delivered = await waitFor('the alert to be delivered', () =>
        stack.prisma.budgetAlert.findFirst({ where: { budgetId, deliveredAt: { not: null } } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a stray duplicate to arrive
      expect(inFlight.get(name)?.max).toBe(1);
      expect(posts(name)).toHaveLength(delivered.deliveryAttempts);
      expect(delivered.deliveryAttempts).toBeGreaterThanOrEqual(6);
      expect(new Set(posts(name)).size).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('gives up after the last attempt: undelivered, nothing due, the last error kept', async () => {
    await stack.restartRouter({ BUDGET_WEBHOOK_MAX_ATTEMPTS: '3' });
    const name = 'never answers';
    refusing.add(name);
    const budgetId = await crossFiftyPercent(name);
    const alert = await waitFor('the alert to be given up', () =>
      stack.prisma.budgetAlert.findFirst({
        where: { budgetId, deliveryAttempts: 3, nextDeliveryAt: null },
      }),
    );
    expect(alert.deliveredAt).toBeNull();
    expect(alert.lastDeliveryError).toBe('HTTP 500');
    expect(posts(name)).toHaveLength(3);
    expect(stack.router.output()).toContain('budget alert webhook failed; giving up');
  });

  it('retries at the documented delays: the first retry 1 s after a failure, whatever else is scheduled', async () => {
    // The documented defaults, not this file's fast schedule.
    await stack.restartRouter({
      BUDGET_WEBHOOK_RETRY_MS: '1000,5000,30000,120000,600000',
      BUDGET_WEBHOOK_POLL_MS: '5000',
    });
    const first = await fiftyPercentBudget(stack, 'first retry, one', hookUrl);
    const second = await fiftyPercentBudget(stack, 'first retry, two', hookUrl);
    failOnce.add('first retry, one');
    failOnce.add('first retry, two');
    // Two alerts failing a moment apart: the second's retry is due while the first's is already planned.
    await first.spend();
    await waitFor('the first alert to be refused', async () => posts('first retry, one').length === 1);
    await second.spend();
    for (const budgetId of [first.budgetId, second.budgetId]) {
      await waitFor('the alert to be delivered on its retry', () =>
        stack.prisma.budgetAlert.findFirst({ where: { budgetId, deliveredAt: { not: null } } }),
      );
    }
    for (const name of ['first retry, one', 'first retry, two']) {
      const [refused, retried] = arrivals.get(name) ?? [];
      expect(arrivals.get(name)).toHaveLength(2);
      const gap = (retried as number) - (refused as number);
      // 1 s documented; the margin is for a loaded machine, well short of the 5 s of the next poll.
      expect(gap).toBeGreaterThanOrEqual(950);
      expect(gap).toBeLessThan(2_500);
    }
  }, 30_000);
});
