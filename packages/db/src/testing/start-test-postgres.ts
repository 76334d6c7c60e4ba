import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../embedded-postgres';

export interface TestPostgres {
  /** Superuser URL of the server (its `postgres` database); create databases from it. */
  serverUrl: string;
  /** Stops the server and deletes its data; a no-op for an external TEST_DATABASE_URL server. */
  stop(): Promise<void>;
}

export interface StartTestPostgresOptions {
  /** Defaults to `process.env.TEST_DATABASE_URL`. */
  externalUrl?: string;
  log?: (line: string) => void;
}

/**
 * A Postgres server for integration tests: the one at TEST_DATABASE_URL when set (e.g. CI's local server),
 * otherwise a throwaway embedded-postgres cluster in a temp dir on a free port.
 */
export async function startTestPostgres(options: StartTestPostgresOptions = {}): Promise<TestPostgres> {
  const externalUrl = options.externalUrl ?? process.env.TEST_DATABASE_URL;
  if (externalUrl) return { serverUrl: externalUrl, stop: async () => {} };

  const root = await mkdtemp(path.join(os.tmpdir(), 'switchyard-test-pg-'));
  // As root the server runs as another user, which must be able to reach the data directory inside.
  await chmod(root, 0o755);
  try {
    const server = await startOnFreePort(path.join(root, 'data'), options.log);
    return {
      serverUrl: server.serverUrl,
      async stop() {
        await server.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function startOnFreePort(dataDir: string, log?: (line: string) => void) {
  // Another process can take the port between probing and binding; retry on a fresh one.
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    try {
      return await startEmbeddedPostgres({ dataDir, port, ephemeral: true, log });
    } catch (error) {
      const portTaken =
        error instanceof Error && /could not bind|address already in use/i.test(error.message);
      if (!portTaken || attempt >= 3) throw error;
    }
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
