import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TracedSliceLabel } from './load-task';
import { summarizeRequestTrace } from './summarize-request-trace';

/** One synthetic request: when the generator sent it and its segments (ms). */
interface Synthetic {
  seq: number;
  sent: number;
  arrival: number;
  handler: number;
  endToFinish: number;
  finishToClient: number;
  status?: number;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'request-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ms = (value: number) => value.toFixed(4);
const clientLines = (label: TracedSliceLabel, requests: Synthetic[]) => [
  `# slice ${JSON.stringify(label)}`,
  ...requests.map((r) => {
    const done = r.sent + r.arrival + r.handler + r.endToFinish + r.finishToClient;
    return `${r.seq} ${ms(r.sent)} ${ms(done - r.finishToClient)} ${ms(done)} ${r.status ?? 200}`;
  }),
];
/** What request-trace-preload.cjs writes for these requests: seq, t0, end, finish. */
const processLines = (requests: Synthetic[]) =>
  requests.map((r) => {
    const t0 = r.sent + r.arrival;
    return `${r.seq} ${ms(t0)} ${ms(t0 + r.handler)} ${ms(t0 + r.handler + r.endToFinish)}`;
  });
const slow = (seq: number, sent: number) => ({
  seq,
  sent,
  arrival: 0.1,
  endToFinish: 0.02,
  finishToClient: 0.08,
});

// The router's measured slice (500 req/s, 500 answered requests 10 ms apart from t = 1000 ms, seq 11–510), after a
// 10-request warm-up that was slower than anything measured (seq 1–10). Totals 0.60–0.69 ms by i % 10, except five
// slow ones (all i % 10 = 0), one per cause:
const warmUp: Synthetic[] = Array.from({ length: 10 }, (_, i) => ({
  ...slow(i + 1, 100 + i * 10),
  handler: 50,
}));
const measured: Synthetic[] = Array.from({ length: 500 }, (_, i) => ({
  ...slow(11 + i, 1000 + i * 10),
  handler: 0.4 + (i % 10) * 0.01,
}));
measured[350] = { ...slow(361, 4490.1), arrival: 4.4, handler: 0.4 }; // 0.1 ms after i = 349: burst, 4.9 ms
measured[100] = { ...slow(111, 2000), handler: 3.0 }; // 3.2 ms, a GC pause inside
measured[200] = { ...slow(211, 3000), arrival: 2.5, handler: 0.4 }; // 3.0 ms
measured[400] = { ...slow(411, 5000), handler: 0.4, finishToClient: 2.0 }; // 2.52 ms
measured[450] = { ...slow(461, 5500), handler: 0.4, endToFinish: 2.2 }; // 2.78 ms: none of the causes
// Not answered 2xx: left out (sent with the last, so the slice still ends at i = 499's last byte, 5990.69).
const refused: Synthetic = { ...slow(511, 5990), handler: 0.3, status: 503 };
// The second rate's slice, slower still: not the first rate's.
const secondRate: Synthetic[] = Array.from({ length: 10 }, (_, i) => ({
  ...slow(512 + i, 9000 + i),
  handler: 40,
}));
// The bare proxy's floor slice (100 requests from t = 7000, seq 522–621): one slow handler.
const floor: Synthetic[] = Array.from({ length: 100 }, (_, i) => ({
  ...slow(522 + i, 7000 + i * 2),
  handler: i === 30 ? 1.5 : 0.3,
}));

const label = (part: TracedSliceLabel['part'], target: TracedSliceLabel['target'], rate = 500) => ({
  part,
  target,
  rate,
  layout: 'default',
});
writeFileSync(
  path.join(dir, 'client.router.txt'),
  `${[
    ...clientLines(label('warm-up', 'router', 1000), warmUp),
    ...clientLines(label('rates', 'router'), [...measured, refused]),
    ...clientLines(label('rates', 'router', 1000), secondRate),
  ].join('\n')}\n`,
);
writeFileSync(
  path.join(dir, 'client.bare.txt'),
  `${clientLines(label('floor', 'bare'), floor).join('\n')}\n`,
);
// GC pauses: minor ones at 500 (before the slice), 6 in its first 3 s (one inside seq 111) and 2 after; a major.
const gcLines = [
  'gc 500 1 minor',
  ...[1005, 1505, 2001, 2505, 3005, 3505].map((at) => `gc ${at} 1 minor`),
  'gc 4205 1 minor',
  'gc 4805 1 major',
  'gc 5505 1 minor',
];
writeFileSync(
  path.join(dir, '4242.trace'),
  `${['# process 4242 router.js', ...processLines([...warmUp, ...measured, refused, ...secondRate]), ...gcLines].join('\n')}\n`,
);
writeFileSync(path.join(dir, '777.trace'), `${processLines(floor).join('\n')}\n`);
// A process that only saw warm-up requests (no measured slice): not listed.
writeFileSync(path.join(dir, '999.trace'), `${processLines(warmUp).join('\n')}\n`);

describe('request timeline summary', () => {
  const summary = summarizeRequestTrace(dir);
  const router = summary?.processes.find((p) => p.target === 'router');

  it("joins each process's requests to the generator's by number, over the first rate's measured slices only", () => {
    expect(summary?.rate).toBe(500);
    expect(summary?.processes.map((p) => [p.target, p.pid, p.requests, p.slices, p.leftOut])).toEqual([
      ['bare', 777, 100, 1, 0],
      ['router', 4242, 500, 1, 1],
    ]);
  });

  it('averages each segment over the bands of total latency', () => {
    // p40–60 = sorted ranks 200–299 of 500: 45 × 0.64, 50 × 0.65, 5 × 0.66 ms.
    expect(router?.p40to60.count).toBe(100);
    expect(router?.p40to60.total).toBeCloseTo(0.646, 6);
    expect(router?.p40to60.handler).toBeCloseTo(0.446, 6);
    expect(router?.p95to99.count).toBe(20);
    expect(router?.p95to99.total).toBeCloseTo(0.69, 6);
    // The five slow ones: 4.9, 3.2, 3.0, 2.52 and 2.78 ms.
    const s = router?.slowest;
    expect(s?.count).toBe(5);
    expect(
      [s?.total, s?.arrival, s?.handler, s?.endToFinish, s?.finishToClient].map((v) => v?.toFixed(3)),
    ).toEqual(['3.280', '1.440', '0.920', '0.456', '0.464']);
  });

  it('classifies the slowest 1% and counts those a GC pause of the process overlapped', () => {
    expect(router?.slowestCauses).toEqual({ burst: 1, handler: 1, arrival: 1, client: 1, other: 1 });
    expect(router?.slowestInGc).toBe(1);
    expect(summary?.processes.find((p) => p.target === 'bare')?.slowestCauses).toEqual({
      burst: 0,
      handler: 1,
      arrival: 0,
      client: 0,
      other: 0,
    });
  });

  it("tells each slice's first 3 s from the rest: p99 and scavenges per second", () => {
    // First 3 s: i < 300, p99 = rank 297 of 300, below the two slow ones. Rest: rank 198 of 200 = 2.52 ms.
    expect(router?.p99First).toEqual({ p99: expect.closeTo(0.69, 6), count: 300 });
    expect(router?.p99Rest).toEqual({ p99: expect.closeTo(2.52, 6), count: 200 });
    expect(router?.scavengesPerS.first).toBeCloseTo(2, 6);
    expect(router?.scavengesPerS.rest).toBeCloseTo(2 / 1.99069, 6);
  });
});
