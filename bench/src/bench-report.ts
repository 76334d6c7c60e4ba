import { BENCH_PARTS, type BenchLayout } from './env';
import type { LatencySummary } from './latency-summary';
import type { ClosedLoopResult, PacedResult, StreamTtfbResult } from './load-task';
import type { SemiSpaceLine } from './measure-semi-spaces';
import type { TracingLine } from './measure-tracing';
import { renderWorkersLine, type WorkersLine } from './measure-workers';

/** One figure per process of the stack (CPU % of one core, or run-queue wait ms per second). */
export interface CpuShare {
  router: number | null;
  mock: number | null;
  load: number | null;
}

/** One measured run against one target. */
export interface Run<T> {
  target: 'direct' | 'router';
  result: T;
  /** CPU used during the run, % of one core. */
  cpu: CpuShare;
  /** ms per second each process was runnable but waiting for a CPU (/proc/<pid>/schedstat): contention. */
  runQueueWait: CpuShare;
  /** CPU µs each process spent per 2xx response of the run: the figure least disturbed by a busy machine. */
  cpuUsPerRequest: CpuShare;
  /** Peak router RSS during the run, MiB. */
  routerRssPeakMiB: number;
}

export interface Pair<T> {
  direct: Run<T>;
  router: Run<T>;
}

/** One budget line: the measured value, the limit, and whether it holds. */
export interface Check {
  name: string;
  measured: string;
  limit: string;
  pass: boolean | null;
}

export interface UsageCheck {
  /** 2xx answers the clients saw from the router, over every run including warm-up and sanity requests. */
  routerOk: number;
  /** Requests that may have reached the router without the client seeing the answer (closed-loop runs stop mid-flight). */
  inFlightAtStop: number;
  rowsByStatus: Record<string, number>;
  pass: boolean;
  detail: string;
}

/**
 * The floor: a bare node:http + undici passthrough (bench/src/bare-proxy.ts) on the router's core against the
 * direct mock, at the first fixed rate. Its Δ is what any Node proxy pays here; the router's Δ beyond it is its own.
 */
export interface Floor {
  rate: number;
  direct: PacedResult;
  bare: PacedResult;
  /**
   * True when the bare proxy ran in the first rate's own slices (D R B, B R D, …), against the same direct runs as
   * the router; false or absent when it had a run of its own after the rates (BENCH_PARTS without `rates`).
   */
  sameSlices?: boolean;
}

/** The fixed rates again in a further layout (BENCH_LAYOUTS after the first). */
export interface LayoutRates {
  layout: BenchLayout;
  /** Where each process ran, as the notes print it. */
  pinning: string;
  rates: (Pair<PacedResult> & { rate: number })[];
}

/** The stream TTFB line's floor: the same streamed completions through the bare proxy, in the router's slices. */
export interface StreamFloor {
  rate: number;
  direct: StreamTtfbResult;
  bare: StreamTtfbResult;
}

/**
 * How the bench pins processes (BENCH_LAYOUTS): `client-alone` = the load generator on its own CPUs, router and mock
 * sharing CPU 0; `router-alone` = the router alone on CPU 0, mock and load generator on the rest.
 */
export type PinLayout = 'client-alone' | 'router-alone';

/**
 * The round-trip probe (run-round-trips.ts): one byte from the load generator's core to an echo server on the
 * same core and on the router's, and back. What one crossing between cores costs on this machine, today.
 */
export interface RoundTrips {
  layout: PinLayout;
  samples: number;
  gapMs: number;
  sameCore: LatencySummary;
  otherCore: LatencySummary;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  wallS: number;
  machine: {
    node: string;
    cpus: number;
    cpuModel: string;
    pinning: string;
    /** 1-minute load average before the bench started anything; above ~0.5 other work was competing. */
    loadAvgAtStart: number;
  };
  options: Record<string, unknown>;
  /** The layout every part ran in (the first of BENCH_LAYOUTS); issue 15's goals are judged only in `default`. */
  layout: BenchLayout;
  rates: (Pair<PacedResult> & { rate: number })[];
  /** The fixed rates in each further layout of BENCH_LAYOUTS. */
  layouts: LayoutRates[];
  /** The young-generation trade-off (BENCH_SEMI_SPACES), null when not asked for. */
  semiSpaces: SemiSpaceLine[] | null;
  /** Null (as `tiered`, `ttfb` and `max`) when BENCH_PARTS left the run out. */
  floor: Floor | null;
  /** The stream TTFB floor (the bare proxy streaming); null when `stream` was left out. */
  streamFloor: StreamFloor | null;
  /** Null when nothing is pinned (the two placements cannot be told apart). */
  roundTrips: RoundTrips | null;
  /** The same fixed rate through a route with 3 tiers × 6 healthy targets (issue 3's routing bench case). */
  tiered: (Pair<PacedResult> & { rate: number }) | null;
  /** Anthropic Messages in, OpenAI chat upstream (issue 13's translated case); see {@link TranslatedLine}. */
  translated: TranslatedLine | null;
  ttfb: Pair<StreamTtfbResult> | null;
  max: Pair<ClosedLoopResult> | null;
  /** Tracing off and on against direct (BENCH_PARTS `tracing`); see {@link TracingLine}. */
  tracing: TracingLine | null;
  /** Max req/s with ROUTER_WORKERS 1 and 2 (issue 15); null when BENCH_PARTS left it out. */
  workers: WorkersLine | null;
  router: { pid: number; rssAtStartMiB: number; rssPeakMiB: number; hwmMiB: number | null };
  /** Non-2xx and transport errors, every run including warm-up. */
  failures: { direct: number; router: number; details: string[] };
  usage: UsageCheck;
  checks: Check[];
  pass: boolean;
  profile?: { file: string; summary: string };
}

/**
 * `POST /v1/messages` (Anthropic surface) through the router to the OpenAI-shaped mock, translated both ways,
 * against the same completion asked of the mock directly in OpenAI's shape. `skipped` says why it did not run
 * (the router answers 404 there until the Anthropic surface lands).
 */
export type TranslatedLine =
  | ({ rate: number; skipped: null } & Pair<PacedResult>)
  | { rate: number; skipped: string };

/** The budget the router is held to (see docs/benchmarks.md). */
export const BUDGET = {
  rate: 500,
  deltaP50Ms: 0.5,
  deltaP99Ms: 1.5,
  /** Anthropic surface → OpenAI upstream: translation both ways may add this much over direct (issue 13). */
  translatedDeltaP50Ms: 0.7,
  minRouterReqPerSec: 3_000,
} as const;

/**
 * Issue 15's footprint and tail goals, judged in the `default` layout (nothing pinned, PostgreSQL co-located) in
 * the same run: the router's Δp99 at most this multiple of the bare proxy's (the floor), stream TTFB (p50 first
 * chunk) at most the bare proxy's plus this, peak RSS at the higher rate and RSS before any request at most these.
 */
export const GOALS = {
  deltaP99VsFloor: 1.5,
  streamTtfbOverFloorMs: 0.2,
  peakRssRate: 1_000,
  peakRssMiB: 150,
  idleRssMiB: 100,
} as const;

/** The name of the translated line's budget check. */
export const TRANSLATED_CHECK = `Δp50 Anthropic surface → OpenAI upstream @ ${BUDGET.rate} req/s`;

/** The translated line's budget check: Δp50 against the direct OpenAI-shaped call, or why it did not run. */
export function translatedCheck(line: TranslatedLine): Check {
  if (line.skipped !== null) {
    return { name: TRANSLATED_CHECK, measured: `skipped: ${line.skipped}`, limit: '', pass: null };
  }
  const d50 = line.router.result.latencyMs.p50 - line.direct.result.latencyMs.p50;
  return {
    name: TRANSLATED_CHECK,
    measured: `${signedMs(d50)} ms`,
    limit: `≤ ${BUDGET.translatedDeltaP50Ms} ms`,
    pass: d50 <= BUDGET.translatedDeltaP50Ms,
  };
}

/** The translated line alone, for `BENCH_ONLY=translated`. */
export function renderTranslatedLine(line: TranslatedLine): string {
  const check = translatedCheck(line);
  if (line.skipped !== null) return `Anthropic surface → OpenAI upstream (translated): ${check.measured}`;
  const figures = (['p50', 'p99'] as const).map(
    (q) =>
      `${q} direct ${ms(line.direct.result.latencyMs[q])} / router ${ms(line.router.result.latencyMs[q])} ms`,
  );
  return (
    `Anthropic surface → OpenAI upstream (translated) @ ${line.rate} req/s: ${figures.join('; ')}; ` +
    `${check.name} ${check.measured} (budget ${check.limit}) ${mark(check.pass)}; ` +
    `achieved ${line.router.result.achievedRate.toFixed(0)} req/s, ${line.router.result.non2xx} non-2xx`
  );
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');
const signedMs = (value: number) =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}` : 'n/a';
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const mark = (pass: boolean | null) => (pass === null ? '' : pass ? 'PASS' : 'FAIL');

/** The budget lines, from the measurements. */
export function evaluateChecks(report: Omit<BenchReport, 'checks' | 'pass'>): Check[] {
  const checks: Check[] = [];
  const atBudgetRate = report.rates.find((r) => r.rate === BUDGET.rate);
  if (atBudgetRate) {
    const d50 = atBudgetRate.router.result.latencyMs.p50 - atBudgetRate.direct.result.latencyMs.p50;
    const d99 = atBudgetRate.router.result.latencyMs.p99 - atBudgetRate.direct.result.latencyMs.p99;
    checks.push({
      name: `Δp50 @ ${BUDGET.rate} req/s`,
      measured: `${signedMs(d50)} ms`,
      limit: `≤ ${BUDGET.deltaP50Ms} ms`,
      pass: d50 <= BUDGET.deltaP50Ms,
    });
    checks.push({
      name: `Δp99 @ ${BUDGET.rate} req/s`,
      measured: `${signedMs(d99)} ms`,
      limit: `≤ ${BUDGET.deltaP99Ms} ms`,
      pass: d99 <= BUDGET.deltaP99Ms,
    });
  } else {
    checks.push({
      name: `Δp50/Δp99 @ ${BUDGET.rate} req/s`,
      measured: 'not run (BENCH_RATES or BENCH_PARTS)',
      limit: '',
      pass: null,
    });
  }
  if (report.translated) checks.push(translatedCheck(report.translated));
  if (report.max) {
    const max = report.max.router.result.reqPerSec;
    checks.push({
      name: 'router max throughput',
      measured: `${int(max)} req/s`,
      limit: `≥ ${int(BUDGET.minRouterReqPerSec)} req/s`,
      pass: max >= BUDGET.minRouterReqPerSec,
    });
  }
  checks.push(...goalChecks(report));
  const failures = report.failures.direct + report.failures.router;
  checks.push({
    name: 'errors + non-2xx (all runs)',
    measured: String(failures),
    limit: '= 0',
    pass: failures === 0,
  });
  checks.push({
    name: 'usage rows = router 2xx',
    measured: report.usage.detail,
    limit: 'equal',
    pass: report.usage.pass,
  });
  return checks;
}

/** Issue 15's goals (GOALS), each PASS/FAIL in the default layout, unjudged (with the reason) otherwise. */
export function goalChecks(report: Omit<BenchReport, 'checks' | 'pass'>): Check[] {
  const unjudged = (name: string, limit: string, why: string): Check => ({
    name,
    measured: why,
    limit,
    pass: null,
  });
  // Judged in the default layout only (docs/benchmarks.md, "Issue 15's goals").
  const elsewhere = report.layout !== 'default' ? `not judged (layout ${report.layout})` : null;
  const checks: Check[] = [];

  const p99Name = `goal: Δp99 ≤ ${GOALS.deltaP99VsFloor}× bare proxy's`;
  const p99Limit = `≤ ${GOALS.deltaP99VsFloor}× floor`;
  const { floor } = report;
  const atFloorRate = floor && report.rates.find((r) => r.rate === floor.rate);
  if (elsewhere) checks.push(unjudged(p99Name, p99Limit, elsewhere));
  else if (!floor || !atFloorRate)
    checks.push(unjudged(p99Name, p99Limit, 'not run (needs rates and floor)'));
  else {
    const router = atFloorRate.router.result.latencyMs.p99 - atFloorRate.direct.result.latencyMs.p99;
    const bare = floor.bare.latencyMs.p99 - floor.direct.latencyMs.p99;
    const limit = GOALS.deltaP99VsFloor * Math.max(0, bare);
    checks.push({
      name: `${p99Name} @ ${floor.rate} req/s`,
      measured: `${signedMs(router)} ms vs floor ${signedMs(bare)} ms`,
      limit: `≤ ${ms(limit)} ms`,
      pass: router <= limit,
    });
  }

  const ttfbName = `goal: stream TTFB ≤ bare proxy's + ${GOALS.streamTtfbOverFloorMs} ms`;
  const ttfbLimit = `Δ ≤ floor + ${GOALS.streamTtfbOverFloorMs} ms`;
  const { ttfb, streamFloor } = report;
  if (elsewhere) checks.push(unjudged(ttfbName, ttfbLimit, elsewhere));
  else if (!ttfb || !streamFloor) checks.push(unjudged(ttfbName, ttfbLimit, 'not run (needs stream)'));
  else {
    const router = ttfb.router.result.firstChunkMs.p50 - ttfb.direct.result.firstChunkMs.p50;
    const bare = streamFloor.bare.firstChunkMs.p50 - streamFloor.direct.firstChunkMs.p50;
    const limit = bare + GOALS.streamTtfbOverFloorMs;
    checks.push({
      name: `${ttfbName} (p50)`,
      measured: `${signedMs(router)} ms vs floor ${signedMs(bare)} ms`,
      limit: `≤ ${signedMs(limit)} ms`,
      pass: router <= limit,
    });
  }

  const peakName = `goal: router peak RSS @ ${int(GOALS.peakRssRate)} req/s`;
  const peakLimit = `≤ ${GOALS.peakRssMiB} MiB`;
  const atPeakRate = report.rates.find((r) => r.rate === GOALS.peakRssRate);
  if (elsewhere) checks.push(unjudged(peakName, peakLimit, elsewhere));
  else if (!atPeakRate)
    checks.push(unjudged(peakName, peakLimit, `not run (BENCH_RATES without ${GOALS.peakRssRate})`));
  else {
    const peak = atPeakRate.router.routerRssPeakMiB;
    checks.push({
      name: peakName,
      measured: `${peak.toFixed(1)} MiB`,
      limit: peakLimit,
      pass: peak <= GOALS.peakRssMiB,
    });
  }

  const idleName = 'goal: router RSS idle (started, before any request)';
  const idleLimit = `≤ ${GOALS.idleRssMiB} MiB`;
  const idle = report.router.rssAtStartMiB;
  if (elsewhere) checks.push(unjudged(idleName, idleLimit, elsewhere));
  else
    checks.push({
      name: idleName,
      measured: `${idle.toFixed(1)} MiB`,
      limit: idleLimit,
      pass: Number.isFinite(idle) && idle <= GOALS.idleRssMiB,
    });
  return checks;
}

/** The rows of the results table: measure, direct, router, Δ, budget, verdict. */
function tableRows(report: BenchReport): string[][] {
  const rows: string[][] = [['measure', 'direct', 'router', 'Δ router−direct', 'budget', '']];
  const check = (name: string) => report.checks.find((c) => c.name === name);
  for (const { rate, direct, router } of report.rates) {
    for (const q of ['p50', 'p99'] as const) {
      const d = direct.result.latencyMs[q];
      const r = router.result.latencyMs[q];
      const c = rate === BUDGET.rate ? check(`Δ${q} @ ${rate} req/s`) : undefined;
      rows.push([
        `${rate} req/s ${q} (ms)`,
        ms(d),
        ms(r),
        signedMs(r - d),
        c?.limit ? `Δ ${c.limit}` : '',
        mark(c?.pass ?? null),
      ]);
    }
  }
  for (const { layout, rates } of report.layouts) {
    for (const { rate, direct, router } of rates) {
      for (const q of ['p50', 'p99'] as const) {
        const d = direct.result.latencyMs[q];
        const r = router.result.latencyMs[q];
        rows.push([`${rate} req/s ${q}, layout ${layout} (ms)`, ms(d), ms(r), signedMs(r - d), '', '']);
      }
    }
  }
  const { floor, tiered, max, ttfb } = report;
  if (floor) {
    for (const q of ['p50', 'p99'] as const) {
      const d = floor.direct.latencyMs[q];
      const b = floor.bare.latencyMs[q];
      rows.push([
        `${floor.rate} req/s ${q}, bare Node proxy: floor (ms)`,
        ms(d),
        ms(b),
        signedMs(b - d),
        '',
        '',
      ]);
    }
  }
  if (tiered) {
    for (const q of ['p50', 'p99'] as const) {
      const d = tiered.direct.result.latencyMs[q];
      const r = tiered.router.result.latencyMs[q];
      rows.push([
        `${tiered.rate} req/s, 3 tiers × 6 targets ${q} (ms)`,
        ms(d),
        ms(r),
        signedMs(r - d),
        '',
        '',
      ]);
    }
  }
  const { translated } = report;
  if (translated) {
    const translatedBudget = check(TRANSLATED_CHECK);
    if (translated.skipped !== null) {
      rows.push([
        `${translated.rate} req/s, Anthropic surface → OpenAI (translated)`,
        'skipped',
        '',
        '',
        '',
        '',
      ]);
    } else {
      for (const q of ['p50', 'p99'] as const) {
        const d = translated.direct.result.latencyMs[q];
        const r = translated.router.result.latencyMs[q];
        rows.push([
          `${translated.rate} req/s ${q}, Anthropic surface → OpenAI (translated) (ms)`,
          ms(d),
          ms(r),
          signedMs(r - d),
          q === 'p50' ? `Δ ${translatedBudget?.limit ?? ''}` : '',
          q === 'p50' ? mark(translatedBudget?.pass ?? null) : '',
        ]);
      }
    }
  }
  rows.push(...tracingRows(report.tracing));
  const maxCheck = check('router max throughput');
  if (max) {
    rows.push([
      `max throughput (req/s, ${max.router.result.connections} conns, ${max.router.result.tool})`,
      int(max.direct.result.reqPerSec),
      int(max.router.result.reqPerSec),
      `${((100 * max.router.result.reqPerSec) / max.direct.result.reqPerSec).toFixed(0)}% of direct`,
      `router ${maxCheck?.limit ?? ''}`,
      mark(maxCheck?.pass ?? null),
    ]);
    rows.push([
      'CPU per request at max (µs)',
      `mock ${Math.round(max.direct.cpuUsPerRequest.mock ?? Number.NaN)}`,
      `router ${Math.round(max.router.cpuUsPerRequest.router ?? Number.NaN)}`,
      '',
      '',
      '',
    ]);
  }
  if (ttfb) {
    for (const q of ['p50', 'p99'] as const) {
      const d = ttfb.direct.result.firstChunkMs[q];
      const r = ttfb.router.result.firstChunkMs[q];
      rows.push([
        `stream TTFB ${q} (ms, ${ttfb.router.result.rate} req/s)`,
        ms(d),
        ms(r),
        signedMs(r - d),
        '',
        '',
      ]);
    }
  }
  const { streamFloor } = report;
  if (streamFloor) {
    for (const q of ['p50', 'p99'] as const) {
      const d = streamFloor.direct.firstChunkMs[q];
      const b = streamFloor.bare.firstChunkMs[q];
      rows.push([
        `stream TTFB ${q}, bare Node proxy: floor (ms, ${streamFloor.rate} req/s)`,
        ms(d),
        ms(b),
        signedMs(b - d),
        '',
        '',
      ]);
    }
  }
  rows.push([
    'router RSS (MiB)',
    '',
    `peak ${report.router.rssPeakMiB.toFixed(1)}`,
    `start ${report.router.rssAtStartMiB.toFixed(1)}, HWM ${report.router.hwmMiB?.toFixed(1) ?? 'n/a'}`,
    '',
    '',
  ]);
  for (const goal of report.checks.filter((c) => c.name.startsWith('goal: '))) {
    rows.push([goal.name.slice('goal: '.length), '', '', goal.measured, goal.limit, mark(goal.pass)]);
  }
  const failures = check('errors + non-2xx (all runs)');
  rows.push([
    'errors + non-2xx',
    String(report.failures.direct),
    String(report.failures.router),
    '',
    '= 0',
    mark(failures?.pass ?? null),
  ]);
  const usage = check('usage rows = router 2xx');
  const rowTotal = Object.values(report.usage.rowsByStatus).reduce((a, b) => a + b, 0);
  const extra = rowTotal - report.usage.routerOk;
  rows.push([
    'usage rows vs router 2xx',
    '',
    int(rowTotal),
    extra === 0
      ? `= ${int(report.usage.routerOk)} 2xx`
      : `${int(report.usage.routerOk)} 2xx ${extra > 0 ? '+' : '−'} ${Math.abs(extra)}`,
    'equal',
    mark(usage?.pass ?? null),
  ]);
  return rows;
}

/** Context lines under the table: achieved rates, generator lag, CPU use. */
function notes(report: BenchReport): string[] {
  const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)}%`);
  const num = (v: number | null) => (v === null ? 'n/a' : v.toFixed(0));
  const wait = (w: CpuShare) =>
    `run-queue wait router ${num(w.router)}, mock ${num(w.mock)}, load ${num(w.load)} ms/s`;
  const lines: string[] = [];
  for (const { rate, direct, router } of report.rates) {
    lines.push(
      `${rate} req/s: achieved ${direct.result.achievedRate.toFixed(0)} / ${router.result.achievedRate.toFixed(0)} req/s (direct / router); ` +
        `router CPU ${pct(router.cpu.router)} of a core = ${num(router.cpuUsPerRequest.router)} µs/request (mock ${num(router.cpuUsPerRequest.mock)}); ` +
        `${wait(router.runQueueWait)}; generator lag p99 ${ms(direct.result.lagMs.p99)} / ${ms(router.result.lagMs.p99)} ms`,
    );
  }
  for (const { layout, pinning, rates } of report.layouts) {
    for (const { rate, router } of rates)
      lines.push(
        `layout ${layout} (${pinning}), ${rate} req/s: router CPU ${num(router.cpuUsPerRequest.router)} µs/request; ${wait(router.runQueueWait)}`,
      );
  }
  const { floor } = report;
  const measured = floor && report.rates.find((r) => r.rate === floor.rate);
  if (floor && measured) {
    const delta = (q: 'p50' | 'p99') => ({
      bare: floor.bare.latencyMs[q] - floor.direct.latencyMs[q],
      router: measured.router.result.latencyMs[q] - measured.direct.result.latencyMs[q],
    });
    const p50 = delta('p50');
    const p99 = delta('p99');
    lines.push(
      `floor: a bare node:http + undici passthrough placed as the router is adds Δp50 ${signedMs(p50.bare)} / Δp99 ${signedMs(p99.bare)} ms at ${floor.rate} req/s; ` +
        `the router adds ${signedMs(p50.router - p50.bare)} / ${signedMs(p99.router - p99.bare)} ms beyond that (its own work)`,
    );
  }
  const trips = report.roundTrips;
  if (trips) {
    const summary = (l: LatencySummary) => `p50 ${ms(l.p50)} / p99 ${ms(l.p99)} / p99.9 ${ms(l.p999)}`;
    lines.push(
      `cores: a loopback round trip from the load generator to a process on its own core takes ${summary(trips.sameCore)} ms, ` +
        `to one on the router's core ${summary(trips.otherCore)} ms (${trips.samples} × 1 byte, ${trips.gapMs} ms apart); ` +
        (trips.layout === 'client-alone'
          ? 'direct and routed requests alike cross between the cores once each way; the router’s hop to the mock stays on its core'
          : 'a request through the router crosses between the cores twice, a direct one never'),
    );
  }
  if (report.translated === null) {
    // not measured (BENCH_PARTS)
  } else if (report.translated.skipped !== null) {
    lines.push(`translated (Anthropic surface → OpenAI upstream): skipped, ${report.translated.skipped}`);
  } else {
    lines.push(
      `translated: POST /v1/messages (x-api-key, anthropic-version) to the seeded route, served by the OpenAI-shaped mock; ` +
        `direct is the same completion asked of the mock in OpenAI's shape; router CPU ${num(report.translated.router.cpuUsPerRequest.router)} µs/request`,
    );
  }
  lines.push(...tracingNotes(report.tracing));
  const { max } = report;
  if (max)
    lines.push(
      `max throughput: router CPU ${pct(max.router.cpu.router)} = ${num(max.router.cpuUsPerRequest.router)} µs/request, mock ${pct(max.router.cpu.mock)}, load ${pct(max.router.cpu.load)} ` +
        `(direct run: mock ${pct(max.direct.cpu.mock)}, load ${pct(max.direct.cpu.load)}); ${wait(max.router.runQueueWait)}; ` +
        `${max.router.result.tool} p50/p99 ${max.direct.result.p50Ms}/${max.direct.result.p99Ms} vs ${max.router.result.p50Ms}/${max.router.result.p99Ms} ms`,
    );
  if (report.workers) lines.push(renderWorkersLine(report.workers));
  const { ttfb } = report;
  if (ttfb)
    lines.push(
      `stream: headers p50 ${ms(ttfb.direct.result.headersMs.p50)} / ${ms(ttfb.router.result.headersMs.p50)} ms, ` +
        `whole stream p50 ${ms(ttfb.direct.result.totalMs.p50)} / ${ms(ttfb.router.result.totalMs.p50)} ms (direct / router)`,
    );
  lines.push(`usage: ${report.usage.detail}; rows by status ${JSON.stringify(report.usage.rowsByStatus)}`);
  lines.push(
    report.options.BENCH_LIMITS === 'on'
      ? 'budgets and limits: on (key and team RPM/TPM limits, hard budgets on key, team and global; none ever refuses)'
      : 'budgets and limits: off (BENCH_LIMITS=off)',
  );
  lines.push(
    report.options.BENCH_REDIS === 'on'
      ? 'redis: on (BENCH_REDIS=on; the router keeps its rate limits and budgets in Redis at REDIS_URL, as routers sharing it do)'
      : 'redis: off (BENCH_REDIS=off; the router keeps its rate limits and budgets in memory, whatever REDIS_URL says)',
  );
  lines.push(
    report.options.BENCH_USAGE_JOURNAL === 'off'
      ? 'usage journal: off (BENCH_USAGE_JOURNAL=off; a router crash loses the last flush interval of usage)'
      : 'usage journal: on (one page-cache write per usage event, no fsync; BENCH_USAGE_JOURNAL=off for the A/B)',
  );
  lines.push(
    `method: ${String(report.options.BENCH_SLICES)} interleaved slices per run (D R, R D, …${report.floor?.sameSlices ? `; at ${report.floor.rate} req/s the bare proxy in the same slices: D R B, B R D, R D B, …` : ''}${report.streamFloor ? `; the streams' bare proxy in the streams' slices likewise` : ''}); pinning: ${report.machine.pinning}`,
  );
  lines.push(
    `1-min load average before the run: ${report.machine.loadAvgAtStart.toFixed(2)} (idle ≈ 0; above ~0.5 other work shares the CPUs and inflates tails)`,
  );
  return lines;
}

/** The tracing line's rows: p50 and p99 of the router with tracing off and on, each against direct. */
function tracingRows(line: TracingLine | null): string[][] {
  if (!line) return [];
  const rows: string[][] = [];
  for (const q of ['p50', 'p99'] as const) {
    const d = line.direct.latencyMs[q];
    for (const side of ['off', 'on'] as const) {
      const r = line[side].latencyMs[q];
      rows.push([`${line.rate} req/s ${q}, tracing ${side} (ms)`, ms(d), ms(r), signedMs(r - d), '', '']);
    }
  }
  return rows;
}

/** The tracing line's note: what each side is, what tracing on adds over off, and what was exported. */
function tracingNotes(line: TracingLine | null): string[] {
  if (!line) return [];
  const delta = (q: 'p50' | 'p99') => line.on.latencyMs[q] - line.off.latencyMs[q];
  const us = (v: number | null) => (v === null ? 'n/a' : v.toFixed(0));
  return [
    `tracing: off = the bench's router (OTEL_EXPORTER_OTLP_ENDPOINT unset, SDK not loaded); on = a second router on ` +
      `the same database and mock exporting every span to a local OTLP/HTTP receiver that answers 200 ` +
      `(${int(line.exported.spans)} spans in ${int(line.exported.requests)} exports); direct/off/on slices interleaved; ` +
      `on − off: p50 ${signedMs(delta('p50'))} / p99 ${signedMs(delta('p99'))} ms; router CPU off ` +
      `${us(line.cpuUsPerRequest.off)} / on ${us(line.cpuUsPerRequest.on)} µs/request; achieved ` +
      `${line.off.achievedRate.toFixed(0)} / ${line.on.achievedRate.toFixed(0)} req/s`,
  ];
}

/** The young-generation trade-off (BENCH_SEMI_SPACES): one row per value and rate. */
function semiSpaceRows(lines: SemiSpaceLine[] | null): string[][] {
  if (!lines || lines.length === 0) return [];
  const rows: string[][] = [
    ['--max-semi-space-size', 'rate', 'RSS start', 'RSS peak', 'Δp50', 'Δp99', 'router µs/req'],
  ];
  for (const line of lines) {
    for (const r of line.rates) {
      rows.push([
        `${line.semiSpaceMiB} MiB`,
        `${r.rate} req/s`,
        `${line.rssStartMiB.toFixed(1)} MiB`,
        `${r.rssPeakMiB.toFixed(1)} MiB`,
        `${signedMs(r.router.latencyMs.p50 - r.direct.latencyMs.p50)} ms`,
        `${signedMs(r.router.latencyMs.p99 - r.direct.latencyMs.p99)} ms`,
        r.cpuUsPerRequest === null ? 'n/a' : r.cpuUsPerRequest.toFixed(0),
      ]);
    }
  }
  return rows;
}

const SEMI_SPACE_NOTE =
  'young generation: one router per value (the start script with only --max-semi-space-size changed), each warmed up, fixed rates against direct interleaved; the bench’s own router idles meanwhile';

function textTable(rows: string[][]): string {
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) =>
        i === 0 || i >= 4 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number),
      )
      .join('  ')
      .trimEnd();
  const [head, ...body] = rows;
  return [line(head as string[]), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Said after the verdict when BENCH_PARTS left runs out: their budget lines were not judged. */
function partial(report: BenchReport): string {
  const parts = report.options.BENCH_PARTS;
  return Array.isArray(parts) && parts.length < BENCH_PARTS.length
    ? ` (only BENCH_PARTS=${parts.join(',')}; the other runs' budget lines were not judged)`
    : '';
}

function heading(report: BenchReport): string {
  return (
    `Switchyard bench — router vs direct mock provider · ${report.startedAt} · node ${report.machine.node} · ` +
    `${report.machine.cpus} CPU (${report.machine.cpuModel}) · ${report.wallS.toFixed(0)} s`
  );
}

export function renderText(report: BenchReport): string {
  const verdict = report.pass
    ? 'PASS'
    : `FAIL (${report.checks
        .filter((c) => c.pass === false)
        .map((c) => c.name)
        .join('; ')})`;
  return [
    heading(report),
    '',
    textTable(tableRows(report)),
    '',
    ...notes(report).map((n) => `· ${n}`),
    ...(report.semiSpaces ? ['', textTable(semiSpaceRows(report.semiSpaces)), `· ${SEMI_SPACE_NOTE}`] : []),
    '',
    `overall: ${verdict}${partial(report)}`,
  ].join('\n');
}

const md = (row: string[]) => `| ${row.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;

function markdownSemiSpaces(lines: SemiSpaceLine[] | null): string[] {
  const rows = semiSpaceRows(lines);
  if (rows.length === 0) return [];
  const [head, ...body] = rows as [string[], ...string[][]];
  return [
    '',
    '## Young generation',
    '',
    md(head),
    `|${head.map(() => ' ---: ').join('|')}|`,
    ...body.map(md),
    '',
    SEMI_SPACE_NOTE,
  ];
}

export function renderMarkdown(report: BenchReport): string {
  const rows = tableRows(report);
  const parts = [
    `# ${heading(report)}`,
    '',
    md(rows[0] as string[]),
    `|${(rows[0] as string[]).map((_, i) => (i >= 1 && i <= 3 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.slice(1).map(md),
    '',
    ...notes(report).map((n) => `- ${n}`),
    ...markdownSemiSpaces(report.semiSpaces),
    '',
    `**Overall: ${report.pass ? 'PASS' : 'FAIL'}**${partial(report)}`,
  ];
  if (report.failures.details.length > 0)
    parts.push('', '## Failures', '', ...report.failures.details.map((d) => `- ${d}`));
  if (report.profile)
    parts.push(
      '',
      `## Router CPU profile (\`${report.profile.file}\`)`,
      '',
      '```',
      report.profile.summary,
      '```',
    );
  return `${parts.join('\n')}\n`;
}
