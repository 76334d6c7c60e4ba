import pg from 'pg';

/** Channel the `config_notify` migration's triggers publish on; the payload is the table that changed. */
export const CONFIG_CHANNEL = 'switchyard_config';

export type ConfigChange =
  /** A configuration table changed (delivered after the writing transaction committed). */
  | { reason: 'notify'; table: string }
  /**
   * LISTEN is (re-)established. Notifications sent while not listening are lost, so treat this as "reload":
   * on the first connection it also covers changes made between the caller's initial load and LISTEN.
   */
  | { reason: 'connected'; reconnect: boolean };

export interface ListenForConfigChangesOptions {
  log?: (message: string) => void;
  /** First retry delay after a lost connection; doubles up to `maxBackoffMs`. Default 250 ms. */
  initialBackoffMs?: number;
  /** Default 10 s. */
  maxBackoffMs?: number;
  /** A silently dead connection (no RST) is only noticed by talking on it: ping this often. Default 15 s. */
  pingIntervalMs?: number;
}

export interface ConfigListener {
  /** Stops listening and closes the connection. Idempotent. */
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 5_000;

/**
 * LISTENs for configuration changes on a dedicated connection, reconnecting with exponential backoff whenever the
 * connection fails. Never throws into the caller: connection errors are logged and retried, and exceptions from
 * `onChange` are logged and swallowed.
 */
export function listenForConfigChanges(
  databaseUrl: string,
  onChange: (change: ConfigChange) => void,
  options: ListenForConfigChangesOptions = {},
): ConfigListener {
  const log = options.log ?? (() => {});
  const initialBackoffMs = options.initialBackoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;

  let closed = false;
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let backoffMs = initialBackoffMs;
  let everConnected = false;

  const emit = (change: ConfigChange) => {
    try {
      onChange(change);
    } catch (error) {
      log(`config listener: onChange threw: ${describe(error)}`);
    }
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    // Full jitter around the backoff so many routers do not reconnect in lockstep after a database restart.
    const delay = Math.round(backoffMs / 2 + Math.random() * (backoffMs / 2));
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref?.();
  };

  const dropConnection = (current: pg.Client, why: string) => {
    if (client !== current) return;
    client = undefined;
    clearInterval(pingTimer);
    pingTimer = undefined;
    current.removeAllListeners('notification');
    current.end().catch(() => {});
    if (closed) return;
    log(`config listener: connection lost (${why}); reconnecting`);
    scheduleReconnect();
  };

  const connect = async () => {
    if (closed) return;
    const current = new pg.Client({
      connectionString: databaseUrl,
      keepAlive: true,
      application_name: 'switchyard-config-listener',
    });
    current.on('error', (error) => dropConnection(current, describe(error)));
    current.on('end', () => dropConnection(current, 'connection ended'));
    current.on('notification', (message) => {
      if (message.channel === CONFIG_CHANNEL) emit({ reason: 'notify', table: message.payload ?? '' });
    });
    client = current;
    try {
      await current.connect();
      await current.query(`LISTEN ${CONFIG_CHANNEL}`);
    } catch (error) {
      if (client === current) {
        client = undefined;
        current.end().catch(() => {});
        if (!closed) {
          log(`config listener: cannot listen (${describe(error)}); retrying`);
          scheduleReconnect();
        }
      }
      return;
    }
    if (closed || client !== current) {
      current.end().catch(() => {});
      return;
    }
    backoffMs = initialBackoffMs;
    pingTimer = setInterval(() => void ping(current), pingIntervalMs);
    pingTimer.unref?.();
    const reconnect = everConnected;
    everConnected = true;
    if (reconnect) log('config listener: reconnected');
    emit({ reason: 'connected', reconnect });
  };

  const ping = async (current: pg.Client) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        current.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer to ping within ${PING_TIMEOUT_MS} ms`)),
            PING_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      dropConnection(current, describe(error));
    } finally {
      clearTimeout(timer);
    }
  };

  void connect();

  return {
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners('notification');
        await current.end().catch(() => {});
      }
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
