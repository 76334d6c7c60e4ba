import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnPackage } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// Starting ROUTER_WORKERS > 1 wrong fails at once with the reason, instead of serving with per-worker limits or
// restarting workers forever. No Redis is needed: neither start gets as far as connecting to it.

let spillDir: string;
beforeAll(async () => {
  spillDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-spill-workers-'));
});
afterAll(async () => {
  await rm(spillDir, { recursive: true, force: true });
});

/** Starts the router and returns what it printed before it exited (it must exit, not become ready). */
async function failedStart(env: Record<string, string>): Promise<string> {
  const started = spawnPackage(
    'apps/router',
    {
      DATABASE_URL: inject('pgServerUrl'),
      SWITCHYARD_MASTER_KEY: randomBytes(32).toString('hex'),
      ROUTER_HOST: '127.0.0.1',
      USAGE_SPILL_DIR: spillDir,
      ...env,
    },
    /config snapshot ready/,
    60_000,
  );
  try {
    const { proc } = await started;
    await proc.stop();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the router started');
}

describe('ROUTER_WORKERS', () => {
  it('refuses more than one worker without REDIS_URL, saying why', async () => {
    // Blank, as compose passes an unset variable (and this run's own REDIS_URL must not leak in).
    const output = await failedStart({ ROUTER_WORKERS: '2', REDIS_URL: '', ROUTER_PORT: '0' });
    expect(output).toMatch(/exited with 1 before it was ready/);
    expect(output).toContain(
      'ROUTER_WORKERS: more than one worker needs REDIS_URL: budgets and rate limits must be shared by every worker',
    );
    expect(output).not.toMatch(/starting router workers/);
  });

  describe('when a worker cannot start', () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      port = (taken.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => taken.close(resolve));
    });

    it('stops every worker and exits 1 rather than restarting them', async () => {
      const output = await failedStart({
        ROUTER_WORKERS: '2',
        REDIS_URL: 'redis://127.0.0.1:1',
        ROUTER_PORT: String(port),
      });
      expect(output).toMatch(/exited with 1 before it was ready/);
      expect(output).toMatch(/"workers":2,"msg":"starting router workers"/);
      expect(output).toMatch(/"msg":"a router worker exited before every worker had started; stopping"/);
      expect(output).toMatch(/EADDRINUSE/);
      expect(output).not.toMatch(/starting a new one in its slot/);
    });
  });
});
