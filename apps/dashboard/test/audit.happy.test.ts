import { newId } from '@switchyard/db';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminRoute, created, ok } from '../src/http/admin-route';
import { parseJsonBody, parseQuery } from '../src/http/parse-request';
import { createAccount, createAccountInput } from '../src/server/accounts';
import { type AuditLogView, listAuditLog, listAuditLogQuery } from '../src/server/audit';
import { MASK } from '../src/server/mask-secrets';
import { createProvider, createProviderInput } from '../src/server/providers';
import { attemptSignIn } from '../src/server/sign-in';
import { createTeam, createTeamInput, updateTeam, updateTeamInput } from '../src/server/teams';
import { type AdminTestContext, signedInCookie, startAdminTestContext } from './admin-test-context';

// The same compositions as app/api/admin/v1/audit/route.ts, teams/route.ts and teams/[id]/route.ts.
const GET_AUDIT = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listAuditLog(ctx, actor, parseQuery(req, listAuditLogQuery))),
);
const POST_TEAM = adminRoute(async ({ req, ctx, actor }) =>
  created(await createTeam(ctx, actor, await parseJsonBody(req, createTeamInput))),
);
const PATCH_TEAM = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateTeam(ctx, actor, params.id, await parseJsonBody(req, updateTeamInput))),
);

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const SESSION_SECRET = 'test-session-secret-0123456789abcdef0123456789';
const BASE = 'http://localhost:3000/api/admin/v1';
const UPSTREAM_SECRET = 'sk-upstream-audit-0123456789';

let t: AdminTestContext;
let ownerCookie: string;
let viewerCookie: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('DATABASE_URL', t.databaseUrl);
  vi.stubEnv('NEXTAUTH_SECRET', SESSION_SECRET);
  vi.stubEnv('SWITCHYARD_ADMIN_TOKEN', ADMIN_TOKEN);
  vi.stubEnv('SWITCHYARD_MASTER_KEY', t.masterKey);
  ownerCookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
  viewerCookie = await signedInCookie(t.ctx, t.viewer, SESSION_SECRET);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.close();
});

interface AuditPage {
  items: AuditLogView[];
  nextCursor: string | null;
}

async function readAudit(
  query: Record<string, string>,
  auth: { cookie?: string; token?: string } = { token: ADMIN_TOKEN },
): Promise<{ status: number; body: AuditPage & { error?: { code: string } } }> {
  const headers: Record<string, string> = { 'user-agent': 'audit-test/1.0' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const url = `${BASE}/audit?${new URLSearchParams(query)}`;
  const res = await GET_AUDIT(new NextRequest(url, { headers }), { params: Promise.resolve({}) });
  return { status: res.status, body: (await res.json()) as AuditPage & { error?: { code: string } } };
}

/** Every page of a filtered listing, following `nextCursor`. */
async function readAll(query: Record<string, string>, limit: number): Promise<AuditLogView[]> {
  const items: AuditLogView[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const res = await readAudit({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error('paging did not end');
}

describe('the audit log API', () => {
  let teamId: string;

  it('reads back writes made through the admin API, newest first, with the actor and what changed', async () => {
    const post = await POST_TEAM(
      new NextRequest(`${BASE}/teams`, {
        method: 'POST',
        headers: { cookie: ownerCookie, 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({ name: 'audit-team', rpmLimit: 60 }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(post.status).toBe(201);
    teamId = ((await post.json()) as { id: string }).id;
    const patch = await PATCH_TEAM(
      new NextRequest(`${BASE}/teams/${teamId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tpmLimit: 1000 }),
      }),
      { params: Promise.resolve({ id: teamId }) },
    );
    expect(patch.status).toBe(200);

    const res = await readAudit({ targetType: 'team', targetId: teamId });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(
      res.body.items.map((item) => [item.action, item.actorType, item.actorEmail, item.details]),
    ).toEqual([
      ['team.update', 'admin_token', null, { tpmLimit: 1000 }],
      ['team.create', 'user', 'owner@example.com', { name: 'audit-team', rpmLimit: 60, tpmLimit: null }],
    ]);
    expect(res.body.items[1]?.actorId).toBe(t.owner.kind === 'user' ? t.owner.userId : '');
    expect(res.body.items.every((item) => /^aud_/.test(item.id))).toBe(true);
    expect(Date.parse(res.body.items[0]?.createdAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(res.body.items[1]?.createdAt ?? ''),
    );
  });

  it('masks secrets in details and never returns an upstream credential', async () => {
    const provider = await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({
        name: 'audit-provider',
        kind: 'openai',
        baseUrl: 'http://127.0.0.1:4010/v1',
      }),
    );
    const account = await createAccount(
      t.ctx,
      t.owner,
      createAccountInput.parse({
        providerId: provider.id,
        name: 'audit-account',
        credential: UPSTREAM_SECRET,
      }),
    );
    // A row as an older writer could have left it, with secrets in its details.
    await t.prisma.auditLog.create({
      data: {
        id: newId('aud'),
        actorType: 'admin_token',
        action: 'legacy.import',
        targetType: 'legacy',
        targetId: 'leg_1',
        details: {
          name: 'kept',
          apiKey: 'sk-live-leaked',
          nested: { clientSecret: 'shh', Password: 'hunter2', maxTokens: 4096 },
          accountCredentials: [{ accountId: 'acc_1', credential: 'sk-other' }],
        },
      },
    });

    const legacy = await readAudit({ targetType: 'legacy' });
    expect(legacy.body.items.map((item) => item.details)).toEqual([
      {
        name: 'kept',
        apiKey: MASK,
        nested: { clientSecret: MASK, Password: MASK, maxTokens: 4096 },
        accountCredentials: MASK,
      },
    ]);
    const created = await readAudit({ action: 'upstream_account.create', targetId: account.id });
    expect(created.body.items).toHaveLength(1);
    expect(created.body.items[0]?.details).toMatchObject({ name: 'audit-account', credentialSet: true });
    const everything = JSON.stringify(await readAll({}, 500));
    for (const secret of [UPSTREAM_SECRET, 'sk-live-leaked', 'hunter2', 'shh', 'sk-other']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('records a failed sign-in with the e-mail tried, the address and the user agent, never the password', async () => {
    const outcome = await attemptSignIn(
      t.ctx,
      { email: 'Owner@Example.com', ip: '203.0.113.7' },
      'wrong-password-audit',
      'Mozilla/5.0 audit',
    );
    expect(outcome.kind).toBe('invalid');
    const failed = await readAudit({ action: 'auth.sign_in_failed' });
    expect(failed.body.items).toEqual([
      {
        id: expect.stringMatching(/^aud_/),
        actorType: 'anonymous',
        actorId: 'owner@example.com',
        actorEmail: null,
        actorTokenName: null,
        action: 'auth.sign_in_failed',
        targetType: 'user',
        targetId: null,
        details: { email: 'owner@example.com', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 audit' },
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(failed.body)).not.toContain('wrong-password-audit');

    // The actor filter by e-mail finds the owner's own changes and the failed sign-in that tried the address.
    const byOwner = await readAll({ actor: 'owner@example.com' }, 500);
    const actions = byOwner.map((item) => item.action);
    expect(actions).toContain('auth.sign_in_failed');
    expect(actions).toContain('team.create');
    expect(actions).not.toContain('team.update');
  });

  it('refuses viewers with 403 and records the refusal', async () => {
    const res = await readAudit({}, { cookie: viewerCookie });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('forbidden');
    const denied = await readAudit({ action: 'auth.denied' });
    expect(denied.body.items).toHaveLength(1);
    expect(denied.body.items[0]).toMatchObject({
      actorType: 'user',
      actorEmail: 'viewer@example.com',
      targetType: 'admin_api',
      targetId: 'GET /api/admin/v1/audit',
      details: { reason: expect.stringMatching(/owners and admins/), userAgent: 'audit-test/1.0' },
    });
  });

  it('pages newest first with a cursor, without gaps or repeats, and filters by time range and action prefix', async () => {
    const all = await readAll({}, 500);
    expect(all.length).toBeGreaterThanOrEqual(7);
    const paged = await readAll({}, 2);
    expect(paged.map((item) => item.id)).toEqual(all.map((item) => item.id));
    expect(new Set(paged.map((item) => item.id)).size).toBe(paged.length);
    const times = all.map((item) => Date.parse(item.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // The window [from, to) is half-open: a row at `to` is left out, a row at `from` is kept.
    const pivot = all.find((item) => item.action === 'upstream_account.create');
    if (!pivot) throw new Error('no upstream_account.create row');
    const before = await readAll({ to: pivot.createdAt }, 500);
    const after = await readAll({ from: pivot.createdAt }, 500);
    expect(before.every((item) => Date.parse(item.createdAt) < Date.parse(pivot.createdAt))).toBe(true);
    expect(before.map((item) => item.action)).toContain('team.create');
    expect(before.map((item) => item.id)).not.toContain(pivot.id);
    expect(after.map((item) => item.id)).toContain(pivot.id);
    expect(after.map((item) => item.action)).not.toContain('team.create');
    expect(before.length + after.length).toBe(all.length);

    const teamRows = await readAll({ action: 'team.' }, 1);
    expect(teamRows.map((item) => item.action)).toEqual(['team.update', 'team.create']);
  });

  it('answers 400 naming the field for a bad cursor or an inverted window', async () => {
    const badCursor = await readAudit({ cursor: 'not-a-cursor' });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error).toMatchObject({ code: 'invalid_request', field: 'cursor' });
    const inverted = await readAudit({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error).toMatchObject({ code: 'invalid_request', field: 'to' });
  });
});
