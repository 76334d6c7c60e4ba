import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_MODEL, type Stack, startStack, startTcpProxy, type TcpProxy, waitFor } from './stack';

// Usage rows are billing records. The router reaches PostgreSQL through a TCP relay the test can cut, so the
// database "goes away" for the router only; every answered request must still end up as exactly one row.

let stack: Stack;
let proxy: TcpProxy;
let routerEnv: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  const db = new URL(stack.databaseUrl);
  proxy = await startTcpProxy(db.hostname, Number(db.port || 5432));
  db.host = `127.0.0.1:${proxy.port}`;
  // Budget alert claims poll every 100 ms, so an outage shows how often their failure is logged.
  routerEnv = { DATABASE_URL: db.toString(), USAGE_FLUSH_MS: '50', BUDGET_WEBHOOK_POLL_MS: '100' };
  await stack.restartRouter(routerEnv);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

/** How often the router logged that budget alert claims failed, and that they work again. */
function claimLines(): { failed: number; recovered: number } {
  const output = stack.router.output();
  const count = (text: string) => output.split(text).length - 1;
  return {
    failed: count('budget alert deliveries could not be claimed'),
    recovered: count('budget alert deliveries can be claimed again'),
  };
}

async function send(count: number): Promise<{ ids: string[]; statuses: number[] }> {
  const ids: string[] = [];
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) {
        next++;
        const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: SEEDED_MODEL, messages: [{ role: 'user', content: 'count me' }] }),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
        if (res.status === 200) ids.push(res.headers.get('x-request-id') ?? '');
      }
    }),
  );
  return { ids, statuses };
}

async function ready(): Promise<{ usagePending: number; usageSpilled: number; usageAccepting: boolean }> {
  return (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as {
    usagePending: number;
    usageSpilled: number;
    usageAccepting: boolean;
  };
}

async function storedRows(ids: string[]): Promise<number> {
  return stack.prisma.usageEvent.count({ where: { requestId: { in: ids } } });
}

describe('durable usage records', () => {
  it('PostgreSQL away during load: answers go on, events spill to disk, and all land once it is back', async () => {
    const before = await send(30);
    await proxy.cut();
    const during = await send(120);
    expect(during.statuses).toEqual(Array(120).fill(200));
    const spilled = await waitFor('the queue to spill to disk', async () => {
      const r = await ready();
      return r.usagePending === 0 && r.usageSpilled > 0 ? r : null;
    });
    expect(spilled.usageSpilled).toBeGreaterThanOrEqual(100);
    await waitFor('the budget alert claims to fail', async () => claimLines().failed > 0);
    await new Promise((resolve) => setTimeout(resolve, 500)); // five more polls, all failing
    proxy.restore();
    const ids = [...before.ids, ...during.ids];
    await waitFor('every answered request to be stored', async () => (await storedRows(ids)) === ids.length, {
      timeoutMs: 20_000,
    });
    // The request id is the primary key: equal counts mean no loss and no duplicate.
    expect(await storedRows(ids)).toBe(150);
    // The spill file is dropped only after its replay commits, so the rows can be visible a moment before.
    await waitFor('the spill to be replayed and dropped', async () => (await ready()).usageSpilled === 0);
    // One line when claiming stopped working and one when it came back, not one per failed poll.
    await waitFor('the budget alert claims to work again', async () => claimLines().recovered > 0);
    expect(claimLines()).toEqual({ failed: 1, recovered: 1 });
  }, 60_000);

  it('kill -9 while holding spilled events: the restarted router replays them', async () => {
    proxy.cut();
    const during = await send(40);
    expect(during.statuses).toEqual(Array(40).fill(200));
    await waitFor('all 40 events to be on disk', async () => {
      const r = await ready();
      return r.usagePending === 0 && r.usageSpilled >= 40;
    });
    stack.router.child.kill('SIGKILL');
    await new Promise((resolve) => stack.router.child.once('exit', resolve));
    proxy.restore();
    await stack.restartRouter(routerEnv);
    await waitFor('the replay after restart', async () => (await storedRows(during.ids)) === 40, {
      timeoutMs: 20_000,
    });
    expect(await storedRows(during.ids)).toBe(40);
  }, 60_000);

  it('a full spill refuses paid requests with 503 rather than lose records', async () => {
    await stack.restartRouter({ ...routerEnv, USAGE_SPILL_MAX_BYTES: '4000' });
    proxy.cut();
    // The spill can fill only once the writer has seen a write fail, which may come after a first round of
    // requests is answered (about 1 run in 6 sent all of a fixed 60 first): send rounds until one is refused.
    const ids: string[] = [];
    let sent = 0;
    let refused = 0;
    await waitFor(
      'paid requests to be refused',
      async () => {
        const round = await send(20);
        sent += 20;
        ids.push(...round.ids);
        refused += round.statuses.filter((s) => s === 503).length;
        return refused > 0;
      },
      { timeoutMs: 20_000 },
    );
    expect(refused).toBeGreaterThan(0);
    expect(ids.length + refused).toBe(sent);
    expect((await ready()).usageAccepting).toBe(false);
    proxy.restore();
    await waitFor('the spilled requests to be stored', async () => (await storedRows(ids)) === ids.length, {
      timeoutMs: 20_000,
    });
    await waitFor('the router to accept again', async () => (await ready()).usageAccepting);
    expect((await send(1)).statuses).toEqual([200]);
  }, 60_000);
});
