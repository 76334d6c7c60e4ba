// "Test connection" and the credential readback against the real mock provider (a child process, as the router's
// stack starts it) and a real database: the credential goes out only in the kind's header and never comes back.
import { type Proc, spawnPackage } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccount,
  createAccountInput,
  getAccount,
  listAccounts,
  updateAccount,
} from '../src/server/accounts';
import { createAdminContext } from '../src/server/admin-context';
import { AdminError } from '../src/server/admin-error';
import { testAccountConnection } from '../src/server/connection-test/test-account-connection';
import { createProvider, createProviderInput } from '../src/server/providers';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

let t: AdminTestContext;
let mock: Proc;
/** The mock's origin, for its /__mock admin endpoints and Azure's `/openai/...` routes. */
let mockOrigin: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  const started = await spawnPackage(
    'packages/mock-provider',
    { MOCK_PORT: '0', MOCK_HOST: '127.0.0.1' },
    /listening on (http:\/\/[^\s"]+)/,
  );
  mock = started.proc;
  mockOrigin = new URL(started.match[1] as string).origin;
});
afterAll(async () => {
  await mock?.stop();
  await t?.close();
});

async function setMockFaults(faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${mockOrigin}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(res.status).toBe(200);
}

async function mockCountsByKey(): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${mockOrigin}/__mock/stats`)).json()) as {
    byKey: Record<string, number>;
  };
  return stats.byKey;
}

let counter = 0;
async function accountAt(kind: string, baseUrl: string, credential: string) {
  counter += 1;
  const provider = await createProvider(
    t.ctx,
    t.owner,
    createProviderInput.parse({ name: `mock-${counter}`, kind, baseUrl }),
  );
  const account = await createAccount(
    t.ctx,
    t.owner,
    createAccountInput.parse({ providerId: provider.id, name: `acc-${counter}`, credential }),
  );
  return { provider, account };
}

describe('the credential readback', () => {
  it('shows the last four characters only, on create, read, list and after a new credential', async () => {
    const credential = 'sk-proj-readback-0123456789-wxyz';
    const { provider, account } = await accountAt('openai_compatible', `${mockOrigin}/v1`, credential);
    expect(account.credentialLast4).toBe('wxyz');
    expect((await getAccount(t.ctx, t.viewer, account.id)).credentialLast4).toBe('wxyz');
    const listed = await listAccounts(t.ctx, t.viewer, { providerId: provider.id });
    expect(listed.items.map((item) => item.credentialLast4)).toEqual(['wxyz']);
    expect(JSON.stringify(listed)).not.toContain('readback-0123456789');

    const changed = await updateAccount(t.ctx, t.owner, account.id, {
      credential: 'sk-proj-another-key-9876-ABCD',
    });
    expect(changed.credentialLast4).toBe('ABCD');
  });

  it('shows nothing of a credential too short to hide, or of one this master key cannot read', async () => {
    const { account } = await accountAt('openai', 'https://api.example.com/v1', 'short-key1');
    expect(account.credentialLast4).toBeNull();

    const otherKey = createAdminContext({ prisma: t.prisma, masterKey: 'ab'.repeat(32), now: t.clock.now });
    const { account: long } = await accountAt(
      'openai',
      'https://api.example.com/v1',
      'sk-long-enough-credential-1234',
    );
    expect((await getAccount(otherKey, t.owner, long.id)).credentialLast4).toBeNull();
  });
});

describe('test connection', () => {
  it('lists the models the account sees, with status and latency, sending the credential as a bearer token', async () => {
    const credential = 'sk-mock-connection-test-5555';
    const { account } = await accountAt('openai_compatible', `${mockOrigin}/v1`, credential);
    const before = (await mockCountsByKey())[credential] ?? 0;

    const result = await testAccountConnection(t.ctx, t.owner, account.id);

    expect(result).toMatchObject({ ok: true, status: 200, error: null, url: `${mockOrigin}/v1/models` });
    expect(result.models).toEqual([
      'mock-gpt-4o',
      'mock-gpt-4o-mini',
      'mock-o4-mini',
      'mock-text-embedding-3-small',
    ]);
    expect(result.modelCount).toBe(4);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(10_000);
    expect((await mockCountsByKey())[credential]).toBe(before + 1);
  });

  it('says in plain words that the upstream refused the credential, without echoing it', async () => {
    const credential = 'sk-mock-rejected-credential-7777';
    const { account } = await accountAt('openai', `${mockOrigin}/v1`, credential);
    await setMockFaults({ byKey: { [credential]: { status: 401 } } });
    try {
      const result = await testAccountConnection(t.ctx, t.owner, account.id);
      expect(result).toMatchObject({ ok: false, status: 401, models: [], modelCount: 0 });
      expect(result.error).toMatch(/^The upstream refused the credential \(HTTP 401\)/);
      expect(JSON.stringify(result)).not.toContain(credential);
    } finally {
      await setMockFaults({});
    }
  });

  it("uses Azure's api-key header and models path", async () => {
    const credential = 'azure-key-for-connection-test-8888';
    const { account } = await accountAt(
      'azure_openai',
      `${mockOrigin}/openai?api-version=2024-10-21`,
      credential,
    );
    const result = await testAccountConnection(t.ctx, t.owner, account.id);
    expect(result.url).toBe(`${mockOrigin}/openai/models?api-version=2024-10-21`);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.models).toContain('mock-gpt-4o-mini');

    await setMockFaults({ byKey: { [credential]: { status: 403 } } });
    try {
      expect(await testAccountConnection(t.ctx, t.owner, account.id)).toMatchObject({
        ok: false,
        status: 403,
      });
    } finally {
      await setMockFaults({});
    }
  });

  it('reports an unreachable upstream and one the egress policy refuses, without calling it', async () => {
    const { account: closed } = await accountAt(
      'openai',
      'http://127.0.0.1:9/v1',
      'sk-unreachable-credential-1',
    );
    const unreachable = await testAccountConnection(t.ctx, t.owner, closed.id);
    expect(unreachable).toMatchObject({ ok: false, status: null });
    expect(unreachable.error).toMatch(/^The upstream could not be reached/);

    const credential = 'sk-egress-refused-credential-2';
    const { account } = await accountAt('openai', `${mockOrigin}/v1`, credential);
    const strict = createAdminContext({ prisma: t.prisma, masterKey: t.masterKey, now: t.clock.now });
    const refused = await testAccountConnection(strict, t.owner, account.id);
    expect(refused).toMatchObject({ ok: false, status: null, latencyMs: 0 });
    expect(refused.error).toMatch(/SWITCHYARD_EGRESS_ALLOW/);
    expect((await mockCountsByKey())[credential]).toBeUndefined();
  });

  it('is for writers only, and names an unknown account', async () => {
    const { account } = await accountAt('openai', `${mockOrigin}/v1`, 'sk-viewer-cannot-test-000');
    expect(await thrown(() => testAccountConnection(t.ctx, t.viewer, account.id))).toMatchObject({
      code: 'forbidden',
    });
    const missing = await thrown(() => testAccountConnection(t.ctx, t.owner, 'acc_missing'));
    expect(missing).toBeInstanceOf(AdminError);
    expect(missing).toMatchObject({ code: 'not_found' });
  });
});
