import fc from 'fast-check';
import { Counter, type Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CellCounter } from './cell-counter';
import { CellHistogram } from './cell-histogram';

const BOUNDS = [0.005, 0.05, 0.5, 5];
// Label values as configuration may hold them (account ids, upstream model names: quotes, newlines, unicode).
const labelValue = fc.oneof(fc.constantFrom('chat', 'openai-chat', '200', ''), fc.string({ maxLength: 8 }));
const observation = fc.record({
  a: labelValue,
  b: fc.oneof(labelValue, fc.integer({ min: 100, max: 599 }), fc.constantFrom(404, '404')),
  value: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(...BOUNDS)),
});

async function text(metric: unknown): Promise<string> {
  const registry = new Registry();
  registry.registerMetric(metric as Gauge);
  return registry.metrics();
}

/** Prom-client sorts nothing: both print label sets in first-use order, so the texts compare line for line. */
describe('cell metrics print what prom-client would', () => {
  it('a counter matches prom-client Counter for any label values and increments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 30 }), async (observations) => {
        const cells = new CellCounter('t_total', 'help', ['a', 'b']);
        const reference = new Counter({
          name: 't_total',
          help: 'help',
          labelNames: ['a', 'b'],
          registers: [],
        });
        for (const { a, b, value } of observations) {
          cells.inc([a, b], value);
          reference.inc({ a, b: String(b) }, value);
        }
        expect(await text(cells)).toBe(await text(reference));
      }),
    );
  });

  it('a histogram matches prom-client Histogram (buckets, sum, count) for any observations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 30 }), async (observations) => {
        const cells = new CellHistogram('t_seconds', 'help', ['a', 'b'], BOUNDS);
        const reference = new Histogram({
          name: 't_seconds',
          help: 'help',
          labelNames: ['a', 'b'],
          buckets: BOUNDS,
          registers: [],
        });
        for (const { a, b, value } of observations) {
          cells.observe([a, b], value);
          reference.observe({ a, b: String(b) }, value);
        }
        expect(await text(cells)).toBe(await text(reference));
      }),
    );
  });

  it('a label value and its number spelling are one series (an HTTP status as 503 or "503")', async () => {
    const cells = new CellCounter('t_total', 'help', ['status']);
    cells.inc([503]);
    cells.inc(['503']);
    expect(await text(cells)).toContain('t_total{status="503"} 2');
  });

  it('an unlabelled counter reads 0 before its first increment', async () => {
    expect(await text(new CellCounter('t_total', 'help', []))).toContain('\nt_total 0');
  });
});
