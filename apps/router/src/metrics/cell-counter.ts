import { LabelledCells, type LabelValue } from './labelled-cells';

interface CounterCell {
  value: number;
}

/** What prom-client's registry reads from a metric at scrape time. */
export interface ScrapedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: { labels: Record<string, string>; value: number; metricName?: string }[];
  aggregator: 'sum';
}

/**
 * A Prometheus counter whose increments are a map read and an addition (see LabelledCells); registered in a
 * prom-client Registry, which calls `get()` only when /metrics is scraped.
 */
export class CellCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly cells: LabelledCells<CounterCell>;

  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[],
  ) {
    this.cells = new LabelledCells(labelNames, () => ({ value: 0 }));
    // A counter without labels reads 0 before its first increment, as Prometheus expects.
    if (labelNames.length === 0) this.cells.at([]);
  }

  inc(values: readonly LabelValue[], by = 1): void {
    this.cells.at(values).value += by;
  }

  get(): ScrapedMetric {
    return {
      name: this.name,
      help: this.help,
      type: 'counter',
      aggregator: 'sum',
      values: this.cells.entries().map(({ values, cell }) => ({
        labels: this.cells.labels(values),
        value: cell.value,
      })),
    };
  }

  /** Prom-client's registry calls this on `resetMetrics()`; counters here only restart with the process. */
  reset(): void {}
}
