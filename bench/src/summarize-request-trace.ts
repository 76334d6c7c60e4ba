import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { latencySummary } from './latency-summary';
import type { TracedPart, TracedSliceLabel, TracedTarget } from './load-task';

// Reads a BENCH_TRACE_REQUESTS directory: the generator's `client.<target>.txt` (run-paced-load.ts) and each traced
// process's `<pid>.trace` (request-trace-preload.cjs), all on CLOCK_MONOTONIC in ms, joined by request number.

/** The parts whose slices are measured at a fixed rate; warm-ups and the other parts are left out. */
const MEASURED_PARTS: ReadonlySet<TracedPart> = new Set(['rates', 'floor']);
/** The first seconds of each slice, told apart from the rest (V8 shrinks an idle process's young generation). */
const FIRST_MS = 3000;
/** A request sent this soon after the slice's previous one: the generator fell behind and caught up. */
const BURST_GAP_MS = 0.3;
const SLOW_HANDLER_MS = 1;
const SLOW_ARRIVAL_MS = 1;
const SLOW_CLIENT_MS = 0.5;

/** One request as the generator saw it (ms). */
interface ClientRequest {
  slice: ClientSlice;
  sent: number;
  done: number;
  status: number;
  /** Since the slice's previous request was sent; NaN for a slice's first. */
  gapMs: number;
}

interface ClientSlice {
  label: TracedSliceLabel;
  firstSeq: number;
  firstSent: number;
  lastDone: number;
}

/** A traced process's file: its numbered requests [seq, t0, end, finish] and GC pauses. */
interface ProcessTrace {
  pid: number;
  requests: [number, number, number, number][];
  gcPauses: { start: number; duration: number; kind: string }[];
}

/** One request through a traced process, in segments (ms) that add up to `total`. */
interface TracedRequest {
  /** Generator send → last body byte. */
  total: number;
  /** Send → the process's 'request' event: the generator, the kernel and the process's event loop before it. */
  arrival: number;
  /** 'request' → res.end: the process's own work and the upstream call. */
  handler: number;
  /** res.end → 'finish': the synchronous work after res.end until the answer is handed to the socket. */
  endToFinish: number;
  /** 'finish' → the generator read the last byte. */
  finishToClient: number;
  /** Since the slice's previous request was sent (NaN for a slice's first). */
  gapMs: number;
  sent: number;
  done: number;
  /** Since its slice's first request was sent. */
  sinceSliceStart: number;
}

/** Why one of the slowest requests was slow: the first of these that holds. */
export type SlowCause = 'burst' | 'handler' | 'arrival' | 'client' | 'other';

function classifySlowRequest(request: TracedRequest): SlowCause {
  if (request.gapMs < BURST_GAP_MS) return 'burst';
  if (request.handler > SLOW_HANDLER_MS) return 'handler';
  if (request.arrival > SLOW_ARRIVAL_MS) return 'arrival';
  if (request.finishToClient > SLOW_CLIENT_MS) return 'client';
  return 'other';
}

/** Mean of each segment over a band of requests (by total latency). */
export interface SegmentMeans {
  count: number;
  total: number;
  arrival: number;
  handler: number;
  endToFinish: number;
  finishToClient: number;
}

/** What one traced process did with the measured slices' requests. */
export interface ProcessTimeline {
  pid: number;
  target: TracedTarget;
  slices: number;
  requests: number;
  /** Numbered requests of the measured slices that were not answered 2xx or whose times are incomplete. */
  leftOut: number;
  p40to60: SegmentMeans;
  p95to99: SegmentMeans;
  slowest: SegmentMeans;
  slowestCauses: Record<SlowCause, number>;
  /** Slowest requests during which (send to last byte) the process paused for GC. */
  slowestInGc: number;
  p99First: { p99: number; count: number };
  p99Rest: { p99: number; count: number };
  scavengesPerS: { first: number; rest: number };
}

export interface RequestTraceSummary {
  rate: number;
  layout: string;
  processes: ProcessTimeline[];
}

function readClient(dir: string, files: string[]): Map<number, ClientRequest> {
  const requests = new Map<number, ClientRequest>();
  for (const file of files) {
    let slice: ClientSlice | null = null;
    let previousSent = Number.NaN;
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line.startsWith('# slice ')) {
        slice = {
          label: JSON.parse(line.slice('# slice '.length)) as TracedSliceLabel,
          firstSeq: Number.NaN,
          firstSent: Number.NaN,
          lastDone: Number.NEGATIVE_INFINITY,
        };
        previousSent = Number.NaN;
        continue;
      }
      if (line === '' || slice === null) continue;
      const [seq, sent, , done, status] = line.split(' ').map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      if (Number.isNaN(slice.firstSeq)) {
        slice.firstSeq = seq;
        slice.firstSent = sent;
      }
      slice.lastDone = Math.max(slice.lastDone, done);
      requests.set(seq, { slice, sent, done, status, gapMs: sent - previousSent });
      previousSent = sent;
    }
  }
  return requests;
}

function readProcess(dir: string, file: string): ProcessTrace {
  const trace: ProcessTrace = { pid: Number(file.split('.')[0]), requests: [], gcPauses: [] };
  for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(' ');
    if (fields[0] === 'gc')
      trace.gcPauses.push({
        start: Number(fields[1]),
        duration: Number(fields[2]),
        kind: fields[3] as string,
      });
    else trace.requests.push(fields.map(Number) as [number, number, number, number]);
  }
  return trace;
}

function means(band: TracedRequest[]): SegmentMeans {
  const mean = (pick: (r: TracedRequest) => number) =>
    band.length === 0 ? Number.NaN : band.reduce((sum, r) => sum + pick(r), 0) / band.length;
  return {
    count: band.length,
    total: mean((r) => r.total),
    arrival: mean((r) => r.arrival),
    handler: mean((r) => r.handler),
    endToFinish: mean((r) => r.endToFinish),
    finishToClient: mean((r) => r.finishToClient),
  };
}

/** The index `percent` % of the way into `n` sorted values (integer arithmetic: no 0.99 × n rounding surprises). */
const rank = (n: number, percent: number) => Math.floor((n * percent) / 100);

/** p99 as the bench's table takes it (latencySummary), with the count it came from. */
function p99Of(values: number[]): { p99: number; count: number } {
  const { p99, count } = latencySummary(values);
  return { p99, count };
}

function timeline(
  trace: ProcessTrace,
  client: Map<number, ClientRequest>,
  measured: (slice: ClientSlice) => boolean,
): ProcessTimeline | null {
  const joined: TracedRequest[] = [];
  const slices = new Set<ClientSlice>();
  let leftOut = 0;
  for (const [seq, t0, end, finish] of trace.requests) {
    const request = client.get(seq);
    if (!request || !measured(request.slice)) continue;
    slices.add(request.slice);
    const complete = [request.done, t0, end, finish].every(Number.isFinite);
    if (!complete || request.status < 200 || request.status >= 300) {
      leftOut++;
      continue;
    }
    joined.push({
      total: request.done - request.sent,
      arrival: t0 - request.sent,
      handler: end - t0,
      endToFinish: finish - end,
      finishToClient: request.done - finish,
      gapMs: request.gapMs,
      sent: request.sent,
      done: request.done,
      sinceSliceStart: request.sent - request.slice.firstSent,
    });
  }
  const [first] = slices;
  if (!first) return null;
  joined.sort((a, b) => a.total - b.total);
  const n = joined.length;
  const slowest = joined.slice(rank(n, 99));
  const slowestCauses: Record<SlowCause, number> = { burst: 0, handler: 0, arrival: 0, client: 0, other: 0 };
  for (const request of slowest) slowestCauses[classifySlowRequest(request)]++;
  const slowestInGc = slowest.filter((r) =>
    trace.gcPauses.some((gc) => gc.start < r.done && gc.start + gc.duration > r.sent),
  ).length;

  const scavenges = { first: 0, rest: 0, firstS: 0, restS: 0 };
  for (const slice of slices) {
    const split = slice.firstSent + FIRST_MS;
    scavenges.firstS += (Math.min(split, slice.lastDone) - slice.firstSent) / 1000;
    scavenges.restS += Math.max(0, slice.lastDone - split) / 1000;
    for (const gc of trace.gcPauses) {
      if (gc.kind !== 'minor' || gc.start < slice.firstSent || gc.start > slice.lastDone) continue;
      if (gc.start < split) scavenges.first++;
      else scavenges.rest++;
    }
  }
  return {
    pid: trace.pid,
    target: first.label.target,
    slices: slices.size,
    requests: n,
    leftOut,
    p40to60: means(joined.slice(rank(n, 40), rank(n, 60))),
    p95to99: means(joined.slice(rank(n, 95), rank(n, 99))),
    slowest: means(slowest),
    slowestCauses,
    slowestInGc,
    p99First: p99Of(joined.filter((r) => r.sinceSliceStart < FIRST_MS).map((r) => r.total)),
    p99Rest: p99Of(joined.filter((r) => r.sinceSliceStart >= FIRST_MS).map((r) => r.total)),
    scavengesPerS: {
      first: scavenges.first / scavenges.firstS,
      rest: scavenges.restS === 0 ? Number.NaN : scavenges.rest / scavenges.restS,
    },
  };
}

/**
 * Joins a trace directory and summarises each traced process over the measured fixed-rate slices (`rates` and
 * `floor`) of the first rate and layout measured; null when the directory holds no such slice.
 */
export function summarizeRequestTrace(dir: string): RequestTraceSummary | null {
  const files = readdirSync(dir);
  const client = readClient(
    dir,
    files.filter((file) => file.startsWith('client.') && file.endsWith('.txt')),
  );
  let first: ClientSlice | null = null;
  for (const { slice } of client.values())
    if (MEASURED_PARTS.has(slice.label.part) && (first === null || slice.firstSeq < first.firstSeq))
      first = slice;
  if (first === null) return null;
  const { rate, layout } = first.label;
  const measured = (slice: ClientSlice) =>
    MEASURED_PARTS.has(slice.label.part) && slice.label.rate === rate && slice.label.layout === layout;
  const processes = files
    .filter((file) => file.endsWith('.trace'))
    .map((file) => timeline(readProcess(dir, file), client, measured))
    .filter((traced): traced is ProcessTimeline => traced !== null)
    .sort((a, b) => a.target.localeCompare(b.target) || a.pid - b.pid);
  return { rate, layout, processes };
}

const CAUSE_NAMES: Record<SlowCause, string> = {
  burst: `generator burst (sent < ${BURST_GAP_MS} ms after the previous)`,
  handler: `handler > ${SLOW_HANDLER_MS} ms`,
  arrival: `arrival > ${SLOW_ARRIVAL_MS} ms`,
  client: `client > ${SLOW_CLIENT_MS} ms`,
  other: 'other',
};

export function formatRequestTraceSummary(summary: RequestTraceSummary | null): string {
  if (summary === null) return 'no measured fixed-rate slice in the trace directory';
  // NaN: nothing to measure (e.g. no request after the first 3 s of a short slice).
  const fixed = (value: number, digits: number) => (Number.isNaN(value) ? '—' : value.toFixed(digits));
  const ms = (value: number) => fixed(value, 3).padStart(12);
  const lines = [
    `request timeline over the measured fixed ${summary.rate} req/s slices (${summary.layout} layout; warm-ups and other parts left out), mean ms per segment:`,
  ];
  for (const p of summary.processes) {
    lines.push(
      `${p.target} (pid ${p.pid}): ${p.requests.toLocaleString('en-US')} requests in ${p.slices} slices` +
        (p.leftOut > 0 ? ` (${p.leftOut} not 2xx or incomplete, left out)` : ''),
      `  ${'band'.padEnd(18)}${['total', 'arrival', 'handler', 'end→finish', 'fin→client'].map((name) => name.padStart(12)).join('')}`,
    );
    for (const [name, band] of [
      ['p40–60', p.p40to60],
      ['p95–99', p.p95to99],
      ['slowest 1%', p.slowest],
    ] as const) {
      lines.push(
        `  ${`${name} (n=${band.count})`.padEnd(18)}${ms(band.total)}${ms(band.arrival)}${ms(band.handler)}${ms(band.endToFinish)}${ms(band.finishToClient)}`,
      );
    }
    const causes = (Object.keys(CAUSE_NAMES) as SlowCause[]).map(
      (cause) => `${CAUSE_NAMES[cause]} ${p.slowestCauses[cause]}`,
    );
    lines.push(
      `  slowest 1% by cause: ${causes.join(', ')}`,
      `  slowest 1% overlapping a GC pause of this process: ${p.slowestInGc}/${p.slowest.count}`,
      `  p99 first ${FIRST_MS / 1000} s of each slice ${fixed(p.p99First.p99, 3)} ms (n=${p.p99First.count}), rest ${fixed(p.p99Rest.p99, 3)} ms (n=${p.p99Rest.count})`,
      `  scavenges per second: first ${FIRST_MS / 1000} s of each slice ${fixed(p.scavengesPerS.first, 1)}, rest ${fixed(p.scavengesPerS.rest, 1)}`,
    );
  }
  if (summary.processes.length === 0) lines.push('no traced process served those slices');
  return lines.join('\n');
}

// `tsx src/summarize-request-trace.ts <dir>` summarises a trace directory (bench/results/traces/<time>).
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [dir] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: tsx src/summarize-request-trace.ts <trace dir>\n');
    process.exit(2);
  }
  process.stdout.write(`${formatRequestTraceSummary(summarizeRequestTrace(dir))}\n`);
}
