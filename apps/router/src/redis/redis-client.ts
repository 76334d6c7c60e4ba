import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** The one Redis connection a router process shares between budgets and rate limits. */
export interface RedisConnection {
  /** The client; commands fail fast (no offline queue) while the connection is down. */
  readonly client: Redis;
  /** True while the connection is established and ready for commands. */
  isUp(): boolean;
  /** Closes the connection; pending commands fail. */
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  logger: Logger;
  /** Longest wait between reconnect attempts. Default 2 s. */
  maxReconnectDelayMs?: number;
  /** How long a command may take before it fails (so a stalled Redis fails the request path fast). Default 500 ms. */
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
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
    // Re-running a reserve after a reconnect could hold budget twice: callers decide, not the client.
    autoResendUnfulfilledCommands: false,
    lazyConnect: false,
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
