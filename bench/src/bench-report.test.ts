import { describe, expect, it } from 'vitest';
import { type BenchReport, goalChecks } from './bench-report';
import type { BenchLayout } from './env';
import type { PacedResult, StreamTtfbResult } from './load-task';

/** Issue 15's goal lines from measured figures (the bench's own arithmetic; the figures come from real runs). */
type Draft = Omit<BenchReport, 'checks' | 'pass'>;

const latency = (p50: number, p99: number) => ({ p50, p99 }) as PacedResult['latencyMs'];
const paced = (p50: number, p99: number) => ({ latencyMs: latency(p50, p99) }) as PacedResult;
const stream = (p50: number) => ({ firstChunkMs: latency(p50, p50 * 3) }) as StreamTtfbResult;
const run = <T>(result: T, rssPeak = 0) => ({ result, routerRssPeakMiB: rssPeak });

function draft(figures: {
  layout?: BenchLayout;
  /** Router and bare proxy Δp99 at 500 req/s, ms (direct p99 is 1 ms). */
  routerDeltaP99?: number;
  bareDeltaP99?: number;
  /** Router and bare proxy stream first-chunk Δp50, ms (direct p50 is 0.5 ms). */
  routerTtfbDelta?: number;
  bareTtfbDelta?: number;
  peakRssAt1000?: number;
  idleRss?: number;
}): Draft {
  const rates = [
    {
      rate: 500,
      direct: run(paced(0.3, 1)),
      router: run(paced(0.6, 1 + (figures.routerDeltaP99 ?? 0)), 200),
    },
  ];
  if (figures.peakRssAt1000 !== undefined)
    rates.push({ rate: 1000, direct: run(paced(0.3, 1)), router: run(paced(0.6, 2), figures.peakRssAt1000) });
  return {
    layout: figures.layout ?? 'default',
    rates,
    floor:
      figures.bareDeltaP99 === undefined
        ? null
        : { rate: 500, direct: paced(0.3, 1), bare: paced(0.4, 1 + figures.bareDeltaP99) },
    ttfb:
      figures.routerTtfbDelta === undefined
        ? null
        : { direct: run(stream(0.5)), router: run(stream(0.5 + figures.routerTtfbDelta)) },
    streamFloor:
      figures.bareTtfbDelta === undefined
        ? null
        : { rate: 50, direct: stream(0.5), bare: stream(0.5 + figures.bareTtfbDelta) },
    router: { pid: 1, rssAtStartMiB: figures.idleRss ?? Number.NaN, rssPeakMiB: 0, hwmMiB: null },
  } as unknown as Draft;
}

const verdicts = (d: Draft) => goalChecks(d).map((c) => [c.name, c.measured, c.limit, c.pass]);

describe('issue 15 goals', () => {
  it('passes each goal in the default layout when the router is within it, and shows what it compared', () => {
    expect(
      verdicts(
        draft({
          routerDeltaP99: 1.4,
          bareDeltaP99: 1,
          routerTtfbDelta: 0.7,
          bareTtfbDelta: 0.6,
          peakRssAt1000: 149,
          idleRss: 99.5,
        }),
      ),
    ).toEqual([
      ["goal: Δp99 ≤ 1.5× bare proxy's @ 500 req/s", '+1.400 ms vs floor +1.000 ms', '≤ 1.500 ms', true],
      [
        "goal: stream TTFB ≤ bare proxy's + 0.2 ms (p50)",
        '+0.700 ms vs floor +0.600 ms',
        '≤ +0.800 ms',
        true,
      ],
      ['goal: router peak RSS @ 1,000 req/s', '149.0 MiB', '≤ 150 MiB', true],
      ['goal: router RSS idle (started, before any request)', '99.5 MiB', '≤ 100 MiB', true],
    ]);
  });

  it('fails each goal the router misses, against the floor of the same run', () => {
    const checks = goalChecks(
      draft({
        routerDeltaP99: 1.6,
        bareDeltaP99: 1,
        routerTtfbDelta: 0.9,
        bareTtfbDelta: 0.6,
        peakRssAt1000: 300,
        idleRss: 230,
      }),
    );
    expect(checks.map((c) => c.pass)).toEqual([false, false, false, false]);
    // A floor that measured below direct allows no tail at all, not a negative limit's nonsense.
    const negative = goalChecks(draft({ routerDeltaP99: 0.01, bareDeltaP99: -0.2 }))[0];
    expect([negative?.limit, negative?.pass]).toEqual(['≤ 0.000 ms', false]);
  });

  it('judges nothing in a pinned first layout, and says which part is missing otherwise', () => {
    const pinned = goalChecks(
      draft({ layout: 'client-alone', routerDeltaP99: 0, bareDeltaP99: 1, peakRssAt1000: 1, idleRss: 1 }),
    );
    expect(pinned.map((c) => [c.measured, c.pass])).toEqual(
      Array(4).fill(['not judged (layout client-alone)', null]),
    );
    const partial = goalChecks(draft({ idleRss: 90 }));
    expect(partial.map((c) => [c.measured, c.pass])).toEqual([
      ['not run (needs rates and floor)', null],
      ['not run (needs stream)', null],
      ['not run (BENCH_RATES without 1000)', null],
      ['90.0 MiB', true],
    ]);
  });
});
