import type { LatencySummary } from './latency-summary';

/** One HTTP request the load generators repeat: full URL, headers and a small JSON body. */
export interface HttpTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Open loop: requests start on a fixed schedule, whatever the previous ones are doing. */
export interface PacedTask {
  kind: 'paced';
  target: HttpTarget;
  rate: number;
  durationS: number;
  connections: number;
  /** BENCH_TRACE_REQUESTS: number every request and write its times; absent, the generator does neither. */
  trace?: PacedTrace;
}

/** The bench's parts whose fixed-rate slices are traced, as a slice's header names them. */
export type TracedPart = 'warm-up' | 'rates' | 'floor' | 'tiered' | 'translated';
/** Who answered a traced slice: the mock itself, the router or the bare proxy. */
export type TracedTarget = 'direct' | 'router' | 'bare';

/** What a traced slice was, written as its header line so the summary can leave warm-ups and other parts out. */
export interface TracedSliceLabel {
  part: TracedPart;
  target: TracedTarget;
  rate: number;
  layout: string;
}

/** Where a traced slice's requests go (see request-tracer.ts and summarize-request-trace.ts). */
export interface PacedTrace {
  /** Appended to after the slice: a `# slice {label}` line, then `seq send headers done status` per request. */
  file: string;
  /** The slice's first request number (`x-bench-seq`); the others follow in schedule order. */
  firstSeq: number;
  label: TracedSliceLabel;
}

/** Open loop with streamed responses: time to response headers and to the first body chunk. */
export interface StreamTtfbTask {
  kind: 'stream-ttfb';
  target: HttpTarget;
  rate: number;
  durationS: number;
  connections: number;
}

/** A probe, not load: one byte to an echo server and back, `samples` times, `gapMs` apart (run-round-trips.ts). */
export interface RoundTripTask {
  kind: 'round-trip';
  port: number;
  samples: number;
  gapMs: number;
}

export type ClosedLoopTool = 'autocannon' | 'wrk';

/** Closed loop: `connections` clients each send the next request as soon as the last one answered. */
export interface ClosedLoopTask {
  kind: 'closed';
  tool: ClosedLoopTool;
  target: HttpTarget;
  connections: number;
  durationS: number;
}

export type LoadTask = PacedTask | StreamTtfbTask | ClosedLoopTask;

/** Counts every generator reports; `ok` is 2xx with a fully read body. */
export interface RequestCounts {
  sent: number;
  ok: number;
  non2xx: number;
  /** Transport errors and timeouts. */
  errors: number;
  /** Status codes other than 2xx, with how often each came back. */
  statuses: Record<string, number>;
  /** First error message seen, to make a failure readable. */
  firstError: string | null;
}

/**
 * What the generator returns for one slice of a run: counts and every sample (ms), so the bench can
 * interleave direct and router slices and still compute exact percentiles over the whole run.
 */
export interface PacedSlice extends RequestCounts {
  kind: 'paced';
  elapsedS: number;
  /** Request start (just before it is written) to the last byte of the body, 2xx only. */
  latencyMs: number[];
  /** How late each request started against the schedule; large values mean the generator was starved. */
  lagMs: number[];
}

export interface StreamTtfbSlice extends RequestCounts {
  kind: 'stream-ttfb';
  elapsedS: number;
  headersMs: number[];
  /** Request start to the first body chunk (the first SSE event). */
  firstChunkMs: number[];
  totalMs: number[];
}

export interface ClosedLoopSlice extends RequestCounts {
  kind: 'closed';
  tool: ClosedLoopTool;
  connections: number;
  durationS: number;
  /** The tool's own percentiles (autocannon: whole milliseconds). */
  p50Ms: number;
  p99Ms: number;
}

export interface RoundTripSlice {
  kind: 'round-trip';
  rttMs: number[];
}

export type LoadSlice = PacedSlice | StreamTtfbSlice | ClosedLoopSlice;

/** What the load-generator child runs: load, or the round-trip probe. */
export type WorkerTask = LoadTask | RoundTripTask;
export type WorkerResult = LoadSlice | RoundTripSlice;

/** A fixed-rate run, all slices merged. */
export interface PacedResult extends RequestCounts {
  kind: 'paced';
  rate: number;
  durationS: number;
  slices: number;
  achievedRate: number;
  latencyMs: LatencySummary;
  lagMs: LatencySummary;
}

export interface StreamTtfbResult extends RequestCounts {
  kind: 'stream-ttfb';
  rate: number;
  durationS: number;
  slices: number;
  headersMs: LatencySummary;
  firstChunkMs: LatencySummary;
  totalMs: LatencySummary;
}

export interface ClosedLoopResult extends RequestCounts {
  kind: 'closed';
  tool: ClosedLoopTool;
  connections: number;
  durationS: number;
  slices: number;
  /** 2xx responses per second over all slices. */
  reqPerSec: number;
  /** Median over slices of the tool's own p50 and p99 (autocannon: whole milliseconds). */
  p50Ms: number;
  p99Ms: number;
}

export type LoadResult = PacedResult | StreamTtfbResult | ClosedLoopResult;

/** Messages between the bench process and its load-generator child. */
export type WorkerRequest = { id: number; task: WorkerTask };
export type WorkerReply = { id: number; result: WorkerResult } | { id: number; error: string };
