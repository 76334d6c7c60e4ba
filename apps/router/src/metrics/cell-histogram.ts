import type { ScrapedMetric } from './cell-counter';
import { LabelledCells, type LabelValue } from './labelled-cells';

interface HistogramCell {
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram whose observations are a map read, a bucket search over a few bounds and three
 * additions; cumulative bucket counts are computed when /metrics is scraped.
 */
export class CellHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly cells: LabelledCells<HistogramCell>;

  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    this.cells = new LabelledCells(labelNames, () => ({
      buckets: new Float64Array(bounds.length + 1),
      sum: 0,
      count: 0,
    }));
  }

  observe(values: readonly LabelValue[], value: number): void {
    const cell = this.cells.at(values);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    cell.buckets[i] = (cell.buckets[i] ?? 0) + 1;
    cell.sum += value;
    cell.count++;
  }

  get(): ScrapedMetric {
    const values: ScrapedMetric['values'] = [];
    for (const { values: labelValues, cell } of this.cells.entries()) {
      const labels = this.cells.labels(labelValues);
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += cell.buckets[i] ?? 0;
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { le: String(bound), ...labels },
          value: cumulative,
        });
      });
      values.push({
        metricName: `${this.name}_bucket`,
        labels: { le: '+Inf', ...labels },
        value: cell.count,
      });
      values.push({ metricName: `${this.name}_sum`, labels, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: cell.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  reset(): void {}
}
