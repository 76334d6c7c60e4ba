import pg from 'pg';

export interface SmallPoolOptions {
  onError?: (error: Error) => void;
  /** Connections at most; one unless said. */
  max?: number;
  /**
   * Keep the pool's connection open while idle instead of closing it after 30 s. For a writer whose latency after
   * a quiet spell is user-visible: the first write on a new connection (backend fork, auth, catalog caches,
   * planning a named statement again) took 70-150 ms against 10-30 ms on a warm one, and a server at
   * max_connections refuses a new connection outright (docs/architecture.md, usage writer).
   */
  keepConnection?: boolean;
  /** Shown in `pg_stat_activity.application_name`, so an operator can tell the router's connections apart. */
  applicationName?: string;
}

/**
 * A small pool (one connection unless `max` says more) for the router's background work: usage and health writes,
 * configuration reads. Waits are bounded: a database that is away must fail a write quickly so the caller can spill
 * or retry (or a read, so the router keeps serving its last snapshot), never hold it for minutes.
 */
export function createSmallPool(databaseUrl: string, options: SmallPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 1,
    // 0: never closed for idleness. A kept connection that dies (server restart, a middlebox dropping it) is
    // removed by the pool's error handler and the next query opens a new one, as before.
    idleTimeoutMillis: options.keepConnection ? 0 : 30_000,
    // TCP keepalives, so a firewall or NAT between here and PostgreSQL does not silently drop a kept connection.
    keepAlive: options.keepConnection ?? false,
    connectionTimeoutMillis: 5_000,
    query_timeout: 30_000,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  pool.on('error', options.onError ?? (() => {}));
  return pool;
}
