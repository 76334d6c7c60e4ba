import { hashPassword, newId } from '@switchyard/db';
import { getTestPostgresServerUrl } from '@switchyard/db/testing';
import { SEEDED_MODEL, type Stack, startExtraRouter, startStack, waitFor } from '@switchyard/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, userActor } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';
import { createKey, createKeyInput, revokeKey } from '../src/server/keys';

// Issue 15's production shape: two routers on one database and one Redis. A key revoked in the console (the
// service function its revoke action calls, as an owner signed in) must stop on both routers within the bound a
// router promises for configuration changes: LISTEN/NOTIFY at once, else the periodic check every
// SNAPSHOT_REFRESH_MS. Real routers, mock provider and PostgreSQL; the client is the openai SDK.

/** The periodic check of both routers: a revocation must be enforced everywhere within it. */
const SNAPSHOT_REFRESH_MS = 3_000;

describe.skipIf(!process.env.REDIS_URL)(
  'a key revoked in the console, with two routers (needs REDIS_URL)',
  () => {
    let stack: Stack;
    let second: { url: string; stop: () => Promise<void> };
    let ctx: AdminContext;
    let owner: Actor;

    beforeAll(async () => {
      const env = {
        REDIS_URL: process.env.REDIS_URL as string,
        SNAPSHOT_REFRESH_MS: String(SNAPSHOT_REFRESH_MS),
      };
      stack = await startStack(await getTestPostgresServerUrl(), env);
      second = await startExtraRouter(stack, env);
      ctx = createAdminContext({ prisma: stack.prisma, masterKey: stack.masterKey });
      const user = await stack.prisma.user.create({
        data: {
          id: newId('usr'),
          email: 'owner@example.com',
          name: 'Owner',
          passwordHash: await hashPassword('correct horse battery staple'),
          role: 'owner',
        },
      });
      owner = userActor({ ...user, role: 'owner' });
    }, 120_000);
    afterAll(async () => {
      await second?.stop();
      await stack?.stop();
    });

    /** A chat completion's status and error code on the router at `routerUrl`. */
    async function chat(routerUrl: string, apiKey: string): Promise<{ status: number; code: string | null }> {
      const client = new OpenAI({ apiKey, baseURL: `${routerUrl}/v1`, maxRetries: 0 });
      try {
        await client.chat.completions.create({
          model: SEEDED_MODEL,
          messages: [{ role: 'user', content: 'hi' }],
        });
        return { status: 200, code: null };
      } catch (error) {
        if (!(error instanceof OpenAI.APIError)) throw error;
        return { status: error.status ?? 0, code: typeof error.code === 'string' ? error.code : null };
      }
    }

    it('stops on both routers within the snapshot refresh bound', async () => {
      const routers = [stack.routerUrl, second.url];
      expect(new Set(routers).size).toBe(2);
      const created = await createKey(ctx, owner, createKeyInput.parse({ name: 'two routers' }));
      for (const url of routers) {
        await waitFor(
          `${url} to serve the new key`,
          async () => (await chat(url, created.plaintext)).status === 200,
          {
            timeoutMs: 10_000,
          },
        );
      }

      const revoked = await revokeKey(ctx, owner, created.key.id);
      expect(revoked.status).toBe('revoked');
      const revokedAt = Date.now();
      const stoppedAfter = await Promise.all(
        routers.map((url) =>
          waitFor(
            `${url} to refuse the revoked key`,
            async () => {
              const result = await chat(url, created.plaintext);
              return result.status === 200 ? null : { ...result, afterMs: Date.now() - revokedAt };
            },
            { timeoutMs: SNAPSHOT_REFRESH_MS * 3, intervalMs: 50 },
          ),
        ),
      );
      for (const stopped of stoppedAfter) {
        expect(stopped).toMatchObject({ status: 401, code: 'revoked_api_key' });
        expect(stopped.afterMs).toBeLessThanOrEqual(SNAPSHOT_REFRESH_MS);
      }
      // And it stays refused on both.
      for (const url of routers)
        expect(await chat(url, created.plaintext)).toEqual({ status: 401, code: 'revoked_api_key' });
    }, 60_000);
  },
);
