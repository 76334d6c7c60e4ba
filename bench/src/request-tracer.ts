import path from 'node:path';
import type { PacedTask, TracedSliceLabel } from './load-task';
import { pacedRequestCount } from './run-paced-load';

/**
 * Numbers the requests of a bench run's traced slices (BENCH_TRACE_REQUESTS): each slice gets the next block of
 * numbers, so a number names one request across every slice and target of the run, and the router's and the bare
 * proxy's lines (request-trace-preload.cjs) join the generator's by it. One generator file per target.
 */
export class RequestTracer {
  private nextSeq = 1;

  constructor(readonly dir: string) {}

  /** The task with its slice numbered and labelled. */
  trace(task: PacedTask, label: TracedSliceLabel): PacedTask {
    const firstSeq = this.nextSeq;
    this.nextSeq += pacedRequestCount(task);
    return { ...task, trace: { file: path.join(this.dir, `client.${label.target}.txt`), firstSeq, label } };
  }
}
