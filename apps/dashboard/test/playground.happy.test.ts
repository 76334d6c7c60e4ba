import { getTestPostgresServerUrl } from '@switchyard/db/testing';
import { SEEDED_MODEL, type Stack, startStack, waitFor } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, ADMIN_TOKEN_ACTOR } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';
import { AdminError } from '../src/server/admin-error';
import { createKey, createKeyInput, getKey } from '../src/server/keys';
import {
  endPlaygroundSession,
  openPlaygroundSession,
  PLAYGROUND_KEY_TTL_SECONDS,
  startPlaygroundSession,
} from '../src/server/playground-session';
import { runSmokeTest } from '../src/server/playground-smoke-tests';

// The playground's server half against a real router, the mock provider and PostgreSQL: a run mints a key that
// copies the picked key's policy, the router accepts it at once, the smoke tests pass, and ending the run revokes
// the key on the router too. The sealed session opens only for the actor that started it.

const SECRET = 'playground-test-secret-at-least-32-characters';
let stack: Stack;
let ctx: AdminContext;
const someoneElse: Actor = { kind: 'user', userId: 'usr_other', email: 'other@example.com', role: 'owner' };

beforeAll(async () => {
  stack = await startStack(await getTestPostgresServerUrl());
  ctx = createAdminContext({ prisma: stack.prisma, masterKey: stack.masterKey });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

async function routerStatus(apiKey: string): Promise<{ status: number; code: string | null }> {
  const res = await fetch(`${stack.routerUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
  const body = (await res.json()) as { error?: { code?: string } };
  return { status: res.status, code: body.error?.code ?? null };
}

describe('a playground run', () => {
  it('mints a short-lived key like the picked one, runs the smoke tests, and revokes the key at the end', async () => {
    const template = await createKey(
      ctx,
      ADMIN_TOKEN_ACTOR,
      createKeyInput.parse({ name: 'app team key', allowedModels: [SEEDED_MODEL], environment: 'staging' }),
    );
    const before = Date.now();
    const session = await startPlaygroundSession(ctx, ADMIN_TOKEN_ACTOR, {
      templateKeyId: template.key.id,
      routerUrl: stack.routerUrl,
      secret: SECRET,
    });
    // The browser holds only the sealed form: the plaintext is not in it.
    const { plaintext, keyId } = await openPlaygroundSession(ADMIN_TOKEN_ACTOR, session.sealed, SECRET);
    expect(keyId).toBe(session.keyId);
    expect(plaintext).toMatch(/^sk-sy-/);
    expect(session.sealed).not.toContain(plaintext);

    const minted = await getKey(ctx, ADMIN_TOKEN_ACTOR, session.keyId);
    expect(minted).toMatchObject({
      status: 'active',
      tags: ['playground'],
      allowedModels: [SEEDED_MODEL],
      environment: 'staging',
    });
    const expiresAt = Date.parse(minted.expiresAt ?? '');
    expect(expiresAt).toBeGreaterThan(before);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + PLAYGROUND_KEY_TTL_SECONDS * 1000);

    // Ready means ready: the first call after minting is served.
    const chat = await runSmokeTest('chat', stack.routerUrl, plaintext, SEEDED_MODEL);
    expect(chat.passed).toBe(true);
    expect(chat.output).toContain('Say hello to Switchyard from the playground');
    expect(chat.calls).toEqual([
      expect.objectContaining({
        step: 'request',
        status: 200,
        requestId: expect.any(String),
        servedModel: 'mock-gpt-4o-mini',
        servedProvider: 'mock',
        route: SEEDED_MODEL,
        promptTokens: expect.any(Number),
        completionTokens: expect.any(Number),
      }),
    ]);

    const tools = await runSmokeTest('tools', stack.routerUrl, plaintext, SEEDED_MODEL);
    expect(tools.passed).toBe(true);
    expect(tools.calls.map((call) => [call.step, call.status])).toEqual([
      ['tool call', 200],
      ['tool result', 200],
    ]);
    expect(tools.output).toContain('get_weather(');
    expect(tools.output).toContain('tool result: {"temperature_c":21,"conditions":"sunny"}');

    const bad = await runSmokeTest('bad-model', stack.routerUrl, plaintext, SEEDED_MODEL);
    expect(bad.passed).toBe(true);
    expect(bad.error).toMatchObject({ status: 404, code: 'model_not_found' });
    expect(bad.calls[0]?.requestId).toEqual(expect.any(String));

    // A model the router serves but the template does not allow is refused: the run tests the picked key's policy.
    await stack.addRoute({
      publicModel: 'chat-other',
      targets: [{ accountId: stack.accountId, upstreamModel: 'mock-gpt-4o-mini' }],
    });
    const elsewhere = await runSmokeTest('chat', stack.routerUrl, plaintext, 'chat-other');
    expect(elsewhere.passed).toBe(false);
    expect(elsewhere.error).toMatchObject({ status: 403, code: 'model_not_allowed' });

    // The usage rows are the run key's, with a cost.
    const rows = await waitFor('the run usage rows', async () => {
      const found = await stack.prisma.usageEvent.findMany({ where: { keyId: session.keyId } });
      return found.length >= 4 ? found : null;
    });
    const chatRow = rows.find((row) => row.requestId === chat.calls[0]?.requestId);
    expect(chatRow?.costMicros).toBeGreaterThan(0n);

    await expect(openPlaygroundSession(someoneElse, session.sealed, SECRET)).rejects.toThrow(AdminError);
    await expect(openPlaygroundSession(ADMIN_TOKEN_ACTOR, `${session.sealed}x`, SECRET)).rejects.toThrow(
      /invalid or has expired/,
    );

    await endPlaygroundSession(ctx, ADMIN_TOKEN_ACTOR, session.sealed, SECRET);
    expect((await getKey(ctx, ADMIN_TOKEN_ACTOR, session.keyId)).status).toBe('revoked');
    await waitFor('the router to refuse the revoked key', async () => {
      const answer = await routerStatus(plaintext);
      return answer.status === 401 && answer.code === 'revoked_api_key';
    });
  });

  it('viewers cannot mint a playground key', async () => {
    const viewer: Actor = { kind: 'user', userId: 'usr_viewer', email: 'v@example.com', role: 'viewer' };
    await expect(
      startPlaygroundSession(ctx, viewer, {
        templateKeyId: null,
        routerUrl: stack.routerUrl,
        secret: SECRET,
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});
