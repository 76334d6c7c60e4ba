import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** The one Redis connection a router process shares between budgets and rate limits. */
export interface RedisConnection {
  /** The client; commands fail fast (no offline queue) while the connection is down. */
  readonly client: Redis;
  /** True while the connection is established and ready for commands. */
  isUp(): boolean;
  /**
   * The reply to `command`, or a rejection once Redis has had the command timeout to answer while this process was
   * running. A process too busy to read its socket (a loaded event loop, a starved CPU) must not take its own lag
   * for Redis being down: a reply already waiting is read before the timeout is judged, and a wait the process
   * mostly spent stalled starts again (up to the client's backstop, ten timeouts).
   */
  answer<T>(command: Promise<T>): Promise<T>;
  /** Closes the connection; pending commands fail. */
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  logger: Logger;
  /** Longest wait between reconnect attempts. Default 2 s. */
  maxReconnectDelayMs?: number;
  /**
   * How long Redis may take to answer a command (so a stalled Redis fails the request path fast), counted while
   * this process runs; see {@link RedisConnection.answer}. Default 500 ms.
   */
  commandTimeoutMs?: number;
}

/**
 * Connects to Redis for state shared by every router instance. Never crashes the process: it reconnects
 * forever with capped backoff, and while it is down commands are rejected at once (`enableOfflineQueue:
 * false`, one attempt per command) so each caller applies its own failure policy instead of queueing
 * requests behind a dead connection. One log line when the connection goes down and one when it is back,
 * not one per retry.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions): RedisConnection {
  const { logger } = options;
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const timeoutMs = options.commandTimeoutMs ?? 500;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Only a backstop: ioredis's timer fires before a reply waiting in the socket is read, so a busy process would
    // time out answers Redis already gave; `answer` judges timeouts.
    commandTimeout: timeoutMs * 10,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
    // Re-running a reserve after a reconnect could hold budget twice: callers decide, not the client.
    autoResendUnfulfilledCommands: false,
    lazyConnect: false,
    // Commands issued in the same turn of the event loop (a request's budget settlement and TPM correction, and
    // those of every other request finishing then) go out in one write and come back in one read.
    enableAutoPipelining: true,
  });
  let up = false;
  let everUp = false;
  let reportedDown = false;
  let closing = false;
  const target = redactRedisUrl(url);
  client.on('ready', () => {
    up = true;
    if (reportedDown || !everUp)
      logger.info(everUp ? 'redis connection restored' : 'redis connected', { redis: target });
    everUp = true;
    reportedDown = false;
  });
  const down = (error?: Error) => {
    up = false;
    if (reportedDown || closing) return;
    reportedDown = true;
    logger.error('redis unavailable; shared limits use their failure policy until it is back', {
      redis: target,
      ...(error ? { error: error.message } : {}),
    });
  };
  client.on('error', (error: Error) => down(error));
  client.on('close', () => down());
  client.on('end', () => {
    up = false;
  });
  return {
    client,
    isUp: () => up && client.status === 'ready',
    answer: (command) => answerWithin(command, timeoutMs),
    close: async () => {
      closing = true;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

/**
 * `command`'s outcome, or a timeout once `timeoutMs` passed with this process running. The expiry is judged
 * after the I/O of its turn of the event loop (setImmediate), so a reply that came while the process was busy
 * wins; an expiry that comes more than half a timeout late (the process was stalled for much of the wait) arms a
 * new one instead of failing.
 */
function answerWithin<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let due = performance.now() + timeoutMs;
    let timer: NodeJS.Timeout;
    const judge = () => {
      if (settled) return;
      const now = performance.now();
      if (now - due > timeoutMs / 2) {
        due = now + timeoutMs;
        timer = setTimeout(expire, timeoutMs);
        return;
      }
      settled = true;
      reject(new Error(`redis did not answer within ${timeoutMs} ms`));
    };
    const expire = () => setImmediate(judge);
    timer = setTimeout(expire, timeoutMs);
    command.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable url)';
  }
}
