import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsText } from '../metrics/serve-metrics';
import { isPrimaryMessage, type PrimaryMessage, type WorkerMessage } from './worker-messages';

/** Longer than prom-client's own 5 s wait for the workers, so its error is the one reported. */
const SCRAPE_TIMEOUT_MS = 6_000;

/**
 * The primary's view of the workers' metrics: prom-client's AggregatorRegistry asks every worker for its registry
 * and merges them by each metric's `aggregator` (counters and histograms summed; see router-metrics.ts).
 */
export function primaryMetrics(): MetricsText {
  const aggregator = new AggregatorRegistry();
  return { metrics: () => aggregator.clusterMetrics(), contentType: aggregator.contentType };
}

/**
 * In a worker: answers the primary's metrics requests from `registry`, and serves GET /metrics (whichever worker a
 * scrape lands on) with every worker's metrics aggregated, asked of the primary.
 */
export function workerMetrics(registry: Registry): MetricsText {
  // Constructing it in a worker registers the listener that answers the primary's requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  const waiting = new Map<number, (answer: PrimaryMessage) => void>();
  process.on('message', (message: unknown) => {
    if (isPrimaryMessage(message)) waiting.get(message.id)?.(message);
  });
  return {
    contentType: registry.contentType,
    metrics: () =>
      new Promise<string>((resolve, reject) => {
        const id = next++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`the primary did not answer a metrics scrape within ${SCRAPE_TIMEOUT_MS} ms`));
        }, SCRAPE_TIMEOUT_MS);
        waiting.set(id, (answer) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (answer.ok) resolve(answer.text);
          else reject(new Error(answer.error));
        });
        const request: WorkerMessage = { type: 'switchyard:scrape', id };
        process.send?.(request);
      }),
  };
}
