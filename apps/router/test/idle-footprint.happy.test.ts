import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack';

/**
 * Issue 15, footprint: the compiled router, started by its `start` script (its Node flags), once its snapshot is
 * ready and it has idled 2 s, before any request. RSS is memory, not timing, so it can be held here.
 *
 * Measured 94–95 MiB in all (RssAnon 48.5–50 MiB; the rest is the node binary's file pages) on a quiet host,
 * 2026-12-06; the tree before issue 15's footprint work measured 227.5 (anonymous 180.9) here. In the full CI run,
 * with other test files' stacks starting beside it on the two cores, the same tree measured 105.9 (anonymous 60.4):
 * young-generation growth and malloc arenas depend on what else runs. So this test holds regression bounds that
 * stay clear of that noise, and the goal itself (idle ≤ 100 MiB) is judged by `npm run bench` on a quiet
 * host (docs/benchmarks.md, "Idle footprint"). What the bounds catch, from the same measurements: Prisma's query
 * compiler back in the router (+100 MiB); the token-count thread started eagerly (asserted directly below); the
 * packages a router without tracing or Redis never calls loaded again (+15–20: below these bounds; the bench's idle line shows it).
 */
const IDLE_MS = 2_000;
/** Regression bound on total RSS (the goal, 100 MiB, is the bench's line). */
const MAX_RSS_MIB = 120;
/** Anonymous memory only (heaps, malloc, stacks): independent of how big this machine's node binary is. */
const MAX_ANON_MIB = 75;
/** The request thread's wake-ups a second at idle: 100.5 measured with the metrics' 10 ms event-loop sampling, 12.0 at 100 ms. */
const MAX_IDLE_WAKEUPS_PER_S = 50;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

function statusMiB(pid: number, field: 'VmRSS' | 'RssAnon'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} for pid ${pid}`);
  return Number(kb) / 1024;
}

describe('the compiled router at idle', () => {
  it('stays within the issue’s idle RSS, with no token-count thread until a usage estimate needs one', async () => {
    const pid = stack.router.child.pid as number;
    // The idle period is what is measured, not a wait for something to happen.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const rss = statusMiB(pid, 'VmRSS');
    const anon = statusMiB(pid, 'RssAnon');
    console.log(`router idle RSS ${rss.toFixed(1)} MiB (anonymous ${anon.toFixed(1)} MiB)`);

    expect(anon).toBeLessThanOrEqual(MAX_ANON_MIB);
    expect(rss).toBeLessThanOrEqual(MAX_RSS_MIB);
    const ready = (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as {
      usageCounter: { running: boolean; starts: number };
    };
    expect(ready.usageCounter).toEqual({ running: false, starts: 0 });
  });

  it('lets its request thread sleep: few wake-ups a second with no traffic', async () => {
    const pid = stack.router.child.pid as number;
    const before = voluntarySwitches(pid);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const perSecond = (voluntarySwitches(pid) - before) / (IDLE_MS / 1000);
    console.log(`router request thread idle: ${perSecond.toFixed(1)} wake-ups a second`);
    // Each is a sleep the thread came out of: its timers (usage flush, snapshot and connection checks, the event-loop
    // delay monitor behind the metrics). The monitor sampled every 10 ms (prom-client's default) woke it ~100 times a
    // second by itself, idle or between requests.
    expect(perSecond).toBeLessThanOrEqual(MAX_IDLE_WAKEUPS_PER_S);
  });
});

/** Voluntary context switches of the process's main thread (its request thread): each one a sleep it woke from. */
function voluntarySwitches(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1] ?? Number.NaN);
}
