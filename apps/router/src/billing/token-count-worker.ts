import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../lower-thread-priority';
import { countTextTokens } from './token-estimator';

/** Texts to count, and the reply the main thread waits for: one count per text, in order. */
export interface CountRequest {
  id: number;
  texts: string[];
}
export interface CountReply {
  id: number;
  counts: number[];
}

// Runs in a worker thread with its own heap: the o200k_base encoder (built on the first request, ~100 MB of
// ranks) and every BPE run live here, so neither building it (≈100 ms idle, seconds on a loaded machine) nor
// counting a 200,000-character text stalls the router's event loop, and its young GCs stay small.
const { nice } = workerData as { nice: number };
const port = parentPort;
if (!port) throw new Error('token-count-worker must run as a worker thread');
lowerThreadPriority(nice);
port.on('message', (message: CountRequest) => {
  port.postMessage({ id: message.id, counts: message.texts.map(countTextTokens) } satisfies CountReply);
});
