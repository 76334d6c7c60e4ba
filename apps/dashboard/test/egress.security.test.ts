import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createAccountInput } from '../src/server/accounts';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';
import { AdminError, toAdminError } from '../src/server/admin-error';
import { createBudget, createBudgetInput } from '../src/server/budgets';
import { parseEgressAllow } from '../src/server/egress-policy';
import {
  createProvider,
  createProviderInput,
  updateProvider,
  updateProviderInput,
} from '../src/server/providers';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

let t: AdminTestContext;
/** As a production dashboard with no SWITCHYARD_EGRESS_ALLOW; `example.test` names resolve as a fake DNS says. */
let strict: AdminContext;
const fakeDns: Record<string, string[]> = {
  'api.example.test': ['203.0.113.10'],
  'rebind.example.test': ['203.0.113.11', '169.254.169.254'],
  'internal.example.test': ['10.1.2.3'],
};

beforeAll(async () => {
  t = await startAdminTestContext();
  strict = createAdminContext({
    prisma: t.prisma,
    masterKey: t.masterKey,
    now: t.clock.now,
    resolveHost: async (host) => {
      const answer = fakeDns[host];
      if (!answer) throw new Error(`ENOTFOUND ${host}`);
      return answer;
    },
  });
});
afterAll(async () => {
  await t?.close();
});

let counter = 0;
async function providerAt(ctx: AdminContext, baseUrl: string) {
  counter += 1;
  return createProvider(
    ctx,
    t.owner,
    createProviderInput.parse({ name: `p${counter}`, kind: 'openai', baseUrl }),
  );
}

describe('provider base URLs', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data',
    'http://[fd00:ec2::254]/',
    'http://metadata.google.internal/computeMetadata/v1',
    'http://METADATA.google.internal./v1',
    'http://127.0.0.1:4010/v1',
    'http://2130706433/v1',
    'http://0x7f.1/v1',
    'http://[::1]:8080/v1',
    'http://[::ffff:127.0.0.1]/v1',
    'http://localhost:11434/v1',
    'http://vllm.localhost/v1',
    'http://10.0.0.5/v1',
    'http://192.168.1.20/v1',
    'http://172.20.0.2/v1',
    'http://0.0.0.0:4010/v1',
    'http://rebind.example.test/v1',
    'http://internal.example.test/v1',
  ])('refuses %s by default, naming the field', async (baseUrl) => {
    const before = await t.prisma.provider.count();
    const error = await thrown(() => providerAt(strict, baseUrl));
    expect(error).toBeInstanceOf(AdminError);
    expect(error).toMatchObject({ code: 'invalid_request', field: 'baseUrl' });
    expect((error as Error).message).toMatch(/^baseUrl: .*SWITCHYARD_EGRESS_ALLOW/);
    expect(await t.prisma.provider.count()).toBe(before);
  });

  it('accepts a public host, and one that does not resolve yet', async () => {
    expect((await providerAt(strict, 'https://api.example.test/v1')).baseUrl).toBe(
      'https://api.example.test/v1',
    );
    expect((await providerAt(strict, 'https://not-yet.example.test/v1')).baseUrl).toBe(
      'https://not-yet.example.test/v1',
    );
  });

  it('accepts private destinations the operator allowed (addresses, ranges, names)', async () => {
    const allowing = createAdminContext({
      prisma: t.prisma,
      masterKey: t.masterKey,
      egressAllow: parseEgressAllow('127.0.0.1, 10.0.0.0/8,vllm.internal'),
      resolveHost: async () => ['10.9.9.9'],
    });
    for (const url of ['http://127.0.0.1:4010/v1', 'http://10.0.0.5/v1', 'http://vllm.internal:8000/v1']) {
      expect((await providerAt(allowing, url)).baseUrl).toBe(url);
    }
    // Allowing one private range allows only that range.
    expect(await thrown(() => providerAt(allowing, 'http://192.168.1.20/v1'))).toMatchObject({
      field: 'baseUrl',
    });
    expect(await thrown(() => providerAt(allowing, 'http://169.254.169.254/'))).toMatchObject({
      field: 'baseUrl',
    });
  });

  it('refuses an unreadable allow-list entry', () => {
    expect(() => parseEgressAllow('10.0.0.0/33')).toThrow('10.0.0.0/33');
    expect(() => parseEgressAllow('http://x')).toThrow('http://x');
  });

  it('is checked on update too', async () => {
    const provider = await providerAt(strict, 'https://api.example.test/v1');
    const error = await thrown(() =>
      updateProvider(
        strict,
        t.owner,
        provider.id,
        updateProviderInput.parse({ baseUrl: 'http://169.254.169.254/' }),
      ),
    );
    expect(error).toMatchObject({ code: 'invalid_request', field: 'baseUrl' });
    expect((await t.prisma.provider.findUniqueOrThrow({ where: { id: provider.id } })).baseUrl).toBe(
      'https://api.example.test/v1',
    );
  });
});

describe('budget webhooks', () => {
  it('refuses a metadata or loopback webhook and accepts a public one', async () => {
    const budget = (webhookUrl: string) =>
      createBudget(
        strict,
        t.owner,
        createBudgetInput.parse({
          name: `b${++counter}`,
          scope: 'global',
          period: 'monthly',
          limitUsd: '5',
          webhookUrl,
        }),
      );
    expect(await thrown(() => budget('http://169.254.169.254/latest'))).toMatchObject({
      code: 'invalid_request',
      field: 'webhookUrl',
    });
    expect(await thrown(() => budget('http://localhost:9000/hook'))).toMatchObject({ field: 'webhookUrl' });
    expect((await budget('https://api.example.test/hook')).webhookUrl).toBe('https://api.example.test/hook');
  });
});

describe("an account's stored credential and its provider's host", () => {
  async function providerWithAccounts() {
    const provider = await providerAt(strict, 'https://api.example.test/v1');
    const accounts = [];
    for (const name of ['a', 'b']) {
      accounts.push(
        await createAccount(
          strict,
          t.owner,
          createAccountInput.parse({ providerId: provider.id, name, credential: `sk-original-${name}` }),
        ),
      );
    }
    return { provider, accounts };
  }

  async function ciphertexts(providerId: string): Promise<Record<string, string>> {
    const rows = await t.prisma.upstreamAccount.findMany({ where: { providerId } });
    return Object.fromEntries(rows.map((row) => [row.id, row.credentialCiphertext]));
  }

  it('refuses moving the base URL to another host unless every credential is entered again', async () => {
    const { provider, accounts } = await providerWithAccounts();
    const stored = await ciphertexts(provider.id);
    for (const baseUrl of [
      'https://attacker.example.test/v1',
      'https://api.example.test:8443/v1',
      'http://api.example.test/v1',
    ]) {
      const error = await thrown(() =>
        updateProvider(strict, t.owner, provider.id, updateProviderInput.parse({ baseUrl })),
      );
      expect(error, baseUrl).toMatchObject({ code: 'invalid_request', field: 'accountCredentials' });
      expect((error as Error).message).toContain(accounts[0]?.id);
    }
    const partly = await thrown(() =>
      updateProvider(
        strict,
        t.owner,
        provider.id,
        updateProviderInput.parse({
          baseUrl: 'https://attacker.example.test/v1',
          accountCredentials: { [accounts[0]?.id ?? '']: 'sk-new-a' },
        }),
      ),
    );
    // As the admin API answers it (400 naming the account whose credential is missing).
    expect(toAdminError(partly)).toMatchObject({
      code: 'invalid_request',
      field: `accountCredentials.${accounts[1]?.id}`,
    });
    const row = await t.prisma.provider.findUniqueOrThrow({ where: { id: provider.id } });
    expect(row.baseUrl).toBe('https://api.example.test/v1');
    expect(await ciphertexts(provider.id)).toEqual(stored);
  });

  it('moves with new credentials for every account, in one change', async () => {
    const { provider, accounts } = await providerWithAccounts();
    const stored = await ciphertexts(provider.id);
    const moved = await updateProvider(
      strict,
      t.owner,
      provider.id,
      updateProviderInput.parse({
        baseUrl: 'https://eu.example.test/v1',
        accountCredentials: Object.fromEntries(
          accounts.map((account) => [account.id, `sk-eu-${account.name}`]),
        ),
      }),
    );
    expect(moved.baseUrl).toBe('https://eu.example.test/v1');
    const now = await ciphertexts(provider.id);
    for (const account of accounts) expect(now[account.id]).not.toBe(stored[account.id]);
    const audit = await t.prisma.auditLog.findFirstOrThrow({
      where: { action: 'provider.update', targetId: provider.id },
      orderBy: { createdAt: 'desc' },
    });
    expect(JSON.stringify(audit)).not.toContain('sk-eu-');
  });

  it('lets the path change on the same host without touching credentials', async () => {
    const { provider } = await providerWithAccounts();
    const stored = await ciphertexts(provider.id);
    const updated = await updateProvider(
      strict,
      t.owner,
      provider.id,
      updateProviderInput.parse({ baseUrl: 'https://api.example.test/v2' }),
    );
    expect(updated.baseUrl).toBe('https://api.example.test/v2');
    expect(await ciphertexts(provider.id)).toEqual(stored);
  });
});
