import type { ChildEnv, Stack } from '@switchyard/testkit';
import type { HttpTarget, PacedSlice } from './load-task';
import type { LoadWorker } from './load-worker';

/**
 * What a part that starts routers of its own beside the bench's (the tracing line, the young-generation table)
 * gets from the bench: the stack they join, the load generator, how the bench's router was started and placed,
 * the run lengths, the two requests, and the per-slice bookkeeping.
 */
export interface SideRouterContext {
  stack: Stack;
  worker: LoadWorker;
  /** The bench router's extra environment (usage flush, journal, REDIS_URL or none), given to each side router too. */
  routerEnv: ChildEnv;
  /** CPUs of the bench router (taskset), or null when nothing is pinned. */
  routerCpus: string | null;
  durationS: number;
  warmupS: number;
  slices: number;
  connections: number;
  direct: HttpTarget;
  /** The request through the bench's router; a side router gets the same one at its own origin. */
  routed: HttpTarget;
  /** Called after every measured or warm-up slice (failure accounting; a routed slice's usage rows settle). */
  afterSlice: (label: string, side: 'direct' | 'router', slice: PacedSlice) => Promise<void>;
  log: (line: string) => void;
}
