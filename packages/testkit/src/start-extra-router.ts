import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ChildEnv, type Proc, READY_TIMEOUT_MS, type Stack, spawnPackage } from './start-stack';

/** A router started beside a stack's own. */
export interface ExtraRouter {
  url: string;
  proc: Proc;
  stop: () => Promise<void>;
}

/**
 * Another router instance on the stack's database and master key, with its own spill directory and `env` on top
 * (e.g. Redis shared with the stack's router, or tracing on for the bench); launched as the stack's router is, with
 * `nodeFlags` in place of its start script's flags of the same name (see spawnPackage).
 */
export async function startExtraRouter(
  stack: Stack,
  env: ChildEnv,
  nodeFlags: readonly string[] = [],
): Promise<ExtraRouter> {
  const spillDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-spill-extra-'));
  const { proc } = await spawnPackage(
    'apps/router',
    {
      DATABASE_URL: stack.databaseUrl,
      SWITCHYARD_MASTER_KEY: stack.masterKey,
      ROUTER_HOST: '127.0.0.1',
      ROUTER_PORT: '0',
      USAGE_FLUSH_MS: '50',
      USAGE_SPILL_DIR: spillDir,
      ...env,
    },
    /config snapshot ready/,
    READY_TIMEOUT_MS,
    nodeFlags,
  );
  const url = proc.output().match(/"url":"(http:\/\/[^"]+)"/)?.[1];
  if (!url) {
    await proc.stop();
    throw new Error(`the extra router did not print its url:\n${proc.output()}`);
  }
  return {
    url,
    proc,
    stop: async () => {
      await proc.stop();
      await rm(spillDir, { recursive: true, force: true });
    },
  };
}
