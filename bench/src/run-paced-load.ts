import { Pool } from 'undici';
import type { HttpTarget, PacedSlice, PacedTask, RequestCounts } from './load-task';
import { runOnSchedule } from './run-on-schedule';

/** A keep-alive pool to the target's origin plus the request's path, shared by the open-loop generators. */
export function openPool(target: HttpTarget, connections: number): { pool: Pool; path: string } {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  return { pool, path: `${url.pathname}${url.search}` };
}

export function emptyCounts(): RequestCounts {
  return { sent: 0, ok: 0, non2xx: 0, errors: 0, statuses: {}, firstError: null };
}

/**
 * Starts `rate × durationS` requests on a fixed schedule (open loop, like wrk2): a slow answer does not
 * delay the next request, so queueing shows up as latency instead of as a lower rate. Latency runs from
 * just before the request is handed to the pool to the last byte of the body, with the microsecond
 * resolution of `performance.now()`. Waits for every request to finish, so counts are exact.
 */
export async function runPacedLoad(task: PacedTask): Promise<PacedSlice> {
  const { target, rate, durationS } = task;
  const { pool, path } = openPool(target, task.connections);
  const total = Math.max(1, Math.round(rate * durationS));
  const intervalMs = 1000 / rate;
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  let okCount = 0;
  const counts = emptyCounts();

  const fire = async (index: number, dueAt: number): Promise<void> => {
    const startedAt = performance.now();
    lags[index] = startedAt - dueAt;
    counts.sent++;
    try {
      const response = await pool.request({
        method: 'POST',
        path,
        headers: target.headers,
        body: target.body,
      });
      for await (const _chunk of response.body) {
        // Read to the end: latency includes the whole body, as a client sees it.
      }
      const finishedAt = performance.now();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        latencies[okCount++] = finishedAt - startedAt;
        counts.ok++;
      } else {
        counts.non2xx++;
        counts.statuses[response.statusCode] = (counts.statuses[response.statusCode] ?? 0) + 1;
      }
    } catch (error) {
      counts.errors++;
      counts.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  };

  const startedAt = await runOnSchedule(total, intervalMs, fire);
  const elapsedS = (performance.now() - startedAt) / 1000;
  await pool.close();

  return {
    kind: 'paced',
    ...counts,
    elapsedS,
    latencyMs: Array.from(latencies.subarray(0, okCount)),
    lagMs: Array.from(lags),
  };
}
