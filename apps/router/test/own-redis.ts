import { createServer } from 'node:net';
import { spawnProcess } from '@switchyard/testkit';

/** A redis-server of a test's own: no other test's traffic in its counters, and it may be paused at will. */
export interface OwnRedis {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Starts `redis-server` (on PATH) on a free local port, without persistence. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const { proc } = await spawnProcess(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { env: {}, ready: /Ready to accept connections/ },
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await proc.stop();
    },
  };
}
