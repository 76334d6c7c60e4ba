import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';
import { freePort, queryOnce } from './testing';

describe('startEmbeddedPostgres failures', () => {
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

  it('refuses connections without the generated password', async () => {
    const root = await tempRoot();
    const server = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port: await freePort() });
    try {
      const url = new URL(server.connectionString);
      url.password = 'wrong';
      await expect(queryOnce(url.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    } finally {
      await server.stop();
    }
  });

  it('explains when the data directory is out of reach of the service user (as root)', async () => {
    if (process.getuid?.() !== 0) return;
    const root = await mkdtemp(path.join(os.tmpdir(), 'switchyard-embedded-test-'));
    roots.push(root);
    await expect(
      startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port: await freePort() }),
    ).rejects.toThrow(/runs as user "postgres", who cannot reach .*chmod o\+x/);
  });

  it('fails with the server log when the port is taken', async () => {
    const root = await tempRoot();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port })).rejects.toThrow(
        /could not bind|Address already in use/,
      );
    } finally {
      blocker.close();
    }
  });
});
