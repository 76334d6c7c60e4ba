import { Worker } from 'node:worker_threads';
import { type SpanContext, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { workerScript } from '../worker-script';
import type {
  ExportReply,
  ExportRequest,
  ExportThreadData,
  SpanContextRecord,
  SpanRecord,
} from './span-export-worker';

const WORKER_SCRIPT = workerScript(import.meta.url, 'span-export-worker');

/** Records posted to the thread at once: each copy between threads stays small (a few dozen µs here). */
const POST_BATCH = 64;
/** Longest an ended span waits here for a full post (or the export delay, if shorter). */
const POST_DELAY_MS = 100;
/**
 * Most spans held for the thread (buffered here, or posted and not yet taken): past it, new spans are dropped and
 * counted, as the SDK's batch processor does past its maxQueueSize (the same default). Only a stuck thread fills it.
 */
const MAX_QUEUED_SPANS = 2048;
/** Longest shutdown waits for the thread to export what it holds. */
const CLOSE_TIMEOUT_MS = 5_000;
/** The export thread's nice value (Linux: per thread), as the usage writer's: requests win a shared core. */
const EXPORT_NICE = 10;

/**
 * When a new export thread replaces one that died: after `firstDelayMs`, doubled for each death in a row up to
 * `maxDelayMs`, so a thread that dies as it starts is not respawned in a loop; a thread that had run `stableMs`
 * starts the count again.
 */
export interface RestartBackoff {
  firstDelayMs: number;
  maxDelayMs: number;
  stableMs: number;
}
const RESTART_BACKOFF: RestartBackoff = { firstDelayMs: 1_000, maxDelayMs: 60_000, stableMs: 60_000 };

/**
 * Where the export's problems go (the router's logger): the SDK reports a failed export only through its `diag`,
 * which nothing else here listens to, so without this a wrong collector URL would lose every span in silence.
 */
export interface ExportLog {
  error(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/**
 * The span processor of the request thread: it copies each sampled ended span into a plain record and posts them,
 * a few dozen at a time, to the span export thread (span-export-worker.ts), where the SDK's batch processor and
 * OTLP exporter serialize and send them. Serializing a 512-span batch here stalled requests for up to ~30 ms.
 */
export class SpanExportThread implements SpanProcessor {
  private buffer: SpanRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Spans posted and not yet taken by the thread (it subtracts what it takes). */
  private readonly posted = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private dropped = 0;
  /** Null from the thread's unexpected death until its replacement starts (spans meanwhile are dropped). */
  private worker: Worker | null = null;
  private startedAt = 0;
  /** Threads that died in a row without running `backoff.stableMs`. */
  private deaths = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly data: ExportThreadData;
  private readonly replies = new Map<number, () => void>();
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private readonly postDelayMs: number;

  constructor(
    settings: Omit<ExportThreadData, 'queued' | 'nice'>,
    private readonly log: ExportLog,
    private readonly backoff: RestartBackoff = RESTART_BACKOFF,
  ) {
    this.postDelayMs = Math.min(POST_DELAY_MS, settings.exportDelayMs);
    this.data = { ...settings, queued: this.posted.buffer as SharedArrayBuffer, nice: EXPORT_NICE };
    this.start();
  }

  private start(): void {
    const worker = new Worker(WORKER_SCRIPT.filename, {
      eval: WORKER_SCRIPT.eval,
      execArgv: [],
      workerData: this.data,
    });
    // Tracing never keeps the process alive; shutdown holds it (a referenced timer) while the thread flushes.
    worker.unref();
    worker.on('message', (reply: ExportReply) => {
      if ('problem' in reply)
        this.log.warn('span export failed', { diagLevel: reply.level, problem: reply.problem });
      else this.replies.get(reply.id)?.();
    });
    // The thread itself failing (a failed export is not this: the thread reports those, above); 'exit' follows.
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => this.exited(code, failure));
    this.worker = worker;
    this.startedAt = Date.now();
  }

  /** The thread stopped: at shutdown that is the end; otherwise a new one starts after the backoff. */
  private exited(code: number, failure: Error | undefined): void {
    this.worker = null;
    for (const settle of this.replies.values()) settle();
    if (this.closing !== null) return;
    // What the dead thread had not taken died with it: the bound counts only what its successor holds.
    Atomics.store(this.posted, 0, 0);
    this.deaths = Date.now() - this.startedAt >= this.backoff.stableMs ? 1 : this.deaths + 1;
    const delayMs = Math.min(this.backoff.maxDelayMs, this.backoff.firstDelayMs * 2 ** (this.deaths - 1));
    this.log.error('span export thread failed: the spans it held are lost', {
      error: failure?.message ?? `exited with code ${code}`,
      restartInMs: delayMs,
    });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.start();
      this.log.warn('span export thread restarted', { attempt: this.deaths, delayMs });
    }, delayMs).unref();
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0 || this.closing !== null) return;
    if (this.worker === null || this.buffer.length + Atomics.load(this.posted, 0) >= MAX_QUEUED_SPANS) {
      this.dropped++;
      return;
    }
    if (this.dropped > 0) {
      this.log.warn('trace spans dropped: the span export thread was behind or restarting', {
        spans: this.dropped,
      });
      this.dropped = 0;
    }
    this.buffer.push(spanRecordOf(span));
    if (this.buffer.length >= POST_BATCH) this.post();
    else this.timer ??= setTimeout(() => this.post(), this.postDelayMs).unref();
  }

  forceFlush(): Promise<void> {
    this.post();
    return this.ask((id) => ({ id, flush: true }));
  }

  /** Posts what is buffered, waits (at most CLOSE_TIMEOUT_MS) for the thread to export it, then stops the thread. */
  shutdown(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  private async close(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.post();
    await this.ask((id) => ({ id, shutdown: true }));
    await this.worker?.terminate();
  }

  private post(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    // Buffered while a thread was alive, which has since died: dropped, as the spans that came after.
    if (this.worker === null) this.dropped += this.buffer.length;
    else {
      Atomics.add(this.posted, 0, this.buffer.length);
      this.worker.postMessage({ spans: this.buffer } satisfies ExportRequest);
    }
    this.buffer = [];
  }

  /** Resolves when the thread answers, when it exits (or is not running), or after CLOSE_TIMEOUT_MS: never rejects. */
  private ask(request: (id: number) => ExportRequest): Promise<void> {
    const worker = this.worker;
    if (worker === null) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.replies.delete(id);
        resolve();
      };
      const timer = setTimeout(settle, CLOSE_TIMEOUT_MS);
      this.replies.set(id, settle);
      worker.postMessage(request(id));
    });
  }
}

function spanContextRecordOf(context: SpanContext): SpanContextRecord {
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    traceFlags: context.traceFlags,
    isRemote: context.isRemote,
    traceState: context.traceState?.serialize(),
  };
}

/** The span as plain data; its objects (attributes, times, status, events) are the span's own, copied by the post. */
function spanRecordOf(span: ReadableSpan): SpanRecord {
  return {
    context: spanContextRecordOf(span.spanContext()),
    parent: span.parentSpanContext === undefined ? undefined : spanContextRecordOf(span.parentSpanContext),
    name: span.name,
    kind: span.kind,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    links: span.links.map((link) => ({ ...link, context: spanContextRecordOf(link.context) })),
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
