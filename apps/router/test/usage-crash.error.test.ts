import { Agent, request } from 'node:http';
import { generateApiKey, newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_MODEL, type Stack, startStack, startTcpProxy, type TcpProxy, waitFor } from './stack';

// A router can die by SIGKILL (OOM killer, node failure, `kill -9`) at any moment. Usage rows are billing
// records and budget spend is money: whatever the router answered before it died must still be stored exactly
// once, and a restarted router must still count it against hard budgets before it admits anything.

let stack: Stack;
let proxy: TcpProxy;
let routerEnv: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  const db = new URL(stack.databaseUrl);
  proxy = await startTcpProxy(db.hostname, Number(db.port || 5432));
  db.host = `127.0.0.1:${proxy.port}`;
  // The default flush interval: a whole interval of settled requests lives only in the router's memory.
  routerEnv = { DATABASE_URL: db.toString(), USAGE_FLUSH_MS: '200' };
  await stack.restartRouter(routerEnv);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

async function killRouter(): Promise<void> {
  const exited = new Promise((resolve) => stack.router.child.once('exit', resolve));
  stack.router.child.kill('SIGKILL');
  await exited;
}

async function storedRows(ids: string[]): Promise<number> {
  let stored = 0;
  // Chunked: a load run answers thousands of requests.
  for (let i = 0; i < ids.length; i += 1_000) {
    stored += await stack.prisma.usageEvent.count({ where: { requestId: { in: ids.slice(i, i + 1_000) } } });
  }
  return stored;
}

interface Completed {
  requestId: string;
  /** performance.now() when the client had read the whole response. */
  at: number;
}

/**
 * Keeps `concurrency` plain keep-alive HTTP requests in flight against the router (as many per second as it
 * answers) until `stop()`; returns every 200 the client read to its end, with when it finished.
 */
function startLoad(concurrency: number): { completed: Completed[]; stop: () => Promise<void> } {
  const url = new URL(`${stack.routerUrl}/v1/chat/completions`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = JSON.stringify({ model: SEEDED_MODEL, messages: [{ role: 'user', content: 'load' }] });
  const completed: Completed[] = [];
  let running = true;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${stack.apiKey}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            const requestId = res.headers['x-request-id'];
            if (res.statusCode === 200 && typeof requestId === 'string') {
              completed.push({ requestId, at: performance.now() });
            }
            resolve();
          });
          res.on('error', () => resolve());
        },
      );
      req.on('error', () => resolve()); // the router was killed under this request
      req.end(body);
    });
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) await one();
  });
  return {
    completed,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}

/** A $0.05 request on the `crash-budget` route; created once. */
let budgetRoute: Promise<void> | null = null;

/**
 * A key with a $0.50 hard budget (ten requests on the `crash-budget` route), known to the router, and a way to
 * spend from it. Every request costs exactly $0.05, its worst case too (free input, $0.01 per output token,
 * max_tokens 5; the mock truncates its reply to max_tokens words).
 */
async function budgetedKey(): Promise<{
  keyId: string;
  /** Sends `count` requests at once; how many were served and how many refused for the budget. */
  spend: (count: number) => Promise<{ served: number; refused: number }>;
  /** Rows stored for the key's served requests, once there are `count`; their total cost. */
  stored: (count: number) => Promise<{ rows: number; costMicros: bigint | null }>;
}> {
  budgetRoute ??= (async () => {
    const upstreamModel = 'mock-crash-budget';
    await stack.prisma.price.create({
      data: {
        id: newId('price'),
        providerId: stack.providerId,
        model: upstreamModel,
        inputMicrosPerMillion: 0n,
        outputMicrosPerMillion: 10_000_000_000n,
        effectiveFrom: new Date(Date.now() - 3_600_000),
      },
    });
    await stack.prisma.route.create({
      data: {
        id: newId('rt'),
        publicModel: 'crash-budget',
        targets: { create: [{ id: newId('tgt'), accountId: stack.accountId, upstreamModel }] },
      },
    });
  })();
  await budgetRoute;
  const key = generateApiKey();
  const keyId = newId('key');
  await stack.prisma.budget.create({
    data: {
      id: newId('bud'),
      name: `crash budget ${keyId}`,
      scope: 'key',
      scopeId: keyId,
      period: 'total',
      mode: 'hard',
      limitMicros: 500_000n, // ten requests
    },
  });
  await stack.prisma.apiKey.create({
    data: { id: keyId, name: 'crash budget key', digest: key.digest, prefix: key.prefix },
  });
  await waitFor('the router to serve the budgeted key', async () => {
    const res = await fetch(`${stack.routerUrl}/v1/models`, {
      headers: { authorization: `Bearer ${key.plaintext}` },
    });
    const body = (await res.json()) as { data?: { id: string }[] };
    return res.status === 200 && (body.data ?? []).some((m) => m.id === 'crash-budget');
  });
  const spend = async (count: number): Promise<{ served: number; refused: number }> => {
    // The router's port changes with each restart.
    const client = new OpenAI({ apiKey: key.plaintext, baseURL: `${stack.routerUrl}/v1`, maxRetries: 0 });
    const outcomes = await Promise.all(
      Array.from({ length: count }, () =>
        client.chat.completions
          .create({
            model: 'crash-budget',
            max_tokens: 5,
            messages: [{ role: 'user', content: 'spend some of my budget' }],
          })
          .then(
            () => 'served' as const,
            (error: unknown) => {
              if (error instanceof OpenAI.APIError && error.code === 'budget_exceeded')
                return 'refused' as const;
              throw error;
            },
          ),
      ),
    );
    return {
      served: outcomes.filter((o) => o === 'served').length,
      refused: outcomes.filter((o) => o === 'refused').length,
    };
  };
  const stored = (count: number) =>
    waitFor(`${count} served requests to be stored`, async () => {
      const sum = await stack.prisma.usageEvent.aggregate({
        where: { keyId, status: 'success' },
        _sum: { costMicros: true },
        _count: true,
      });
      return sum._count >= count ? { rows: sum._count, costMicros: sum._sum.costMicros } : null;
    });
  return { keyId, spend, stored };
}

describe('usage across a crash', () => {
  it('SIGKILL under load: every response completed 10 ms before the kill has exactly one usage row', async () => {
    const load = startLoad(32);
    // Load for a couple of seconds, with the kill landing mid-flush-interval at whatever rate this machine gives.
    await waitFor('the router to answer 600 requests under load', () => load.completed.length >= 600, {
      timeoutMs: 30_000,
    });
    const killedAt = performance.now();
    await killRouter();
    await load.stop();
    const answered = load.completed.filter((c) => c.at < killedAt - 10);
    expect(answered.length).toBeGreaterThanOrEqual(500);

    // The restarted router stores what the dead one journaled before it reports ready.
    await stack.restartRouter(routerEnv);
    const stored = new Set<string>();
    const ids = load.completed.map((c) => c.requestId);
    for (let i = 0; i < ids.length; i += 1_000) {
      const rows = await stack.prisma.usageEvent.findMany({
        where: { requestId: { in: ids.slice(i, i + 1_000) } },
        select: { requestId: true },
      });
      for (const row of rows) stored.add(row.requestId);
    }
    // How long before the kill each lost response had completed: none may be more than 10 ms.
    const lost = answered.filter((c) => !stored.has(c.requestId)).map((c) => Math.round(killedAt - c.at));
    expect(lost).toEqual([]);
    // The request id is the primary key, so a row per id is also never two: count them to be sure.
    expect(await storedRows(answered.map((c) => c.requestId))).toBe(answered.length);
    // Nor is a replayed row counted twice where spend is read from: the rollups hold each stored row once.
    const rows = await stack.prisma.usageEvent.count({ where: { keyId: stack.apiKeyId } });
    const rolled = await stack.prisma.usageRollupHourly.aggregate({
      where: { keyId: stack.apiKeyId },
      _sum: { requests: true },
    });
    expect(rolled._sum.requests).toBe(rows);
    // Nothing to replay is left behind once it is stored.
    const ready = (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as { usageSpilled: number };
    expect(ready.usageSpilled).toBe(0);
  }, 90_000);

  it('spend spilled while PostgreSQL was away, then SIGKILL: the restarted router still enforces the hard budget', async () => {
    const { spend, stored } = await budgetedKey();
    proxy.cut();
    // Other traffic spilled first, so the budgeted rows come late in the replay (as under real load).
    const load = startLoad(16);
    await waitFor('other traffic to be served', () => load.completed.length >= 1_000, { timeoutMs: 30_000 });
    await load.stop();
    expect(await spend(6)).toEqual({ served: 6, refused: 0 }); // $0.30 of $0.50, known only to this router
    await waitFor('the spend to be spilled to disk', async () => {
      const r = (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as {
        usagePending: number;
        usageSpilled: number;
      };
      return r.usagePending === 0 && r.usageSpilled >= 1_006;
    });
    await killRouter();
    proxy.restore();
    await stack.restartRouter(routerEnv);

    // $0.20 left: four more requests, then refusals. Forgetting the spill would admit ten ($0.80, 160 %).
    expect(await spend(10)).toEqual({ served: 4, refused: 6 });
    expect(await stored(10)).toEqual({ rows: 10, costMicros: 500_000n });
  }, 90_000);

  it('spend only journaled (SIGKILL before its batch was written): the restarted router still enforces the hard budget', async () => {
    // A flush interval long enough that nothing is written before the kill: the events exist only in memory
    // and in the journal.
    await stack.restartRouter({ ...routerEnv, USAGE_FLUSH_MS: '60000' });
    const { spend, stored } = await budgetedKey();
    expect(await spend(6)).toEqual({ served: 6, refused: 0 });
    // The guarantee covers responses completed more than 10 ms before the kill (not a synchronisation wait).
    await new Promise((resolve) => setTimeout(resolve, 20));
    await killRouter();
    await stack.restartRouter(routerEnv);
    // Rows and spend both survive: $0.20 left, four more requests. Losing the journal would admit ten.
    expect(await stored(6)).toEqual({ rows: 6, costMicros: 300_000n });
    expect(await spend(10)).toEqual({ served: 4, refused: 6 });
    expect(await stored(10)).toEqual({ rows: 10, costMicros: 500_000n });
  }, 90_000);
});
