import { type Dispatcher, errors } from 'undici';
import type { Cancellation } from './cancellation';
import { dispatchPost } from './dispatch-post';
import { clearSharedTimeout, type SharedTimeout, setSharedTimeout } from './shared-timeout';

/** A streamed answer's body as the relay reads it: chunks in order, and a way to stop it. */
export interface StreamBody extends AsyncIterable<Buffer> {
  /** Stops the body (aborting the upstream request when it is still arriving); the next read throws. */
  destroy(error?: Error): unknown;
}

/** An upstream's answer to a streamed call, once its head is in. */
export type StreamResponse =
  | {
      /** A 2xx: its body is still arriving, read it (or destroy it). */
      ok: true;
      statusCode: number;
      contentType: string | undefined;
      body: StreamBody;
    }
  | {
      /** Any other final status: its body, read whole up to `maxErrorBody` bytes (null when empty or broken). */
      ok: false;
      statusCode: number;
      retryAfter: string | null;
      body: Buffer | null;
    };

export interface StreamRequestOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Aborts the call (client gone, deadline passed), before or after the head. */
  cancel: Cancellation;
  /** Longest wait for the response head, ms, timed by a node timer (undici's are off, see bufferedRequest). */
  headersTimeout: number;
  /** Bytes kept of a non-2xx body (an error message); the rest is discarded. */
  maxErrorBody: number;
}

/** Body bytes held for a reader that is behind (a slow client) before the upstream socket is paused. */
const HIGH_WATER_BYTES = 64 * 1024;

/** What a read of a destroyed body throws when it was destroyed without an error. */
export class StreamDestroyedError extends Error {
  override name = 'StreamDestroyedError';
  constructor() {
    super('The upstream stream was destroyed.');
  }
}

/**
 * One streamed POST on undici's dispatcher directly, as {@link bufferedRequest} is for whole answers:
 * `undici.request` would add a Readable body, an AbortSignal, an async resource and promise hops between the
 * upstream's first chunk and the relay (issue 15: time on the stream's first byte). Resolves when the head is
 * in (a 2xx; its body is read through the returned {@link StreamBody}, chunks handed over as undici parses
 * them, the socket paused while the reader is behind) or when a non-2xx answer's body is read. Rejects before
 * the head with undici's own errors, a HeadersTimeoutError, or `cancel`'s reason.
 */
export function streamRequest(
  dispatcher: Dispatcher,
  options: StreamRequestOptions,
): Promise<StreamResponse> {
  return dispatchPost(
    dispatcher,
    options,
    (resolve, reject) => new StreamingHandler(options, resolve, reject),
  );
}

type Waiting = { resolve: (result: IteratorResult<Buffer>) => void; reject: (error: unknown) => void };

/** undici's callback handler for one streamed call; after a 2xx head, also the body's async iterator. */
class StreamingHandler implements Dispatcher.DispatchHandler, StreamBody, AsyncIterator<Buffer> {
  private abortRequest: ((reason?: Error) => void) | null = null;
  /** Why a timer aborted the call before undici handed us its abort function. */
  private pendingAbort: Error | null = null;
  /** On the shared per-duration timer (./shared-timeout): nearly every answer's head comes in time. */
  private headersTimer: SharedTimeout | null;
  private statusCode = 0;
  /** The head was answered (resolved or rejected): what follows is the body's business. */
  private answered = false;
  /** The upstream finished (complete or error): nothing more will arrive. */
  private finished = false;
  private readonly onCancel: () => void;

  // A 2xx body, as the reader sees it.
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: unknown = null;
  private waiting: Waiting | null = null;
  private resumeReading: (() => void) | null = null;
  private paused = false;

  // A non-2xx body, kept for the error.
  private retryAfter: string | null = null;
  private errorChunks: Buffer[] = [];
  private errorBytes = 0;

  constructor(
    private readonly options: StreamRequestOptions,
    private readonly resolve: (response: StreamResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    const { cancel } = options;
    this.onCancel = () => this.abort(cancel.reason as Error);
    cancel.onAbort(this.onCancel);
    this.headersTimer = setSharedTimeout(
      () => this.abort(new errors.HeadersTimeoutError()),
      options.headersTimeout,
    );
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.options.cancel.aborted) abort(this.options.cancel.reason as Error);
    else if (this.pendingAbort) abort(this.pendingAbort);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: the final head is still to come
    this.statusCode = statusCode;
    if (this.headersTimer) clearSharedTimeout(this.headersTimer);
    this.headersTimer = null;
    if (statusCode >= 300) {
      this.retryAfter = header(rawHeaders, 'retry-after');
      return true;
    }
    this.answered = true;
    this.resumeReading = resume;
    this.resolve({
      ok: true,
      statusCode,
      contentType: header(rawHeaders, 'content-type') ?? undefined,
      body: this,
    });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.statusCode >= 300) {
      // An error body is only a message: keep its start, discard the rest.
      const room = this.options.maxErrorBody - this.errorBytes;
      if (room > 0) {
        this.errorChunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        this.errorBytes += Math.min(room, chunk.length);
      }
      return true;
    }
    if (this.failure !== null) return true;
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting.resolve({ value: chunk, done: false });
      return true;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes < HIGH_WATER_BYTES) return true;
    this.paused = true;
    return false;
  }

  onComplete(): void {
    this.finish();
    if (this.statusCode >= 300 && !this.answered) {
      this.answerError();
      return;
    }
    this.ended = true;
    const waiting = this.waiting;
    if (waiting !== null && this.queue.length === 0) {
      this.waiting = null;
      waiting.resolve({ value: undefined, done: true });
    }
  }

  onError(error: Error): void {
    this.finish();
    if (!this.answered) {
      // A broken error body still leaves us the status code.
      if (this.statusCode >= 300 && !this.options.cancel.aborted && this.pendingAbort === null) {
        this.answerError();
        return;
      }
      this.answered = true;
      this.reject(this.options.cancel.aborted ? this.options.cancel.reason : (this.pendingAbort ?? error));
      return;
    }
    this.failWith(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      this.queuedBytes -= chunk.length;
      if (this.paused && this.queuedBytes < HIGH_WATER_BYTES) {
        this.paused = false;
        this.resumeReading?.();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** The reader left early (`break`): the rest is not wanted, so the upstream request is aborted. */
  return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended) this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  destroy(error?: Error): this {
    if (this.failure !== null) return this;
    const reason = error ?? new StreamDestroyedError();
    this.failWith(reason);
    this.abort(reason);
    return this;
  }

  /** Aborts the call with `reason` (a timer, the cancellation, the reader); undici then calls onError. */
  private abort(reason: Error): void {
    if (this.finished) return;
    this.pendingAbort ??= reason;
    this.abortRequest?.(reason);
  }

  /** The body breaks: what is queued is dropped and the reader's next read throws `error`. */
  private failWith(error: unknown): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.queue = [];
    this.queuedBytes = 0;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }

  private answerError(): void {
    this.answered = true;
    const body =
      this.errorChunks.length === 0
        ? null
        : this.errorChunks.length === 1
          ? (this.errorChunks[0] as Buffer)
          : Buffer.concat(this.errorChunks, this.errorBytes);
    this.resolve({ ok: false, statusCode: this.statusCode, retryAfter: this.retryAfter, body });
  }

  private finish(): void {
    this.finished = true;
    this.abortRequest = null;
    this.resumeReading = null;
    if (this.headersTimer) clearSharedTimeout(this.headersTimer);
    this.headersTimer = null;
    this.options.cancel.offAbort(this.onCancel);
  }
}

/** The first value of header `name` (lower case) in undici's raw `[name, value, …]` list; null when absent. */
function header(rawHeaders: Buffer[], name: string): string | null {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const key = rawHeaders[i] as Buffer;
    if (key.length === name.length && key.toString('latin1').toLowerCase() === name) {
      return (rawHeaders[i + 1] as Buffer).toString('latin1');
    }
  }
  return null;
}
