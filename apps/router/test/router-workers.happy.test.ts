import { generateApiKey, newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_MODEL, type Stack, startStack, waitFor } from './stack';
import { isRunning, laneToEachWorker, parentPid, type WorkerLane } from './worker-lanes';

// ROUTER_WORKERS=2: one port, two router processes under a primary (node:cluster). Each test reaches both workers
// through a connection pinned to each (see worker-lanes.ts) and checks what must hold across them: usage rows are
// one per request, limits and revocations hold on every worker, /metrics counts every worker, a dead worker is
// replaced without losing its usage, and SIGTERM stops them all with their usage stored.

const messages = [{ role: 'user' as const, content: 'hello' }];

type Outcome = { status: number; requestId: string | null };

async function call(client: OpenAI): Promise<Outcome> {
  try {
    const { response } = await client.chat.completions
      .create({ model: SEEDED_MODEL, messages })
      .withResponse();
    return { status: response.status, requestId: response.headers.get('x-request-id') };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { status: error.status ?? 0, requestId: error.headers?.get('x-request-id') ?? null };
  }
}

describe.skipIf(!process.env.REDIS_URL)(
  'ROUTER_WORKERS=2 (needs REDIS_URL: more than one worker requires it)',
  () => {
    let stack: Stack;
    let lanes: WorkerLane[];

    beforeAll(async () => {
      stack = await startStack({ ROUTER_WORKERS: '2', REDIS_URL: process.env.REDIS_URL as string });
      lanes = await laneToEachWorker(stack.routerUrl, 2);
    });
    afterAll(async () => {
      await Promise.all((lanes ?? []).map((lane) => lane.close()));
      await stack?.stop();
    });

    /** A key (RPM limit optional) every worker knows when this returns. */
    async function keyOnEveryWorker(rpmLimit: number | null = null) {
      const key = generateApiKey();
      const id = newId('key');
      await stack.prisma.apiKey.create({
        data: { id, name: `workers ${id}`, digest: key.digest, prefix: key.prefix, rpmLimit },
      });
      for (const lane of lanes) {
        await waitFor(`worker ${lane.worker} to know the key`, async () => {
          return (await lane.get('/v1/models', { authorization: `Bearer ${key.plaintext}` })).status === 200;
        });
      }
      return { plaintext: key.plaintext, id };
    }

    /** `count` chat calls with `apiKey`, on the workers in turn; the lanes still reach their workers after. */
    async function alternating(apiKey: string, count: number): Promise<Outcome[]> {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < count; i++) outcomes.push(await call((lanes[i % 2] as WorkerLane).client(apiKey)));
      await expectLanesPinned();
      return outcomes;
    }

    /** The lanes still reach the workers they reached when opened (a reconnect could have moved one). */
    async function expectLanesPinned() {
      for (const lane of lanes) expect((await lane.whoAnswers()).pid).toBe(lane.pid);
    }

    it('serves one port from two worker processes, children of the router process', async () => {
      const primary = stack.router.child.pid as number;
      const pids = lanes.map((lane) => lane.pid);
      expect(new Set(pids).size).toBe(2);
      expect(lanes.map((lane) => lane.worker).sort()).toEqual([0, 1]);
      for (const pid of pids) {
        expect(pid).not.toBe(primary);
        expect(await parentPid(pid)).toBe(primary);
      }
    });

    it('stores exactly one usage row per request answered by either worker', async () => {
      const key = await keyOnEveryWorker();
      const outcomes = await alternating(key.plaintext, 10);
      expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill(200));
      const requestIds = outcomes.map((o) => o.requestId as string).sort();
      expect(new Set(requestIds).size).toBe(10);
      const rows = await waitFor(
        'ten usage rows',
        async () => {
          const found = await stack.prisma.usageEvent.findMany({ where: { keyId: key.id } });
          return found.length >= 10 ? found : null;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(rows.map((row) => row.requestId).sort()).toEqual(requestIds);
    });

    it('holds an RPM limit across workers: the request over it is 429 on either worker', async () => {
      const key = await keyOnEveryWorker(4);
      const [a, b] = lanes.map((lane) => lane.client(key.plaintext)) as [OpenAI, OpenAI];
      const within = [await call(a), await call(b), await call(a), await call(b)];
      expect(within.map((o) => o.status)).toEqual([200, 200, 200, 200]);
      // Per-worker counters would allow four on each.
      expect((await call(a)).status).toBe(429);
      expect((await call(b)).status).toBe(429);
      await expectLanesPinned();
    });

    it('stops a revoked key on every worker', async () => {
      const key = await keyOnEveryWorker();
      await stack.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
      for (const lane of lanes) {
        await waitFor(`worker ${lane.worker} to refuse the revoked key`, async () => {
          const res = await lane.get('/v1/models', { authorization: `Bearer ${key.plaintext}` });
          return res.status === 401 && res.text.includes('revoked_api_key');
        });
      }
    });

    it('serves /metrics as every worker counted, whichever worker a scrape reaches', async () => {
      const key = await keyOnEveryWorker();
      const before = await Promise.all(lanes.map((lane) => requestsTotal(lane)));
      expect(before[0]).toBe(before[1]);
      expect((await alternating(key.plaintext, 6)).map((o) => o.status)).toEqual(Array(6).fill(200));
      const after = await Promise.all(lanes.map((lane) => requestsTotal(lane)));
      expect(after).toEqual([(before[0] as number) + 6, (before[0] as number) + 6]);
    });

    /** Three answered requests on `lane` whose usage is not in the database yet (the flush interval is long). */
    async function unwrittenUsage(lane: WorkerLane) {
      const key = await keyOnEveryWorker();
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 3; i++) outcomes.push(await call(lane.client(key.plaintext)));
      expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
      expect((await lane.whoAnswers()).pid).toBe(lane.pid);
      expect(await stack.prisma.usageEvent.count({ where: { keyId: key.id } })).toBe(0);
      return { keyId: key.id, requestIds: outcomes.map((o) => o.requestId as string).sort() };
    }

    /** SIGKILLs the worker behind `lane` and waits until the primary has replaced it (and logged why). */
    async function killWorker(lane: WorkerLane) {
      const backs = () => stack.router.output().match(/router worker is back/g)?.length ?? 0;
      const before = backs();
      process.kill(lane.pid, 'SIGKILL');
      await waitFor(`a new worker in slot ${lane.worker}`, () => backs() > before, {
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      const exits = stack.router.output().match(/\{[^\n]*router worker exited; starting a new one[^\n]*\}/g);
      expect(JSON.parse(exits?.at(-1) as string)).toMatchObject({
        worker: lane.worker,
        pid: lane.pid,
        signal: 'SIGKILL',
      });
    }

    async function storedRequestIds(keyId: string, count: number) {
      const rows = await waitFor(
        `${count} usage rows`,
        async () => {
          const found = await stack.prisma.usageEvent.findMany({ where: { keyId } });
          return found.length >= count ? found : null;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      return rows.map((row) => row.requestId).sort();
    }

    it('replaces a worker that dies; its replacement stores the usage it had not written', async () => {
      // A flush interval longer than the test: rows reach the database only through the dead worker's journal.
      await Promise.all(lanes.map((lane) => lane.close()));
      // (And /metrics on a port of its own from here on: the primary serves it.)
      await stack.restartRouter({ USAGE_FLUSH_MS: '600000', ROUTER_METRICS_PORT: '0' });
      lanes = await laneToEachWorker(stack.routerUrl, 2);
      const [first, second] = [0, 1].map((slot) => lanes.find((lane) => lane.worker === slot)) as [
        WorkerLane,
        WorkerLane,
      ];

      // Both workers hold a journal being written when the second dies.
      const early = await unwrittenUsage(first);
      const lost = await unwrittenUsage(second);
      await killWorker(second);
      expect(await storedRequestIds(lost.keyId, 3)).toEqual(lost.requestIds);

      // The replacement took only its own slot's journal: the first worker goes on appending to its own, and
      // what it holds is stored when it dies in turn (had the replacement taken that journal over, the appends
      // after it would have gone to a file nobody replays).
      const later = await unwrittenUsage(first);
      await killWorker(first);
      expect(await storedRequestIds(early.keyId, 3)).toEqual(early.requestIds);
      expect(await storedRequestIds(later.keyId, 3)).toEqual(later.requestIds);

      await Promise.all(lanes.map((lane) => lane.close()));
      lanes = await laneToEachWorker(stack.routerUrl, 2);
      expect(lanes.map((lane) => lane.pid)).not.toContain(first.pid);
      expect(lanes.map((lane) => lane.pid)).not.toContain(second.pid);
      expect(lanes.map((lane) => lane.worker).sort()).toEqual([0, 1]);
    }, 180_000);

    it('serves ROUTER_METRICS_PORT from the primary, counting every worker', async () => {
      const scrapeUrl = stack.router
        .output()
        .match(/"scrapeUrl":"([^"]+)"/g)
        ?.at(-1)
        ?.slice(13, -1) as string;
      const total = async () => sumRequests(await (await fetch(scrapeUrl)).text());
      const key = await keyOnEveryWorker();
      const before = await total();
      for (const lane of lanes) expect((await call(lane.client(key.plaintext))).status).toBe(200);
      await expectLanesPinned();
      expect(await total()).toBe(before + 2);
      // Not on the router port any more, on either worker.
      for (const lane of lanes) expect((await lane.get('/metrics')).status).toBe(404);
    });

    it('on SIGTERM stops every worker after storing their usage, and exits 0', async () => {
      // Still the long flush interval: the rows below are stored by the workers' shutdown, not by a timer.
      const key = await keyOnEveryWorker();
      const outcomes = await alternating(key.plaintext, 4);
      expect(await stack.prisma.usageEvent.count({ where: { keyId: key.id } })).toBe(0);
      const workerPids = lanes.map((lane) => lane.pid);
      await Promise.all(lanes.map((lane) => lane.close()));
      lanes = [];
      expect(await stack.router.stop('SIGTERM')).toBe(0);
      const rows = await stack.prisma.usageEvent.findMany({ where: { keyId: key.id } });
      expect(rows.map((row) => row.requestId).sort()).toEqual(outcomes.map((o) => o.requestId).sort());
      for (const pid of workerPids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
      expect(stack.router.output()).toMatch(/"workers":2,"msg":"stopped"/);
    });

    it('stops its workers, their usage stored, when the primary itself is killed', async () => {
      await stack.restartRouter({ USAGE_FLUSH_MS: '600000' });
      lanes = await laneToEachWorker(stack.routerUrl, 2);
      const key = await keyOnEveryWorker();
      const outcomes = await alternating(key.plaintext, 4);
      const workerPids = lanes.map((lane) => lane.pid);
      await Promise.all(lanes.map((lane) => lane.close()));
      lanes = [];
      await stack.router.stop('SIGKILL');
      // Orphans would hold their pools and never be restarted: each sees its IPC channel close and shuts down.
      await waitFor(
        'the orphaned workers to exit',
        async () => !(await Promise.all(workerPids.map(isRunning))).some(Boolean),
        {
          timeoutMs: 30_000,
          intervalMs: 100,
        },
      );
      const rows = await stack.prisma.usageEvent.findMany({ where: { keyId: key.id } });
      expect(rows.map((row) => row.requestId).sort()).toEqual(outcomes.map((o) => o.requestId).sort());
    }, 150_000);
  },
);

/** The sum of switchyard_requests_total in a scrape on this lane's connection (so, on one worker). */
async function requestsTotal(lane: WorkerLane): Promise<number> {
  const { status, text } = await lane.get('/metrics');
  expect(status).toBe(200);
  return sumRequests(text);
}

function sumRequests(text: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('switchyard_requests_total{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
