import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getTestPostgresServerUrl } from '@switchyard/db/testing';
import { type Proc, SEEDED_MODEL, type Stack, spawnPackage, startStack, waitFor } from '@switchyard/testkit';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_ACTOR } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';
import { createKey, createKeyInput, revokeKey } from '../src/server/keys';

// The production shape of docker-compose.yml: two routers on one PostgreSQL and one Redis, each started by its
// package's start script (compiled, as the image runs it). A key revoked by the console's service function must
// stop on both, not only on the one that happens to be asked.

const REDIS_URL = process.env.REDIS_URL;

let stack: Stack;
let second: { proc: Proc; url: string; spillDir: string };
let ctx: AdminContext;

beforeAll(async () => {
  if (!REDIS_URL) return;
  stack = await startStack(await getTestPostgresServerUrl(), { REDIS_URL });
  ctx = createAdminContext({ prisma: stack.prisma, masterKey: stack.masterKey });
  const spillDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-spill-router-2-'));
  const { proc } = await spawnPackage(
    'apps/router',
    {
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL,
      SWITCHYARD_MASTER_KEY: stack.masterKey,
      ROUTER_HOST: '127.0.0.1',
      ROUTER_PORT: '0',
      USAGE_SPILL_DIR: spillDir,
    },
    /config snapshot ready/,
  );
  const url = proc.output().match(/"url":"(http:\/\/[^"]+)"/)?.[1];
  if (!url) throw new Error(`router-2 did not print its url:\n${proc.output()}`);
  second = { proc, url, spillDir };
}, 120_000);
afterAll(async () => {
  await second?.proc.stop();
  if (second) await rm(second.spillDir, { recursive: true, force: true });
  await stack?.stop();
});

/** The status and, on failure, the error code a router answered a chat completion with. */
async function chat(routerUrl: string, apiKey: string): Promise<{ status: number; code: string | null }> {
  const client = new OpenAI({ apiKey, baseURL: `${routerUrl}/v1`, maxRetries: 0 });
  try {
    await client.chat.completions.create({
      model: SEEDED_MODEL,
      messages: [{ role: 'user', content: 'hi' }],
    });
    return { status: 200, code: null };
  } catch (error) {
    if (error instanceof APIError && error.status !== undefined)
      return { status: error.status, code: typeof error.code === 'string' ? error.code : null };
    throw error;
  }
}

describe.skipIf(!REDIS_URL)('two routers on one database and Redis (needs REDIS_URL)', () => {
  it('a key revoked through the console stops on both routers', async () => {
    const routers = [stack.routerUrl, second.url];
    expect(new Set(routers).size).toBe(2);
    const { key, plaintext } = await createKey(
      ctx,
      ADMIN_TOKEN_ACTOR,
      createKeyInput.parse({ name: 'revoked on both', allowedModels: [SEEDED_MODEL] }),
    );
    for (const url of routers)
      await waitFor(`${url} to serve the new key`, async () => (await chat(url, plaintext)).status === 200);

    const revoked = await revokeKey(ctx, ADMIN_TOKEN_ACTOR, key.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));

    for (const url of routers) {
      await waitFor(
        `${url} to refuse the revoked key`,
        async () => (await chat(url, plaintext)).status === 401,
      );
      expect(await chat(url, plaintext)).toEqual({ status: 401, code: 'revoked_api_key' });
    }
    // The stack's own key is untouched on both.
    for (const url of routers) expect(await chat(url, stack.apiKey)).toEqual({ status: 200, code: null });
  });
});
