// Every admin write is audited with the client's address and user agent, and updates with the changed fields
// before and after, secrets masked: over HTTP against the real route modules (test/serve-admin-api.ts) and a real
// database, read back from the table and through GET /audit.
import { randomBytes } from 'node:crypto';
import { MASK } from '@switchyard/core';
import type { Proc } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLogView } from '../src/server/audit';
import { createKey, createKeyInput } from '../src/server/keys';
import { type AdminTestContext, signedInCookie, startAdminTestContext } from './admin-test-context';
import { providerWithAccounts, simpleRoute } from './routing-fixtures';
import { startAdminApi } from './start-admin-api';

const ADMIN_TOKEN = 'audit-changes-admin-token-0123456789';
const SESSION_SECRET = randomBytes(32).toString('hex');
const CLIENT_IP = '203.0.113.42';
const USER_AGENT = 'audit-changes-test/3.1 (+https://example.com)';
const NEW_CREDENTIAL = 'sk-rotated-upstream-secret-0123456789';

let t: AdminTestContext;
let api: Proc;
let baseUrl: string;
let cookie: string;

async function call(method: string, url: string, body?: unknown) {
  const res = await fetch(`${baseUrl}/api/admin/v1${url}`, {
    method,
    headers: {
      cookie,
      'user-agent': USER_AGENT,
      'x-forwarded-for': CLIENT_IP,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function auditRow(action: string, targetId: string) {
  return t.prisma.auditLog.findFirstOrThrow({ where: { action, targetId }, orderBy: { createdAt: 'desc' } });
}

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set(new Date());
  ({ proc: api, baseUrl } = await startAdminApi(t, {
    adminToken: ADMIN_TOKEN,
    sessionSecret: SESSION_SECRET,
  }));
  cookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await t?.close();
});

describe('audit rows of admin writes', () => {
  it('a key update records the client and the changed fields before and after', async () => {
    const { key, plaintext } = await createKey(
      t.ctx,
      t.owner,
      createKeyInput.parse({ name: 'before-name', tags: ['a'] }),
    );
    const res = await call('PATCH', `/keys/${key.id}`, { name: 'after-name', tags: ['a', 'b'] });
    expect(res.status).toBe(200);
    const row = await auditRow('api_key.update', key.id);
    expect(row).toMatchObject({
      actorType: 'user',
      ip: CLIENT_IP,
      userAgent: USER_AGENT,
      before: { name: 'before-name', tags: ['a'] },
      after: { name: 'after-name', tags: ['a', 'b'] },
    });
    expect(JSON.stringify(row)).not.toContain(plaintext);
  });

  it('a route update records what the route was and is', async () => {
    const { accounts } = await providerWithAccounts(t, 'route-acct');
    const route = await simpleRoute(t, accounts[0]?.id ?? '', 'audited-model');
    const res = await call('PATCH', `/routes/${route.id}`, { enabled: false, aliases: ['audited-alias'] });
    expect(res.status).toBe(200);
    const row = await auditRow('route.update', route.id);
    expect(row).toMatchObject({
      ip: CLIENT_IP,
      userAgent: USER_AGENT,
      before: { enabled: true, aliases: [] },
      after: { enabled: false, aliases: ['audited-alias'] },
    });
  });

  it('an account credential change says that it changed and never what it is', async () => {
    const { accounts } = await providerWithAccounts(t, 'cred-acct');
    const accountId = accounts[0]?.id ?? '';
    const oldCiphertext = (await t.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: accountId } }))
      .credentialCiphertext;
    const res = await call('PATCH', `/accounts/${accountId}`, { credential: NEW_CREDENTIAL, weight: 7 });
    expect(res.status).toBe(200);
    const newCiphertext = (await t.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: accountId } }))
      .credentialCiphertext;
    expect(newCiphertext).not.toBe(oldCiphertext);
    const row = await auditRow('upstream_account.update', accountId);
    expect(row).toMatchObject({
      ip: CLIENT_IP,
      userAgent: USER_AGENT,
      before: { weight: 1, credentialCiphertext: MASK },
      after: { weight: 7, credentialCiphertext: MASK },
    });
    const stored = JSON.stringify(row);
    for (const secret of [NEW_CREDENTIAL, 'sk-cred-acct', oldCiphertext, newCiphertext]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('creations and revocations carry the client too, and GET /audit shows all of it', async () => {
    const created = await call('POST', '/teams', { name: 'audited-team' });
    expect(created.status).toBe(201);
    const teamId = created.body.id as string;
    expect(await auditRow('team.create', teamId)).toMatchObject({
      ip: CLIENT_IP,
      userAgent: USER_AGENT,
      before: null,
      after: null,
    });
    expect((await call('PATCH', `/teams/${teamId}`, { rpmLimit: 60 })).status).toBe(200);

    const log = await call('GET', `/audit?targetId=${teamId}`);
    expect(log.status).toBe(200);
    const items = log.body.items as AuditLogView[];
    expect(items.map((item) => item.action)).toEqual(['team.update', 'team.create']);
    expect(items[0]).toMatchObject({
      ip: CLIENT_IP,
      userAgent: USER_AGENT,
      before: { rpmLimit: null },
      after: { rpmLimit: 60 },
    });

    // Across the whole log, nothing secret: not the upstream credentials, not their ciphertexts.
    const everything = JSON.stringify((await call('GET', '/audit?limit=200')).body);
    expect(everything).toContain(MASK);
    expect(everything).not.toContain(NEW_CREDENTIAL);
    const ciphertexts = await t.prisma.upstreamAccount.findMany({ select: { credentialCiphertext: true } });
    for (const { credentialCiphertext } of ciphertexts)
      expect(everything).not.toContain(credentialCiphertext);
  });
});
