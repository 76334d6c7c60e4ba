import type { Dispatcher } from 'undici';
import type { Cancellation } from './cancellation';

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
  headersTimeout: number;
  bodyTimeout: number;
  /** Bytes kept of a non-2xx body (an error message); the rest is discarded. */
  maxErrorBody: number;
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
 * (timeouts, resets) or, when `cancel` aborts, with its reason.
 */
export function bufferedRequest(
  dispatcher: Dispatcher,
  options: BufferedRequestOptions,
): Promise<BufferedResponse> {
  const { cancel } = options;
  return new Promise((resolve, reject) => {
    if (cancel.aborted) {
      reject(cancel.reason);
      return;
    }
    const handler = new BufferingHandler(options, resolve, reject);
    const { origin, path } = splitUrl(options.url);
    dispatcher.dispatch(
      {
        origin,
        path,
        method: 'POST',
        headers: options.headers,
        body: options.body,
        headersTimeout: options.headersTimeout,
        bodyTimeout: options.bodyTimeout,
      },
      handler,
    );
  });
}

/** `http://host:port/a/b` → origin `http://host:port`, path `/a/b` (no URL object per request). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/** undici's callback handler (its lowest-level interface), collecting the body chunks. */
class BufferingHandler implements Dispatcher.DispatchHandler {
  private abortRequest: ((reason?: Error) => void) | null = null;
  private statusCode = 0;
  private retryAfter: string | null = null;
  private chunks: Buffer[] = [];
  private size = 0;
  private limit = Number.POSITIVE_INFINITY;
  private settled = false;

  private readonly cancel: Cancellation;
  private readonly stopListening: () => void;

  constructor(
    private readonly options: BufferedRequestOptions,
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.cancel = options.cancel;
    this.stopListening = this.cancel.onAbort(() => this.abortRequest?.(this.cancel.reason as Error));
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.cancel.aborted) abort(this.cancel.reason as Error);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode;
    this.retryAfter = null;
    if (statusCode >= 200) this.options.onHeaders?.();
    this.limit = Number.POSITIVE_INFINITY;
    if (statusCode < 200 || statusCode >= 300) {
      this.limit = this.options.maxErrorBody;
      for (let i = 0; i < rawHeaders.length; i += 2) {
        const name = rawHeaders[i] as Buffer;
        if (name.length === 11 && name.toString('latin1').toLowerCase() === 'retry-after') {
          this.retryAfter = (rawHeaders[i + 1] as Buffer).toString('latin1');
        }
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.size < this.limit) {
      const keep = Math.min(chunk.length, this.limit - this.size);
      this.chunks.push(keep === chunk.length ? chunk : chunk.subarray(0, keep));
      this.size += keep;
    }
    return true;
  }

  onComplete(): void {
    if (this.finish()) {
      const body =
        this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
      this.resolve({ statusCode: this.statusCode, retryAfter: this.retryAfter, body });
    }
  }

  onError(error: Error): void {
    if (this.finish()) this.reject(this.cancel.aborted ? this.cancel.reason : error);
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.abortRequest = null;
    this.stopListening();
    return true;
  }
}
