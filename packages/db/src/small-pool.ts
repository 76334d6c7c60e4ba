import pg from 'pg';

/**
 * A small pool (one connection unless `max` says more) for the router's background work: usage and health writes,
 * configuration reads. Waits are bounded: a database that is away must fail a write quickly so the caller can spill
 * or retry (or a read, so the router keeps serving its last snapshot), never hold it for minutes.
 */
export function createSmallPool(databaseUrl: string, onError?: (error: Error) => void, max = 1): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    query_timeout: 30_000,
  });
  pool.on('error', onError ?? (() => {}));
  return pool;
}
