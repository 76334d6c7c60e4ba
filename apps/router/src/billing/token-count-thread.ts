import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script';
import type { CountReply, CountRequest } from './token-count-worker';

const WORKER_SCRIPT = workerScript(import.meta.url, 'token-count-worker');

/** Counting is bookkeeping after the answer was sent: requests on the main thread win a shared core. */
const COUNTER_NICE = 10;
/**
 * How long one count may take, from when it is asked (the first includes starting the thread and building the
 * encoder: seconds on a loaded machine). Past it the count falls back to the byte bound and the thread, hung or
 * starved, is replaced, so a settlement waits at most this long.
 */
const COUNT_TIMEOUT_MS = 20_000;

/**
 * Characters sent to the thread and not yet counted, at most. Past it a text counts as its byte bound at once:
 * a stream faster than the thread counts (only a hostile upstream's, e.g. an endless one read at memory speed)
 * must not queue unbounded text in the thread's inbox, nor hold its settlement until it is all counted.
 */
const MAX_QUEUED_CHARS = 4 * 1024 * 1024;

let worker: Worker | null = null;
let queuedChars = 0;
let nextId = 1;
/** Counts waiting for an answer, with the thread they were sent to. */
const pending = new Map<
  number,
  { thread: Worker; settle: (counts: number[] | null) => void; done: Promise<number> }
>();

/**
 * Tokens of `texts` summed (js-tiktoken o200k_base, exactly as `countTextTokens` counts each), counted on a
 * worker thread (started by `startTokenCountThread` or the first call), so the router's event loop never runs the BPE. Never rejects: if the
 * thread is over 4 M characters behind, fails, exits or does not answer within 20 s, each text counts as its
 * UTF-8 byte length, an upper bound no byte-level BPE exceeds (the caller's usage is flagged estimated anyway).
 */
export function countTokensOffThread(texts: string[]): Promise<number> {
  let chars = 0;
  for (const text of texts) chars += text.length;
  if (chars === 0) return Promise.resolve(0);
  if (queuedChars + chars > MAX_QUEUED_CHARS) return Promise.resolve(sum(texts.map(byteBound)));
  queuedChars += chars;
  worker ??= spawnWorker();
  const w = worker;
  const id = nextId++;
  let settle: (counts: number[] | null) => void = () => {};
  const done = new Promise<number>((resolve) => {
    const timer = setTimeout(() => {
      // Hung or starved: replace it, so later counts do not queue behind whatever it is stuck on.
      if (worker === w) {
        worker = null;
        void w.terminate();
      }
      settle(null);
    }, COUNT_TIMEOUT_MS);
    settle = (counts) => {
      if (!pending.delete(id)) return;
      queuedChars -= chars;
      clearTimeout(timer);
      resolve(sum(counts ?? texts.map(byteBound)));
    };
  });
  pending.set(id, { thread: w, settle, done });
  w.postMessage({ id, texts } satisfies CountRequest);
  return done;
}

/**
 * Starts the thread now (the router does at start-up), without building the encoder: loading the thread's code
 * through tsx takes a second or more of its own CPU on a loaded machine, which the first estimate then does not
 * wait for, while the ~100 MB of ranks are still only built by the first count (a router whose upstreams always
 * report usage never holds them).
 */
export function startTokenCountThread(): void {
  worker ??= spawnWorker();
}

/**
 * Counts asked and not yet answered. Each holds a settlement (and so a usage row) back, for up to 20 s: /readyz
 * reports it, so an operator or a test can tell a row still being counted from one that will never come.
 */
export function tokenCountsPending(): number {
  return pending.size;
}

/**
 * Resolves once no count is waiting (each waits 20 s at most) and the settlements they held have run: shutdown
 * awaits it before closing the usage sink, so a request answered just before SIGTERM still gets its row.
 */
export async function tokenCountsSettled(): Promise<void> {
  while (pending.size > 0) {
    await Promise.allSettled([...pending.values()].map((waiter) => waiter.done));
  }
  // What waited on a count continues in microtasks (up to the usage record); they all run before this turn.
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Ends the thread now; counts waiting on it fall back to the byte bound. The next count starts a new one. */
export async function stopTokenCountThread(): Promise<void> {
  const w = worker;
  if (!w) return;
  worker = null;
  await w.terminate();
}

function spawnWorker(): Worker {
  const w = new Worker(WORKER_SCRIPT.filename, {
    eval: WORKER_SCRIPT.eval,
    execArgv: [],
    workerData: { nice: COUNTER_NICE },
  });
  w.on('message', (reply: CountReply) => pending.get(reply.id)?.settle(reply.counts));
  // An 'exit' follows; the waiters are answered there.
  w.on('error', () => {});
  // Never what keeps the process alive (a caller waiting on a count holds its own timer); after the listeners,
  // which would otherwise keep it referenced.
  w.unref();
  w.on('exit', () => {
    if (worker === w) worker = null;
    for (const waiter of [...pending.values()]) if (waiter.thread === w) waiter.settle(null);
  });
  return w;
}

function byteBound(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function sum(counts: number[]): number {
  let total = 0;
  for (const n of counts) total += n;
  return total;
}
