import { startStack } from '@switchyard/testkit';
import type { ClosedLoopResult, ClosedLoopSlice, ClosedLoopTool, HttpTarget } from './load-task';
import type { LoadWorker } from './load-worker';
import { mergeClosedLoop } from './merge-slices';

/** Max throughput of the router with ROUTER_WORKERS=1 and =2 (issue 15), or why it was not measured. */
export interface WorkersLine {
  /** Set when the line was not measured (more than one worker needs REDIS_URL). */
  skipped: string | null;
  runs: { workers: number; result: ClosedLoopResult }[];
}

export interface MeasureWorkersOptions {
  pgServerUrl: string;
  redisUrl: string | undefined;
  load: LoadWorker;
  tool: ClosedLoopTool;
  connections: number;
  durationS: number;
  warmupS: number;
  log: (line: string) => void;
}

/**
 * Closed-loop max req/s through a router of one worker and one of two, each its own stack (database, mock,
 * router) started unpinned, both with REDIS_URL so the only difference is the worker count. On a 2-core machine
 * the second worker competes with the mock, the load generator and PostgreSQL for the same cores: the line shows
 * what ROUTER_WORKERS buys there, not what it buys with cores to spare.
 */
export async function measureWorkers(options: MeasureWorkersOptions): Promise<WorkersLine> {
  const { redisUrl, load, log } = options;
  if (!redisUrl) {
    const skipped = 'needs REDIS_URL (ROUTER_WORKERS above 1 requires it)';
    log(`workers line skipped: ${skipped}`);
    return { skipped, runs: [] };
  }
  const runs: WorkersLine['runs'] = [];
  for (const workers of [1, 2]) {
    log(`workers: starting a router with ROUTER_WORKERS=${workers} …`);
    const stack = await startStack(options.pgServerUrl, {
      ROUTER_WORKERS: String(workers),
      REDIS_URL: redisUrl,
      USAGE_FLUSH_MS: '200',
    });
    try {
      const target: HttpTarget = {
        url: `${stack.routerUrl}/v1/chat/completions`,
        headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat-small', messages: [{ role: 'user', content: 'Say hi.' }] }),
      };
      const closed = (durationS: number) =>
        load.run<ClosedLoopSlice>({
          kind: 'closed',
          tool: options.tool,
          target,
          connections: options.connections,
          durationS,
        });
      log(`workers: ROUTER_WORKERS=${workers} warm-up, ${options.warmupS} s`);
      await closed(options.warmupS);
      log(
        `workers: ROUTER_WORKERS=${workers} closed loop ${options.connections} connections (${options.tool}), ${options.durationS} s`,
      );
      const result = mergeClosedLoop([await closed(options.durationS)]);
      if (result.non2xx + result.errors > 0) {
        throw new Error(
          `ROUTER_WORKERS=${workers}: ${result.non2xx} non-2xx ${JSON.stringify(result.statuses)}, ${result.errors} errors (${result.firstError ?? ''})`,
        );
      }
      runs.push({ workers, result });
    } finally {
      await stack.stop();
    }
  }
  return { skipped: null, runs };
}

/** One line for the report's notes. */
export function renderWorkersLine(line: WorkersLine): string {
  if (line.skipped !== null) return `max throughput by ROUTER_WORKERS: not measured (${line.skipped})`;
  const [one, two] = line.runs;
  const figures = line.runs
    .map(
      ({ workers, result }) =>
        `${workers}: ${Math.round(result.reqPerSec)} req/s (p50/p99 ${result.p50Ms}/${result.p99Ms} ms)`,
    )
    .join(', ');
  const gain =
    one && two
      ? `; 2 workers = ${((100 * two.result.reqPerSec) / one.result.reqPerSec).toFixed(0)}% of 1`
      : '';
  const conns = one ? `${one.result.connections} conns, ${one.result.tool}, unpinned` : '';
  return `max throughput by ROUTER_WORKERS (${conns}): ${figures}${gain}`;
}
