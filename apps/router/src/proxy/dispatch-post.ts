import type { Dispatcher } from 'undici';
import type { Cancellation } from './cancellation';

/** One upstream POST as the proxy sends it. */
export interface PostCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Aborts the call (client gone, deadline passed); a call already cancelled is not sent. */
  cancel: Cancellation;
}

/**
 * Sends `call` on undici's dispatcher to the handler `handle` makes, and returns the promise that handler settles.
 * undici's own timers are off (0: they run on a coarse 500 ms tick past 1 s); the handlers keep exact ones.
 */
export function dispatchPost<T>(
  dispatcher: Dispatcher,
  call: PostCall,
  handle: (resolve: (value: T) => void, reject: (error: unknown) => void) => Dispatcher.DispatchHandler,
): Promise<T> {
  const { cancel } = call;
  return new Promise((resolve, reject) => {
    if (cancel.aborted) {
      reject(cancel.reason);
      return;
    }
    const handler = handle(resolve, reject);
    const { origin, path } = splitUrl(call.url);
    dispatcher.dispatch(
      {
        origin,
        path,
        method: 'POST',
        headers: call.headers,
        body: call.body,
        headersTimeout: 0,
        bodyTimeout: 0,
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
