import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';
import { freePort, queryOnce } from './testing';

describe('startEmbeddedPostgres', () => {
  const roots: string[] = [];
  /** World-traversable like a real checkout: as root the server runs as the `postgres` user. */
  const tempRoot = async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'switchyard-embedded-test-'));
    await chmod(root, 0o755);
    roots.push(root);
    return root;
  };
  afterAll(async () => {
    await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  });

  it('initialises once, keeps data across restarts and stops cleanly', async () => {
    const root = await tempRoot();
    const dataDir = path.join(root, 'nested', 'pg');
    const port = await freePort();

    const first = await startEmbeddedPostgres({ dataDir, port, database: 'switchyard' });
    expect(first.connectionString).toMatch(
      new RegExp(`^postgresql://postgres:[0-9a-f]{48}@127\\.0\\.0\\.1:${port}/switchyard$`),
    );
    await queryOnce(
      first.connectionString,
      "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives restart')",
    );
    await first.stop();
    await first.stop();
    await expect(queryOnce(first.connectionString, 'SELECT 1')).rejects.toThrow();
    expect((await stat(path.join(dataDir, 'postmaster.pid')).catch(() => null)) === null).toBe(true);

    const second = await startEmbeddedPostgres({ dataDir, port, database: 'switchyard' });
    try {
      expect(second.connectionString).toBe(first.connectionString);
      expect(await queryOnce(second.connectionString, 'SELECT v FROM kept')).toEqual([
        { v: 'survives restart' },
      ]);
    } finally {
      await second.stop();
    }
  });
});
