import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script';
import { IdleStoppedThread } from './idle-stopped-thread';
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

/**
 * How long the thread lives with nothing to count, by default (`TOKEN_COUNT_IDLE_MS`). Its encoder holds
 * ~150 MiB of resident memory (measured in docs/benchmarks.md) that only ending the thread gives back to the OS,
 * so a router whose upstreams omit usage now and then does not keep it for good.
 */
export const DEFAULT_TOKEN_COUNT_IDLE_MS = 60_000;

let threads = idleStoppedThreads(DEFAULT_TOKEN_COUNT_IDLE_MS);
let queuedChars = 0;
let threadStarts = 0;
let nextId = 1;
/** Counts waiting for an answer, with the thread they were sent to. */
const pending = new Map<
  number,
  { thread: Worker; settle: (counts: number[] | null) => void; done: Promise<number> }
>();

/**
 * Tokens of `texts` summed (js-tiktoken o200k_base, exactly as `countTextTokens` counts each), counted on a
 * worker thread (started by the first call), so the router's event loop never runs the BPE. Never rejects: if the
 * thread is over 4 M characters behind, fails, exits or does not answer within 20 s, each text counts as its
 * UTF-8 byte length, an upper bound no byte-level BPE exceeds (the caller's usage is flagged estimated anyway).
 */
export function countTokensOffThread(texts: string[]): Promise<number> {
  let chars = 0;
  for (const text of texts) chars += text.length;
  if (chars === 0) return Promise.resolve(0);
  if (queuedChars + chars > MAX_QUEUED_CHARS) return Promise.resolve(sum(texts.map(byteBound)));
  queuedChars += chars;
  // Held until this count is answered: the thread is not stopped for idling while it owes an answer.
  const pool = threads;
  const w = pool.acquire();
  const id = nextId++;
  let settle: (counts: number[] | null) => void = () => {};
  const done = new Promise<number>((resolve) => {
    const timer = setTimeout(() => {
      // Hung or starved: replace it, so later counts do not queue behind whatever it is stuck on.
      if (pool.running() === w) {
        pool.forget(w);
        void w.terminate();
      }
      settle(null);
    }, COUNT_TIMEOUT_MS);
    settle = (counts) => {
      if (!pending.delete(id)) return;
      queuedChars -= chars;
      clearTimeout(timer);
      pool.release(w);
      resolve(sum(counts ?? texts.map(byteBound)));
    };
  });
  pending.set(id, { thread: w, settle, done });
  w.postMessage({ id, texts } satisfies CountRequest);
  return done;
}

/**
 * Sets how long the thread lives with nothing to count (`idleMs`; 0: for good). The thread is not started here:
 * the first count starts it (its code is one small compiled file; what that first count waits for is building
 * the encoder's ranks, seconds on a loaded machine, after the answer was sent). A router whose upstreams always
 * report usage so never holds the thread's isolate (~12 MiB of idle RSS, issue 15). Past `idleMs` without a count
 * the thread ends and its memory goes back to the OS; the next count starts a new one.
 */
export function configureTokenCountThread(idleMs = DEFAULT_TOKEN_COUNT_IDLE_MS): void {
  if (threads.running() === null) threads = idleStoppedThreads(idleMs);
}

/**
 * Whether the thread (and so its encoder, once built) is alive — false after an idle stop — and how many threads
 * this process has started: /readyz reports both (`usageCounter`).
 */
export function tokenCountThreadState(): { running: boolean; starts: number } {
  return { running: threads.running() !== null, starts: threadStarts };
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
  const w = threads.running();
  if (!w) return;
  threads.forget(w);
  await w.terminate();
}

function idleStoppedThreads(idleMs: number): IdleStoppedThread<Worker> {
  return new IdleStoppedThread(spawnWorker, (w) => void w.terminate(), idleMs);
}

function spawnWorker(): Worker {
  threadStarts++;
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
    threads.forget(w);
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
