import { latencySummary } from './latency-summary';
import type {
  ClosedLoopResult,
  ClosedLoopSlice,
  PacedResult,
  PacedSlice,
  RequestCounts,
  StreamTtfbResult,
  StreamTtfbSlice,
} from './load-task';

function sumCounts(slices: RequestCounts[]): RequestCounts {
  const total: RequestCounts = { sent: 0, ok: 0, non2xx: 0, errors: 0, statuses: {}, firstError: null };
  for (const slice of slices) {
    total.sent += slice.sent;
    total.ok += slice.ok;
    total.non2xx += slice.non2xx;
    total.errors += slice.errors;
    for (const [status, n] of Object.entries(slice.statuses))
      total.statuses[status] = (total.statuses[status] ?? 0) + n;
    total.firstError ??= slice.firstError;
  }
  return total;
}

const concat = (parts: number[][]) => parts.flat();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

/** One fixed-rate run from its slices: percentiles over every sample of every slice. */
export function mergePaced(slices: PacedSlice[], rate: number, durationS: number): PacedResult {
  const elapsedS = slices.reduce((sum, s) => sum + s.elapsedS, 0);
  const counts = sumCounts(slices);
  return {
    kind: 'paced',
    ...counts,
    rate,
    durationS,
    slices: slices.length,
    achievedRate: counts.sent / elapsedS,
    latencyMs: latencySummary(concat(slices.map((s) => s.latencyMs))),
    lagMs: latencySummary(concat(slices.map((s) => s.lagMs))),
  };
}

export function mergeStreamTtfb(
  slices: StreamTtfbSlice[],
  rate: number,
  durationS: number,
): StreamTtfbResult {
  return {
    kind: 'stream-ttfb',
    ...sumCounts(slices),
    rate,
    durationS,
    slices: slices.length,
    headersMs: latencySummary(concat(slices.map((s) => s.headersMs))),
    firstChunkMs: latencySummary(concat(slices.map((s) => s.firstChunkMs))),
    totalMs: latencySummary(concat(slices.map((s) => s.totalMs))),
  };
}

/** Closed-loop slices: throughput over the summed time; the tool's percentiles as the median over slices. */
export function mergeClosedLoop(slices: ClosedLoopSlice[]): ClosedLoopResult {
  const first = slices[0] as ClosedLoopSlice;
  const durationS = slices.reduce((sum, s) => sum + s.durationS, 0);
  const counts = sumCounts(slices);
  return {
    kind: 'closed',
    ...counts,
    tool: first.tool,
    connections: first.connections,
    durationS,
    slices: slices.length,
    reqPerSec: counts.ok / durationS,
    p50Ms: median(slices.map((s) => s.p50Ms)),
    p99Ms: median(slices.map((s) => s.p99Ms)),
  };
}
