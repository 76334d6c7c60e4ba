import { getTestPostgresServerUrl } from '@switchyard/db/testing';
import { SEEDED_MODEL, type Stack, startStack, waitFor } from '@switchyard/testkit';
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_ACTOR } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';
import {
  createKey,
  createKeyInput,
  getKey,
  rotateKey,
  rotateKeyInput,
  updateKey,
  updateKeyInput,
} from '../src/server/keys';

// A rotation made by the dashboard's own service function must be what a real router enforces: the old key keeps
// serving through its grace, then gets 401 expired_api_key; the new key serves throughout. Real router, mock
// provider and PostgreSQL; the client is the openai SDK.

let stack: Stack;
let ctx: AdminContext;

beforeAll(async () => {
  stack = await startStack(await getTestPostgresServerUrl());
  ctx = createAdminContext({ prisma: stack.prisma, masterKey: stack.masterKey });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** The status and, on failure, the error code the router answered a chat completion with. */
async function chat(
  apiKey: string,
): Promise<{ status: number; code: string | null; content: string | null }> {
  try {
    const completion = await stack.client(apiKey).chat.completions.create({
      model: SEEDED_MODEL,
      messages: [{ role: 'user', content: 'hi' }],
    });
    return { status: 200, code: null, content: completion.choices[0]?.message.content ?? null };
  } catch (error) {
    if (error instanceof APIError && error.status !== undefined) {
      return {
        status: error.status,
        code: typeof error.code === 'string' ? error.code : null,
        content: null,
      };
    }
    throw error;
  }
}

describe('rotating a key with a grace period', () => {
  it('keeps the old key working until the grace ends, then refuses it; the new key works', async () => {
    const created = await createKey(
      ctx,
      ADMIN_TOKEN_ACTOR,
      createKeyInput.parse({ name: 'rotating', allowedModels: [SEEDED_MODEL], tags: ['rotation'] }),
    );
    const oldPlaintext = created.plaintext;
    await waitFor('the router to know the key', async () => (await chat(oldPlaintext)).status === 200);

    const rotated = await rotateKey(
      ctx,
      ADMIN_TOKEN_ACTOR,
      created.key.id,
      rotateKeyInput.parse({ graceSeconds: 2 }),
    );
    const stopAt = Date.parse(rotated.oldKey.expiresAt ?? '');
    expect(stopAt).toBeGreaterThan(Date.now());
    expect(rotated.oldKey.rotatedTo).toBe(rotated.key.id);
    expect(rotated.key).toMatchObject({
      rotatedFrom: created.key.id,
      allowedModels: [SEEDED_MODEL],
      tags: ['rotation'],
    });

    // Inside the grace the old key still serves.
    const during = await chat(oldPlaintext);
    const answeredAt = Date.now();
    expect(answeredAt).toBeLessThan(stopAt);
    expect(during.status).toBe(200);
    expect(during.content).toEqual(expect.any(String));

    // The new key reaches the router's snapshot and serves.
    await waitFor(
      'the router to know the new key',
      async () => (await chat(rotated.plaintext)).status === 200,
      {
        timeoutMs: 5_000,
        intervalMs: 100,
      },
    );

    // After the grace the old key is refused with 401 expired_api_key, and not before its time.
    const refused = await waitFor(
      'the old key to be refused',
      async () => {
        const result = await chat(oldPlaintext);
        return result.status === 200 ? null : { ...result, at: Date.now() };
      },
      { timeoutMs: 8_000, intervalMs: 100 },
    );
    expect(refused).toMatchObject({ status: 401, code: 'expired_api_key' });
    expect(refused.at).toBeGreaterThanOrEqual(stopAt);

    // The new key keeps serving; the readback shows the old one expired and rotated.
    const after = await chat(rotated.plaintext);
    expect(after.status).toBe(200);
    expect(await getKey(ctx, ADMIN_TOKEN_ACTOR, created.key.id)).toMatchObject({
      status: 'expired',
      rotatedTo: rotated.key.id,
    });
    expect(await getKey(ctx, ADMIN_TOKEN_ACTOR, rotated.key.id)).toMatchObject({
      status: 'active',
      rotatedFrom: created.key.id,
    });
  }, 60_000);
});

describe('scheduling a revocation', () => {
  it('keeps the key working until the chosen time, then every request is refused', async () => {
    const created = await createKey(
      ctx,
      ADMIN_TOKEN_ACTOR,
      createKeyInput.parse({ name: 'scheduled', allowedModels: [SEEDED_MODEL] }),
    );
    await waitFor('the router to know the key', async () => (await chat(created.plaintext)).status === 200);

    // What PATCH /api/admin/v1/keys/{id} with { expiresAt } runs: the console's "Revoke at" sends the same.
    const revokeAt = new Date(Date.now() + 2_000).toISOString();
    const scheduled = await updateKey(
      ctx,
      ADMIN_TOKEN_ACTOR,
      created.key.id,
      updateKeyInput.parse({ expiresAt: revokeAt }),
    );
    expect(scheduled).toMatchObject({ status: 'active', expiresAt: revokeAt, revokedAt: null });
    const stopAt = Date.parse(revokeAt);

    const before = await chat(created.plaintext);
    expect(Date.now()).toBeLessThan(stopAt);
    expect(before.status).toBe(200);

    const refused = await waitFor(
      'the key to be refused',
      async () => {
        const result = await chat(created.plaintext);
        return result.status === 200 ? null : { ...result, at: Date.now() };
      },
      { timeoutMs: 8_000, intervalMs: 100 },
    );
    expect(refused).toMatchObject({ status: 401, code: 'expired_api_key' });
    expect(refused.at).toBeGreaterThanOrEqual(stopAt);
    expect(await getKey(ctx, ADMIN_TOKEN_ACTOR, created.key.id)).toMatchObject({ status: 'expired' });
  }, 60_000);
});
