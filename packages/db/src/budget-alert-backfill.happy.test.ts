import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate';
import { defaultMigrationsDir } from './migrations-directory';
import { getTestPostgresServerUrl } from './testing';

const DELIVERY_MIGRATION = '20261205161544_budget_alert_delivery';

/** The alerts an upgraded database holds: which become due for webhook delivery, and which stay as they were. */
describe('migration budget_alert_delivery', () => {
  let serverUrl: string;
  let databaseUrl: string;
  let olderMigrations: string;
  const name = `switchyard_test_${randomBytes(6).toString('hex')}`;

  const admin = async <T>(run: (client: pg.Client) => Promise<T>, url = serverUrl): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    serverUrl = await getTestPostgresServerUrl();
    await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    // Every migration before this one, as a database still running the previous release has them.
    olderMigrations = await mkdtemp(path.join(os.tmpdir(), 'switchyard-migrations-'));
    await cp(defaultMigrationsDir, olderMigrations, {
      recursive: true,
      filter: (source) => !source.includes(DELIVERY_MIGRATION),
    });
  });
  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
    await rm(olderMigrations, { recursive: true, force: true });
  });

  it('makes recent undelivered alerts of budgets with a webhook due, and leaves every other alert alone', async () => {
    expect((await applyMigrations(databaseUrl, { migrationsDir: olderMigrations })).applied).not.toContain(
      DELIVERY_MIGRATION,
    );
    await admin(async (c) => {
      await c.query(`
        INSERT INTO budgets (id, name, scope, period, limit_micros, webhook_url, updated_at) VALUES
          ('bud_hook', 'with webhook', 'global', 'monthly', 1000000, 'http://127.0.0.1:9/hook', now()),
          ('bud_none', 'console only', 'global', 'monthly', 1000000, NULL, now())`);
      await c.query(`
        INSERT INTO budget_alerts (id, budget_id, period_start, threshold, spend_micros, limit_micros,
          delivered_at, created_at) VALUES
          ('alrt_recent', 'bud_hook', '2026-12-01', 50, 500000, 1000000, NULL, now() - interval '2 hours'),
          ('alrt_old', 'bud_hook', '2026-12-01', 80, 800000, 1000000, NULL, now() - interval '2 days'),
          ('alrt_sent', 'bud_hook', '2026-12-01', 100, 1000000, 1000000, now(), now() - interval '1 hour'),
          ('alrt_nohook', 'bud_none', '2026-12-01', 50, 500000, 1000000, NULL, now() - interval '1 hour')`);
    }, databaseUrl);

    expect((await applyMigrations(databaseUrl)).applied).toEqual([DELIVERY_MIGRATION]);

    const rows = await admin(
      (c) =>
        c.query<{ id: string; due: boolean; delivery_attempts: number }>(
          `SELECT id, next_delivery_at IS NOT NULL AND next_delivery_at <= now() AS due, delivery_attempts
           FROM budget_alerts ORDER BY id`,
        ),
      databaseUrl,
    );
    expect(rows.rows).toEqual([
      { id: 'alrt_nohook', due: false, delivery_attempts: 0 },
      { id: 'alrt_old', due: false, delivery_attempts: 0 },
      { id: 'alrt_recent', due: true, delivery_attempts: 0 },
      { id: 'alrt_sent', due: false, delivery_attempts: 0 },
    ]);
  });
});
