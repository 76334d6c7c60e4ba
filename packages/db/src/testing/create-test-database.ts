import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../migrate';

export interface TestDatabase {
  /** URL of a fresh database with every migration applied. */
  databaseUrl: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the server at `serverUrl` and migrates it. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `switchyard_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const drop = () =>
    withClient(serverUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
    ).then(() => {});
  try {
    await applyMigrations(databaseUrl);
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { databaseUrl, drop };
}

async function withClient<T>(connectionString: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => {});
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
