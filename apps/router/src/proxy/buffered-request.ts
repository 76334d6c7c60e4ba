import { type Dispatcher, errors } from 'undici';
import type { Cancellation } from './cancellation';
import { dispatchPost } from './dispatch-post';
import { ResponseTooLargeError } from './response-too-large-error';
import { clearSharedTimeout, type SharedTimeout, setSharedTimeout } from './shared-timeout';

/** A whole upstream answer, read into memory. */
export interface BufferedResponse {
  statusCode: number;
  /** The `Retry-After` header, when the upstream sent one. */
  retryAfter: string | null;
  /** The body; for a non-2xx answer at most `maxErrorBody` bytes of it. */
  body: Buffer;
}

export interface BufferedRequestOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Aborts the call (client gone, deadline passed); the promise rejects with its reason. */
  cancel: Cancellation;
  /** Longest wait for the response headers, ms (timed here to the millisecond, see {@link bufferedRequest}). */
  headersTimeout: number;
  /** Longest gap between body chunks (and from the headers to the first one), ms. */
  bodyTimeout: number;
  /** Bytes kept of a non-2xx body (an error message); the rest is discarded. */
  maxErrorBody: number;
  /** Largest 2xx body read; past it the call is aborted and rejects with a {@link ResponseTooLargeError}. */
  maxBody: number;
  /**
   * Called when the final status line and headers arrived (not for 1xx informational ones): a failure after
   * this is a broken answer, not a failed request.
   */
  onHeaders?: () => void;
}

/**
 * One POST whose answer is read whole, on undici's dispatcher directly. `undici.request` wraps every call in
 * a Readable body stream, an async resource and a promise per stage; on the router's hottest path those cost
 * more CPU and young-GC work than the call itself (measured in bench/). Rejects with undici's own errors
 * (resets), its HeadersTimeoutError / BodyTimeoutError when a timeout here fires, a ResponseTooLargeError
 * past `maxBody`, or, when `cancel` aborts, with `cancel`'s reason.
 *
 * The timeouts are node timers of our own rather than undici's `headersTimeout` / `bodyTimeout`: undici
 * runs timeouts over 1 s on a coarse 500 ms tick, so a 1.5 s limit fired at 1.9–2.0 s.
 */
export function bufferedRequest(
  dispatcher: Dispatcher,
  options: BufferedRequestOptions,
): Promise<BufferedResponse> {
  return dispatchPost(
    dispatcher,
    options,
    (resolve, reject) => new BufferingHandler(options, resolve, reject),
  );
}

/** undici's callback handler (its lowest-level interface), collecting the body chunks. */
class BufferingHandler implements Dispatcher.DispatchHandler {
  private abortRequest: ((reason?: Error) => void) | null = null;
  private statusCode = 0;
  private retryAfter: string | null = null;
  /** The body's first chunk; most answers arrive in one, and need no list (an empty array's first push is 152 B). */
  private first: Buffer | null = null;
  /** Every chunk, from the second on. */
  private chunks: Buffer[] | null = null;
  private size = 0;
  private limit = Number.POSITIVE_INFINITY;
  private settled = false;
  /** Set when the body outgrew `maxBody`: the abort below is ours, not a failure of the upstream's. */
  private tooLarge = false;
  /** Why a timer or the size cap aborted the call before undici handed us its abort function. */
  private pendingAbort: Error | null = null;
  /**
   * One timer for both limits: `headersTimeout` until the final headers, then the body gap. The headers' timer is
   * kept for the body when it falls due no later than the first body gap would: it then fires early at worst and
   * re-arms for what is left, so a whole answer in one read costs one timer, not two. On the shared per-duration
   * timer (./shared-timeout): nearly every answer is whole before it falls due.
   */
  private timer: SharedTimeout | null;
  /** The final (non-1xx) headers arrived: the timer now times body gaps. */
  private headersIn = false;
  /** performance.now() of the last body chunk (or of the headers), for the body-gap timer. */
  private lastDataAt = 0;

  private readonly cancel: Cancellation;

  constructor(
    private readonly options: BufferedRequestOptions,
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.cancel = options.cancel;
    this.cancel.onAbort(this.onCancel);
    this.timer = setSharedTimeout(this.onTimer, options.headersTimeout);
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.cancel.aborted) abort(this.cancel.reason as Error);
    else if (this.pendingAbort) abort(this.pendingAbort);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode;
    this.retryAfter = null;
    if (statusCode < 200) return true; // 1xx: the final headers are still to come
    this.options.onHeaders?.();
    this.limit = this.options.maxBody;
    if (statusCode < 300) {
      // A declared length over the cap is refused before a byte of the body is read.
      for (let i = 0; i < rawHeaders.length; i += 2) {
        const name = rawHeaders[i] as Buffer;
        if (name.length === 14 && name.toString('latin1').toLowerCase() === 'content-length') {
          if (Number((rawHeaders[i + 1] as Buffer).toString('latin1')) > this.limit) {
            this.tooLarge = true;
            this.fail(new ResponseTooLargeError(this.limit));
            return false;
          }
        }
      }
    } else {
      this.limit = this.options.maxErrorBody;
      for (let i = 0; i < rawHeaders.length; i += 2) {
        const name = rawHeaders[i] as Buffer;
        if (name.length === 11 && name.toString('latin1').toLowerCase() === 'retry-after') {
          this.retryAfter = (rawHeaders[i + 1] as Buffer).toString('latin1');
        }
      }
    }
    this.headersIn = true;
    this.lastDataAt = performance.now();
    if (this.timer === null || this.timer.dueAt > this.lastDataAt + this.options.bodyTimeout) {
      if (this.timer) clearSharedTimeout(this.timer);
      this.timer = setSharedTimeout(this.onTimer, this.options.bodyTimeout, this.lastDataAt);
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.lastDataAt = performance.now();
    if (this.size + chunk.length > this.limit) {
      if (this.statusCode >= 200 && this.statusCode < 300) {
        // A success body over the cap is refused whole: stop reading now rather than buffer the rest.
        this.tooLarge = true;
        this.fail(new ResponseTooLargeError(this.limit));
        return false;
      }
      // An error body is only a message: keep its start, discard the rest.
      if (this.size < this.limit) {
        this.keep(chunk.subarray(0, this.limit - this.size));
        this.size = this.limit;
      }
      return true;
    }
    this.keep(chunk);
    this.size += chunk.length;
    return true;
  }

  private keep(chunk: Buffer): void {
    if (this.first === null) this.first = chunk;
    else if (this.chunks === null) this.chunks = [this.first, chunk];
    else this.chunks.push(chunk);
  }

  onComplete(): void {
    if (this.finish()) {
      const body =
        this.chunks !== null ? Buffer.concat(this.chunks, this.size) : (this.first ?? Buffer.alloc(0));
      this.resolve({ statusCode: this.statusCode, retryAfter: this.retryAfter, body });
    }
  }

  onError(error: Error): void {
    if (this.finish()) {
      if (this.cancel.aborted) this.reject(this.cancel.reason);
      else this.reject(this.pendingAbort ?? error);
    }
  }

  private readonly onCancel = (): void => {
    this.abortRequest?.(this.cancel.reason as Error);
  };

  /**
   * Before the final headers: `headersTimeout` ran out. After: fires `bodyTimeout` after the last chunk (or
   * earlier, on the headers' timer), re-arming for the remainder when the gap is not over.
   */
  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.settled) return;
    if (!this.headersIn) {
      this.fail(new errors.HeadersTimeoutError());
      return;
    }
    if (this.options.bodyTimeout - (performance.now() - this.lastDataAt) > 1) {
      this.timer = setSharedTimeout(this.onTimer, this.options.bodyTimeout, this.lastDataAt);
    } else this.fail(new errors.BodyTimeoutError());
  };

  /** Aborts the call with `reason` (a timeout or the size cap); `onError` then rejects with it. */
  private fail(reason: Error): void {
    if (this.settled || this.pendingAbort) return;
    this.pendingAbort = reason;
    this.abortRequest?.(reason);
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.abortRequest = null;
    if (this.timer) clearSharedTimeout(this.timer);
    this.timer = null;
    if (this.tooLarge) {
      this.first = null;
      this.chunks = null;
    }
    this.cancel.offAbort(this.onCancel);
    return true;
  }
}
