import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFiveCentRoute, fiftyPercentBudget } from './fifty-percent-budget';
import { type Stack, startStack, startTcpProxy, startWebhookReceiver, type TcpProxy, waitFor } from './stack';

/*
 * Budget thresholds crossed while PostgreSQL is away. The router reaches the database through a TCP relay the
 * test can cut, so the settlement that crosses a threshold cannot insert its alert row: the alert must still
 * be recorded and sent, exactly once, when the database is back — also by a router restarted in between.
 */
let stack: Stack;
let proxy: TcpProxy;
let routerEnv: Record<string, string>;
let hook: { url: string; close: () => Promise<void> };
/** Every POST the receiver got, per budget name. */
const received = new Map<string, string[]>();

function posts(name: string): string[] {
  return received.get(name) ?? [];
}

async function ready(): Promise<{ usagePending: number; usageSpilled: number }> {
  return (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as {
    usagePending: number;
    usageSpilled: number;
  };
}

/** How often the router logged that an alert could not be recorded. */
function unrecordedLines(): number {
  return stack.router.output().split('budget alert could not be recorded').length - 1;
}

/** Waits for the one alert of a budget to be delivered, then for the polls after it to send no other. */
async function expectOneDelivery(budgetId: string, name: string): Promise<void> {
  const delivered = await waitFor(
    'the alert to be delivered',
    () => stack.prisma.budgetAlert.findFirst({ where: { budgetId, deliveredAt: { not: null } } }),
    { timeoutMs: 30_000 },
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // five more polls: room for a stray duplicate
  const rows = await stack.prisma.budgetAlert.findMany({ where: { budgetId } });
  expect(rows.map((r) => [r.threshold, r.spendMicros, r.limitMicros])).toEqual([[50, 50_000n, 100_000n]]);
  expect(posts(name)).toHaveLength(1);
  expect(JSON.parse(posts(name)[0] as string)).toMatchObject({
    alertId: delivered.id,
    threshold: 50,
    spentUsd: '0.05',
  });
}

beforeAll(async () => {
  hook = await startWebhookReceiver((body) => {
    const name = (JSON.parse(body) as { budget: { name: string } }).budget.name;
    received.set(name, [...posts(name), body]);
    return 204;
  });
  stack = await startStack();
  await addFiveCentRoute(stack);
  const db = new URL(stack.databaseUrl);
  proxy = await startTcpProxy(db.hostname, Number(db.port || 5432));
  db.host = `127.0.0.1:${proxy.port}`;
  routerEnv = {
    DATABASE_URL: db.toString(),
    USAGE_FLUSH_MS: '50',
    BUDGET_WEBHOOK_POLL_MS: '200',
    SNAPSHOT_REFRESH_MS: '500',
  };
  await stack.restartRouter(routerEnv);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
  await hook?.close();
});

describe('budget thresholds crossed while PostgreSQL is away', () => {
  it('records and sends the alert once the database is back, exactly once', async () => {
    const name = 'crossed during an outage';
    const { budgetId, spend } = await fiftyPercentBudget(stack, name, hook.url);
    proxy.cut();
    const before = unrecordedLines();
    await spend();
    await waitFor('the alert insert to fail', async () => unrecordedLines() > before);
    expect(posts(name)).toHaveLength(0);
    const restoredAt = Date.now();
    proxy.restore();
    await expectOneDelivery(budgetId, name);
    // Stored from the settlement's own crossing (dated when it crossed), not found later in the spend.
    const alert = await stack.prisma.budgetAlert.findFirstOrThrow({ where: { budgetId } });
    expect(alert.createdAt.getTime()).toBeLessThan(restoredAt);
  }, 60_000);

  it('a router killed before the database came back: the restarted router alerts from the recorded spend', async () => {
    const name = 'crossed, then the router died';
    const { budgetId, spend } = await fiftyPercentBudget(stack, name, hook.url);
    proxy.cut();
    const before = unrecordedLines();
    await spend();
    await waitFor('the alert insert to fail', async () => unrecordedLines() > before);
    await waitFor('the usage event to be on disk', async () => (await ready()).usageSpilled >= 1);
    stack.router.child.kill('SIGKILL');
    await new Promise((resolve) => stack.router.child.once('exit', resolve));
    proxy.restore();
    await stack.restartRouter(routerEnv);
    await expectOneDelivery(budgetId, name);
  }, 90_000);
});
