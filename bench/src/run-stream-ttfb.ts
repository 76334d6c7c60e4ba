import type { StreamTtfbSlice, StreamTtfbTask } from './load-task';
import { runOnSchedule } from './run-on-schedule';
import { emptyCounts, openPool } from './run-paced-load';

/**
 * Streamed completions at a modest fixed rate (open loop). For each one: time to the response headers,
 * to the first body chunk (the first SSE event, what a user perceives as "it started answering"), and to
 * the end of the stream. autocannon cannot see inside a response, hence this client.
 */
export async function runStreamTtfb(task: StreamTtfbTask): Promise<StreamTtfbSlice> {
  const { target, rate, durationS } = task;
  const { pool, path } = openPool(target, task.connections);
  const total = Math.max(1, Math.round(rate * durationS));
  const intervalMs = 1000 / rate;
  const headers: number[] = [];
  const firstChunk: number[] = [];
  const whole: number[] = [];
  const counts = emptyCounts();

  const fire = async (): Promise<void> => {
    const startedAt = performance.now();
    counts.sent++;
    try {
      const response = await pool.request({
        method: 'POST',
        path,
        headers: target.headers,
        body: target.body,
      });
      const headersAt = performance.now();
      let firstAt: number | null = null;
      for await (const _chunk of response.body) {
        firstAt ??= performance.now();
      }
      const endAt = performance.now();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        counts.non2xx++;
        counts.statuses[response.statusCode] = (counts.statuses[response.statusCode] ?? 0) + 1;
        return;
      }
      if (firstAt === null) {
        counts.errors++;
        counts.firstError ??= 'stream ended without a body chunk';
        return;
      }
      counts.ok++;
      headers.push(headersAt - startedAt);
      firstChunk.push(firstAt - startedAt);
      whole.push(endAt - startedAt);
    } catch (error) {
      counts.errors++;
      counts.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  };

  const startedAt = await runOnSchedule(total, intervalMs, fire);
  const elapsedS = (performance.now() - startedAt) / 1000;
  await pool.close();

  return {
    kind: 'stream-ttfb',
    ...counts,
    elapsedS,
    headersMs: headers,
    firstChunkMs: firstChunk,
    totalMs: whole,
  };
}
