import { appendFile } from 'node:fs/promises';
import { Pool } from 'undici';
import type { HttpTarget, PacedSlice, PacedTask, PacedTrace, RequestCounts } from './load-task';
import { runOnSchedule } from './run-on-schedule';

/** A keep-alive pool to the target's origin plus the request's path, shared by the open-loop generators. */
export function openPool(target: HttpTarget, connections: number): { pool: Pool; path: string } {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  return { pool, path: `${url.pathname}${url.search}` };
}

/** How many requests a paced task sends; the bench numbers traced slices by it. */
export function pacedRequestCount(task: Pick<PacedTask, 'rate' | 'durationS'>): number {
  return Math.max(1, Math.round(task.rate * task.durationS));
}

/**
 * performance.now() plus this is CLOCK_MONOTONIC in ms (both read uv_hrtime), the clock request-trace-preload.cjs
 * stamps the router's side with.
 */
const MONOTONIC_OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Per request of a traced slice: when it was sent, its headers came, its body ended (ms), and its status. */
interface TraceRows {
  sent: Float64Array;
  headers: Float64Array;
  done: Float64Array;
  status: Float64Array;
}

function traceRows(total: number): TraceRows {
  const rows = () => new Float64Array(total).fill(Number.NaN);
  return { sent: rows(), headers: rows(), done: rows(), status: new Float64Array(total) };
}

/** Appends the slice's header line and one line per request (status 0: a transport error). */
async function writeTrace(trace: PacedTrace, rows: TraceRows): Promise<void> {
  const ms = (value: number) => (value + MONOTONIC_OFFSET_MS).toFixed(4);
  const lines = [`# slice ${JSON.stringify(trace.label)}`];
  for (let i = 0; i < rows.sent.length; i++)
    lines.push(
      `${trace.firstSeq + i} ${ms(rows.sent[i] as number)} ${ms(rows.headers[i] as number)} ${ms(rows.done[i] as number)} ${rows.status[i]}`,
    );
  await appendFile(trace.file, `${lines.join('\n')}\n`);
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
  const { target, rate } = task;
  const { pool, path } = openPool(target, task.connections);
  const total = pacedRequestCount(task);
  const intervalMs = 1000 / rate;
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  let okCount = 0;
  const counts = emptyCounts();
  const { trace } = task;
  const rows = trace ? traceRows(total) : null;

  const fire = async (index: number, dueAt: number): Promise<void> => {
    const startedAt = performance.now();
    lags[index] = startedAt - dueAt;
    if (rows) rows.sent[index] = startedAt;
    counts.sent++;
    try {
      const response = await pool.request({
        method: 'POST',
        path,
        headers: trace
          ? { ...target.headers, 'x-bench-seq': String(trace.firstSeq + index) }
          : target.headers,
        body: target.body,
      });
      if (rows) rows.headers[index] = performance.now();
      for await (const _chunk of response.body) {
        // Read to the end: latency includes the whole body, as a client sees it.
      }
      const finishedAt = performance.now();
      if (rows) {
        rows.done[index] = finishedAt;
        rows.status[index] = response.statusCode;
      }
      if (response.statusCode >= 200 && response.statusCode < 300) {
        latencies[okCount++] = finishedAt - startedAt;
        counts.ok++;
      } else {
        counts.non2xx++;
        counts.statuses[response.statusCode] = (counts.statuses[response.statusCode] ?? 0) + 1;
      }
    } catch (error) {
      if (rows) rows.done[index] = performance.now();
      counts.errors++;
      counts.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  };

  const startedAt = await runOnSchedule(total, intervalMs, fire);
  const elapsedS = (performance.now() - startedAt) / 1000;
  await pool.close();
  if (trace && rows) await writeTrace(trace, rows);

  return {
    kind: 'paced',
    ...counts,
    elapsedS,
    latencyMs: Array.from(latencies.subarray(0, okCount)),
    lagMs: Array.from(lags),
  };
}
