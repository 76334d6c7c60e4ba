import { NextRequest } from 'next/server';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminRoute, created, ok } from '../src/http/admin-route';
import { parseJsonBody, parseQuery } from '../src/http/parse-request';
import { createKey, createKeyInput, listKeys, listKeysQuery } from '../src/server/keys';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';

// The same compositions as app/api/admin/v1/keys/route.ts, exercised in-process against a real database.
const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listKeys(ctx, actor, parseQuery(req, listKeysQuery))),
);
const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createKey(ctx, actor, await parseJsonBody(req, createKeyInput))),
);

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const SESSION_SECRET = 'test-session-secret-0123456789abcdef0123456789';
const URL_BASE = 'http://localhost:3000/api/admin/v1/keys';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
  // The handlers build their context from the environment, exactly as in `next start`.
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('DATABASE_URL', t.databaseUrl);
  vi.stubEnv('NEXTAUTH_SECRET', SESSION_SECRET);
  vi.stubEnv('SWITCHYARD_ADMIN_TOKEN', ADMIN_TOKEN);
  vi.stubEnv('SWITCHYARD_MASTER_KEY', t.masterKey);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.close();
});

/** A cookie as sign-in writes it: the user and a live server-side session (none for a user that does not exist). */
async function sessionCookie(userId: string): Promise<string> {
  const user = await t.prisma.user.findUnique({ where: { id: userId } });
  const sid = user
    ? (await t.ctx.repos.consoleSessions.create(userId, new Date(Date.now() + 60 * 60 * 1000))).id
    : 'ses_none';
  const token = await encode({ token: { sub: userId, sid }, secret: SESSION_SECRET });
  return `next-auth.session-token=${token}`;
}

function request(method: 'GET' | 'POST', headers: Record<string, string> = {}, body?: string): NextRequest {
  return new NextRequest(URL_BASE, { method, headers, body });
}

interface Body {
  error?: { code: string; message: string; requestId: string; field?: string };
  key?: { prefix: string; ownerId: string | null };
  plaintext?: string;
}

async function call(handler: typeof GET, req: NextRequest) {
  const res = await handler(req, { params: Promise.resolve({}) });
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as Body };
}

function userId(actor: AdminTestContext['owner']): string {
  if (actor.kind !== 'user') throw new Error('expected a user actor');
  return actor.userId;
}

describe('admin API authentication', () => {
  it('answers 401 in the admin error shape without credentials', async () => {
    const res = await call(GET, request('GET'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'unauthorized', message: expect.any(String), requestId: res.requestId },
    });
    expect(res.requestId).toMatch(/^req_/);
  });

  it('refuses a wrong or malformed admin token, even next to a valid session', async () => {
    const cookie = await sessionCookie(userId(t.owner));
    for (const authorization of [
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Basic ${ADMIN_TOKEN}`,
      'Bearer',
    ]) {
      const res = await call(GET, request('GET', { authorization, cookie }));
      expect(res.status, authorization).toBe(401);
    }
  });

  it('accepts the admin token for reads and writes', async () => {
    expect((await call(GET, request('GET', { authorization: `Bearer ${ADMIN_TOKEN}` }))).status).toBe(200);
    const res = await call(
      POST,
      request(
        'POST',
        { authorization: `bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        '{"name":"ci"}',
      ),
    );
    expect(res.status).toBe(201);
    expect(res.body.plaintext?.startsWith(res.body.key?.prefix ?? '?')).toBe(true);
  });

  it('refuses a forged or foreign session cookie', async () => {
    const forged = await encode({
      token: { sub: userId(t.owner) },
      secret: 'another-secret-0123456789abcdef0123',
    });
    expect((await call(GET, request('GET', { cookie: `next-auth.session-token=${forged}` }))).status).toBe(
      401,
    );
    expect((await call(GET, request('GET', { cookie: await sessionCookie('usr_deleted') }))).status).toBe(
      401,
    );
  });
});

describe('admin API authorisation', () => {
  it('lets a viewer read but not write', async () => {
    const cookie = await sessionCookie(userId(t.viewer));
    expect((await call(GET, request('GET', { cookie }))).status).toBe(200);
    const res = await call(
      POST,
      request('POST', { cookie, 'content-type': 'application/json' }, '{"name":"x"}'),
    );
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', requestId: res.requestId });
  });

  it('lets an owner session write', async () => {
    const cookie = await sessionCookie(userId(t.owner));
    const res = await call(
      POST,
      request('POST', { cookie, 'content-type': 'application/json' }, '{"name":"mine"}'),
    );
    expect(res.status).toBe(201);
    expect(res.body.key?.ownerId).toBe(userId(t.owner));
  });
});

describe('admin API input errors', () => {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

  it('names the field at fault', async () => {
    const res = await call(
      POST,
      request('POST', { ...auth, 'content-type': 'application/json' }, '{"name":"x","environment":"prod"}'),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'environment' });
    expect(res.body.error?.message).toMatch(/^environment:/);

    const limit = await call(GET, new NextRequest(`${URL_BASE}?limit=501`, { headers: auth }));
    expect(limit.status).toBe(400);
    expect(limit.body.error).toMatchObject({ code: 'invalid_request', field: 'limit' });
  });

  it('refuses a body that is not JSON', async () => {
    const notJson = await call(
      POST,
      request('POST', { ...auth, 'content-type': 'application/json' }, '{"name":'),
    );
    expect(notJson.body.error).toMatchObject({ code: 'invalid_request', field: 'body' });
    const wrongType = await call(
      POST,
      request('POST', { ...auth, 'content-type': 'text/plain' }, '{"name":"x"}'),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({ code: 'invalid_request', field: 'body' });
  });
});
