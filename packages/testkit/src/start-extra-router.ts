import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ROUTER_NODE_FLAGS from '../../../apps/router/node-flags.json' with { type: 'json' };
import { type Stack, spawnTs } from './start-stack';

/** Another router instance on the stack's database (e.g. to share Redis with the stack's own), with its own spill. */
export async function startExtraRouter(
  stack: Stack,
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const spillDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-spill-extra-'));
  const { proc } = await spawnTs(
    'apps/router/src/main.ts',
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
    30_000,
    ROUTER_NODE_FLAGS,
  );
  const url = proc.output().match(/"url":"(http:\/\/[^"]+)"/)?.[1];
  if (!url) throw new Error(`the extra router did not print its url:\n${proc.output()}`);
  return {
    url,
    stop: async () => {
      await proc.stop();
      await rm(spillDir, { recursive: true, force: true });
    },
  };
}
