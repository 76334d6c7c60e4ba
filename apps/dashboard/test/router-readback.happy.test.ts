import { getTestPostgresServerUrl } from '@switchyard/db/testing';
import { type Stack, startStack, waitFor } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetAccountCredential } from '../src/server/accounts';
import { ADMIN_TOKEN_ACTOR } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';

// What the console and the admin API say about routing must be what a real router does. One real stack (router,
// mock provider, PostgreSQL) with the environment the issue tried: ROUTER_MAX_ATTEMPTS=3, BREAKER_FAILURES=5,
// active health checks off by default. The dashboard's own service functions make every change.

let stack: Stack;
let ctx: AdminContext;

beforeAll(async () => {
  stack = await startStack(await getTestPostgresServerUrl(), {
    ROUTER_MAX_ATTEMPTS: '3',
    BREAKER_FAILURES: '5',
    HEALTH_REPORT_MS: '200',
  });
  ctx = createAdminContext({ prisma: stack.prisma, masterKey: stack.masterKey });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

async function setMockFaults(faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.mockOrigin}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(res.status).toBe(200);
}

/** Requests the mock counted per presented upstream credential. */
async function mockCountsByKey(): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as {
    byKey: Record<string, number>;
  };
  return stats.byKey;
}

async function chat(model: string): Promise<Response> {
  return fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('a credential reset', () => {
  it('puts the account back into rotation on every router within about a second, even right after the 401', async () => {
    const flaky = await stack.addAccount('e1-flaky');
    const backup = await stack.addAccount('e1-backup');
    await stack.addRoute({
      publicModel: 'e1-route',
      targets: [
        { accountId: flaky.id, upstreamModel: 'm', tier: 0 },
        { accountId: backup.id, upstreamModel: 'm', tier: 1 },
      ],
    });
    await stack.awaitModels((models) => models.includes('e1-route'));
    await setMockFaults({ byKey: { [flaky.credential]: { status: 401 } } });

    // The 401 marks the credential; the backup serves.
    const first = await chat('e1-route');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-switchyard-account')).toBe('e1-backup');
    await waitFor('the mark to be stored', () =>
      stack.prisma.upstreamAccount.findFirst({
        where: { id: flaky.id, credentialRejectedAt: { not: null } },
      }),
    );

    // The operator fixes the credential at the provider and resets it in the console, well within 30 s.
    await setMockFaults({});
    const view = await resetAccountCredential(ctx, ADMIN_TOKEN_ACTOR, flaky.id);
    expect(view.credentialRejectedAt).toBeNull();

    const before = (await mockCountsByKey())[flaky.credential] ?? 0;
    const served = await waitFor(
      'a request served by the reset account',
      async () => {
        const res = await chat('e1-route');
        return res.headers.get('x-switchyard-account') === 'e1-flaky' ? res : null;
      },
      { timeoutMs: 2_500, intervalMs: 100 },
    );
    expect(served.status).toBe(200);
    expect((await mockCountsByKey())[flaky.credential]).toBeGreaterThan(before);
    // The readback agrees: nothing marks the account any more.
    const row = await stack.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: flaky.id } });
    expect(row.credentialRejectedAt).toBeNull();
  }, 30_000);
});
