import pg from 'pg';

/**
 * A one-connection pool for the router's background writers (usage, health). Waits are bounded: a database
 * that is away must fail a write quickly so the caller can spill or retry, never hold it for minutes.
 */
export function createSmallPool(databaseUrl: string, onError?: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    query_timeout: 30_000,
  });
  pool.on('error', onError ?? (() => {}));
  return pool;
}
