import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate';
import { readMigrationsDirectory } from './migrations-directory';
import { createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';

async function query<T extends pg.QueryResultRow>(databaseUrl: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('applyMigrations', () => {
  let serverUrl: string;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    serverUrl = await getTestPostgresServerUrl();
  });
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('records every migration folder in _prisma_migrations with the sha256 of its script', async () => {
    const db = await createTestDatabase(serverUrl);
    databases.push(db);
    const folders = (await readMigrationsDirectory()).migrationDirectories;
    const rows = await query<{ migration_name: string; checksum: string; finished: boolean }>(
      db.databaseUrl,
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    );
    const { createHash } = await import('node:crypto');
    expect(rows).toEqual(
      folders.map((folder) => ({
        migration_name: folder.path,
        checksum: createHash('sha256')
          .update(folder.migrationFile.content.tag === 'ok' ? folder.migrationFile.content.value : '')
          .digest('hex'),
        finished: true,
      })),
    );
    expect(rows.map((row) => row.migration_name)).toContainEqual(expect.stringMatching(/_config_notify$/));
  });

  it('is idempotent: a second run applies nothing', async () => {
    const db = await createTestDatabase(serverUrl);
    databases.push(db);
    expect(await applyMigrations(db.databaseUrl)).toEqual({ applied: [] });
  });

  it('lets concurrent callers race safely: the migrations are applied exactly once', async () => {
    const db = await createTestDatabase(serverUrl);
    databases.push(db);
    await query(db.databaseUrl, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const results = await Promise.all([
      applyMigrations(db.databaseUrl),
      applyMigrations(db.databaseUrl),
      applyMigrations(db.databaseUrl),
    ]);
    const appliedCounts = results.map((result) => result.applied.length).sort();
    const total = (await readMigrationsDirectory()).migrationDirectories.length;
    expect(appliedCounts).toEqual([0, 0, total]);
    const [{ count }] = (await query<{ count: string }>(
      db.databaseUrl,
      'SELECT count(*) FROM _prisma_migrations',
    )) as [{ count: string }];
    expect(Number(count)).toBe(total);
  });

  it('installs the config-change triggers on every configuration table', async () => {
    const db = await createTestDatabase(serverUrl);
    databases.push(db);
    const rows = await query<{ table: string }>(
      db.databaseUrl,
      `SELECT DISTINCT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE NOT t.tgisinternal AND t.tgfoid = 'switchyard_notify_config_change'::regproc ORDER BY 1`,
    );
    expect(rows.map((row) => row.table)).toEqual([
      'api_keys',
      'budgets',
      'prices',
      'providers',
      'route_targets',
      'routes',
      'teams',
      'upstream_accounts',
    ]);
  });
});
