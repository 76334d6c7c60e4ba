// Roles, team scoping, scoped admin API tokens and session ending, exercised over HTTP against the admin API's
// real route modules (test/serve-admin-api.ts in its own process) and a real database.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type Proc, ROOT, spawnProcess } from '@switchyard/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_API_OPERATIONS } from '../src/openapi/admin-api-operations';
import { type Actor, userActor } from '../src/server/actor';
import { createKey, createKeyInput } from '../src/server/keys';
import { createTeam, createTeamInput } from '../src/server/teams';
import { acceptInvite, createUser, createUserInput } from '../src/server/users';
import { verifyCredentials } from '../src/server/verify-credentials';
import { listAdminRouteFiles } from './admin-route-files';
import { type AdminTestContext, signedInCookie, startAdminTestContext, thrown } from './admin-test-context';

const ADMIN_TOKEN = 'teams-test-admin-token-0123456789';
const SESSION_SECRET = randomBytes(32).toString('hex');

let t: AdminTestContext;
let api: Proc;
let baseUrl: string;
let teamA: string;
let teamB: string;
let memberA: Actor;
let admin: Actor;
let keyA: string;
let keyB: string;

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; field?: string } };
}

async function call(
  method: string,
  path: string,
  auth: { cookie?: string; token?: string } = {},
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}/api/admin/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : JSON.parse(text) };
}

const cookieOf = (actor: Actor) => signedInCookie(t.ctx, actor, SESSION_SECRET);

async function userOf(email: string, role: 'owner' | 'admin' | 'member' | 'viewer', teamId: string | null) {
  const { user } = await createUser(
    t.ctx,
    t.owner,
    createUserInput.parse({ email, role, teamId, password: 'a long enough password' }),
    'http://console.test',
  );
  const found = await t.ctx.repos.users.findById(user.id);
  if (!found) throw new Error('user vanished');
  return userActor(found);
}

/** A concrete path for a route file's OpenAPI path: `{id}` → an id that does not exist. */
function concrete(routePath: string): string {
  return routePath.replace(/\{\.\.\.\w+\}/g, 'no/such/path').replace(/\{\w+\}/g, 'id_missing');
}

beforeAll(async () => {
  t = await startAdminTestContext();
  // The API process runs on the real clock; invites it issues are checked here with the context's clock.
  t.clock.set(new Date());
  const { match, proc } = await spawnProcess(
    process.execPath,
    ['--import', 'tsx', 'test/serve-admin-api.ts'],
    {
      cwd: path.join(ROOT, 'apps/dashboard'),
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: t.databaseUrl,
        NEXTAUTH_SECRET: SESSION_SECRET,
        SWITCHYARD_ADMIN_TOKEN: ADMIN_TOKEN,
        SWITCHYARD_MASTER_KEY: t.masterKey,
      },
      ready: /admin api listening on (http:\/\/\S+)/,
      timeoutMs: 90_000,
      name: 'serve-admin-api',
    },
  );
  api = proc;
  baseUrl = match[1] as string;
  teamA = (await createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'team-a' }))).id;
  teamB = (await createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'team-b' }))).id;
  memberA = await userOf('member-a@example.com', 'member', teamA);
  admin = await userOf('admin@example.com', 'admin', null);
  keyA = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'a-key', teamId: teamA }))).key.id;
  keyB = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'b-key', teamId: teamB }))).key.id;
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await t?.close();
});

describe('every admin route', () => {
  const routes = listAdminRouteFiles();
  const open = new Set(
    ADMIN_API_OPERATIONS.filter((operation) => operation.authenticated === false).map(
      (operation) => `${operation.method} ${operation.path}`,
    ),
  );
  const guarded = routes.flatMap((route) =>
    route.methods
      .filter((method) => !open.has(`${method} ${route.path}`))
      .map((method) => ({ method, path: route.path })),
  );

  it('is enumerated from the route files, new ones included', () => {
    const names = guarded.map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(
      expect.arrayContaining(['POST /users', 'PATCH /users/{id}', 'POST /tokens/{id}/revoke']),
    );
    expect(guarded.length).toBeGreaterThan(50);
  });

  it('answers 401 without credentials, in the admin error shape', async () => {
    const failures: string[] = [];
    for (const route of guarded) {
      const res = await call(route.method, concrete(route.path), {}, route.method === 'GET' ? undefined : {});
      if (res.status !== 401 || res.body.error?.code !== 'unauthorized') {
        failures.push(`${route.method} ${route.path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to a viewer for every write, before reading the body', async () => {
    const cookie = await cookieOf(t.viewer);
    const writes = guarded.filter((route) => route.method !== 'GET');
    expect(writes.length).toBeGreaterThan(25);
    const failures: string[] = [];
    for (const route of writes) {
      const res = await call(route.method, concrete(route.path), { cookie }, {});
      if (res.status !== 403 || res.body.error?.code !== 'forbidden') {
        failures.push(`${route.method} ${route.path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    // …while every read of a collection works for them.
    expect((await call('GET', '/keys', { cookie })).status).toBe(200);
    expect((await call('GET', '/providers', { cookie })).status).toBe(200);
  });
});

describe('a member', () => {
  it("sees only their team's keys; another team's key is 404 for reads and every write", async () => {
    const cookie = await cookieOf(memberA);
    const list = await call('GET', '/keys', { cookie });
    expect(list.status).toBe(200);
    expect((list.body.items as { id: string }[]).map((key) => key.id)).toEqual([keyA]);
    expect((await call('GET', `/keys?teamId=${teamB}`, { cookie })).body.items).toEqual([]);
    expect((await call('GET', `/keys/${keyA}`, { cookie })).status).toBe(200);
    const attempts: [string, string, unknown][] = [
      ['GET', `/keys/${keyB}`, undefined],
      ['PATCH', `/keys/${keyB}`, { name: 'mine now' }],
      ['POST', `/keys/${keyB}/revoke`, undefined],
      ['POST', `/keys/${keyB}/rotate`, { graceSeconds: 0 }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await call(method, url, { cookie }, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error?.code).toBe('not_found');
    }
    const untouched = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: keyB } });
    expect(untouched).toMatchObject({ name: 'b-key', revokedAt: null, expiresAt: null, rotatedFromId: null });
  });

  it('creates keys in their own team only, and cannot move a key out of it', async () => {
    const cookie = await cookieOf(memberA);
    const own = await call('POST', '/keys', { cookie }, { name: 'member key' });
    expect(own.status).toBe(201);
    expect((own.body.key as { teamId: string }).teamId).toBe(teamA);
    const elsewhere = await call('POST', '/keys', { cookie }, { name: 'sneaky', teamId: teamB });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error?.field).toBe('teamId');
    const ownId = (own.body.key as { id: string }).id;
    expect((await call('PATCH', `/keys/${ownId}`, { cookie }, { teamId: teamB })).status).toBe(403);
    expect((await call('POST', `/keys/${ownId}/revoke`, { cookie })).status).toBe(200);
    expect(await t.prisma.apiKey.count({ where: { name: 'sneaky' } })).toBe(0);
  });

  it('cannot change configuration, users or tokens', async () => {
    const cookie = await cookieOf(memberA);
    expect((await call('POST', '/teams', { cookie }, { name: 'mine' })).status).toBe(403);
    expect((await call('POST', '/users', { cookie }, { email: 'x@example.com', role: 'admin' })).status).toBe(
      403,
    );
    expect((await call('POST', '/tokens', { cookie }, { name: 't', scope: 'write' })).status).toBe(403);
    expect((await call('GET', '/users', { cookie })).status).toBe(403);
  });
});

describe('scoped admin API tokens', () => {
  async function mint(body: Record<string, unknown>): Promise<{ id: string; plaintext: string }> {
    const res = await call('POST', '/tokens', { cookie: await cookieOf(t.owner) }, body);
    expect(res.status).toBe(201);
    return { id: (res.body.token as { id: string }).id, plaintext: res.body.plaintext as string };
  }

  it('are shown once and stored only as a digest', async () => {
    const { id, plaintext } = await mint({ name: 'ci reader', scope: 'read' });
    expect(plaintext).toMatch(/^sy-adm-[0-9A-Za-z]{43}$/);
    const row = await t.prisma.adminToken.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(plaintext.slice(7));
    expect(row.prefix).toBe(plaintext.slice(0, 11));
    const listed = await call('GET', '/tokens', { cookie: await cookieOf(t.owner) });
    expect(JSON.stringify(listed.body)).not.toContain(plaintext.slice(7));
  });

  it('read scope reads but cannot write; write scope writes and is named in the audit log', async () => {
    const reader = await mint({ name: 'reader', scope: 'read' });
    expect((await call('GET', '/keys', { token: reader.plaintext })).status).toBe(200);
    expect((await call('POST', '/keys', { token: reader.plaintext }, { name: 'x' })).status).toBe(403);

    const writer = await mint({ name: 'deployer', scope: 'write' });
    const created = await call(
      'POST',
      '/keys',
      { token: writer.plaintext },
      { name: 'from ci', teamId: teamB },
    );
    expect(created.status).toBe(201);
    const keyId = (created.body.key as { id: string }).id;
    const audit = await t.prisma.auditLog.findFirstOrThrow({
      where: { action: 'api_key.create', targetId: keyId },
    });
    expect(audit).toMatchObject({ actorType: 'api_token', actorId: writer.id });
    const log = await call('GET', `/audit?actorType=api_token&targetId=${keyId}`, {
      cookie: await cookieOf(t.owner),
    });
    expect(log.body.items).toEqual([
      expect.objectContaining({ action: 'api_key.create', actorId: writer.id, actorTokenName: 'deployer' }),
    ]);
    const row = await t.prisma.adminToken.findUniqueOrThrow({ where: { id: writer.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("a team token manages only that team's keys, and no token may mint tokens or manage users", async () => {
    const teamToken = await mint({ name: 'team a ci', scope: 'write', teamId: teamA });
    expect((await call('GET', `/keys/${keyB}`, { token: teamToken.plaintext })).status).toBe(404);
    expect((await call('GET', `/keys/${keyA}`, { token: teamToken.plaintext })).status).toBe(200);
    const writer = await mint({ name: 'wide', scope: 'write' });
    expect(
      (await call('POST', '/tokens', { token: writer.plaintext }, { name: 'x', scope: 'write' })).status,
    ).toBe(403);
    expect((await call('GET', '/users', { token: writer.plaintext })).status).toBe(403);
  });

  it('stop at once when revoked, and unknown ones are refused', async () => {
    const token = await mint({ name: 'short lived', scope: 'read' });
    expect((await call('GET', '/keys', { token: token.plaintext })).status).toBe(200);
    const revoked = await call('POST', `/tokens/${token.id}/revoke`, { cookie: await cookieOf(t.owner) });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await call('GET', '/keys', { token: token.plaintext })).status).toBe(401);
    expect((await call('GET', '/keys', { token: `sy-adm-${'A'.repeat(43)}` })).status).toBe(401);
    // Whatever a caller makes up after the prefix (or in place of it) is refused, never a 500 or a pass.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[0-9A-Za-z]{0,50}$/)),
        fc.boolean(),
        async (tail, prefixed) => {
          const made = `${prefixed ? 'sy-adm-' : ''}${tail}`.replace(/\s/g, '');
          if (made === '' || made === ADMIN_TOKEN) return;
          const res = await fetch(`${baseUrl}/api/admin/v1/keys`, {
            headers: { authorization: `Bearer ${made}` },
          });
          expect(res.status).toBe(401);
        },
      ),
      { numRuns: 40 },
    );
    // The bootstrap token still works for scripts that set up the first users.
    expect((await call('GET', '/keys', { token: ADMIN_TOKEN })).status).toBe(200);
  });
});

describe('role changes and disabling', () => {
  it('end the user’s sessions on the server: the old cookie is refused afterwards', async () => {
    const member = await userOf('demoted@example.com', 'member', teamA);
    const cookie = await cookieOf(member);
    const secondCookie = await cookieOf(member);
    expect((await call('GET', '/keys', { cookie })).status).toBe(200);
    if (member.kind !== 'user') throw new Error('expected a user');
    const changed = await call(
      'PATCH',
      `/users/${member.userId}`,
      { cookie: await cookieOf(t.owner) },
      { role: 'viewer' },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe('viewer');
    expect((await call('GET', '/keys', { cookie })).status).toBe(401);
    expect((await call('GET', '/keys', { cookie: secondCookie })).status).toBe(401);

    const fresh = await cookieOf({ ...member, role: 'viewer' });
    expect((await call('GET', '/keys', { cookie: fresh })).status).toBe(200);
    const disabled = await call(
      'PATCH',
      `/users/${member.userId}`,
      { cookie: await cookieOf(t.owner) },
      { disabled: true },
    );
    expect(disabled.body.status).toBe('disabled');
    expect((await call('GET', '/keys', { cookie: fresh })).status).toBe(401);
    expect(await verifyCredentials(t.ctx, 'demoted@example.com', 'a long enough password')).toBeNull();
  });

  it('leave owners to owners: an admin can neither change an owner nor make one', async () => {
    const cookie = await cookieOf(admin);
    if (t.owner.kind !== 'user' || memberA.kind !== 'user') throw new Error('expected users');
    const onOwner = await call('PATCH', `/users/${t.owner.userId}`, { cookie }, { disabled: true });
    expect(onOwner.status).toBe(403);
    const promote = await call('PATCH', `/users/${memberA.userId}`, { cookie }, { role: 'owner' });
    expect(promote.status).toBe(403);
    expect(promote.body.error?.field).toBe('role');
    const invite = await call('POST', '/users', { cookie }, { email: 'boss@example.com', role: 'owner' });
    expect(invite.status).toBe(403);
    const owner = await t.prisma.user.findUniqueOrThrow({ where: { id: t.owner.userId } });
    expect(owner.disabledAt).toBeNull();
    const self = await call(
      'PATCH',
      `/users/${(admin as { userId: string }).userId}`,
      { cookie },
      { role: 'viewer' },
    );
    expect(self.status).toBe(403);
  });
});

describe('invites', () => {
  it('give a one-time link, stored as a digest, that sets the password once', async () => {
    const res = await call(
      'POST',
      '/users',
      { cookie: await cookieOf(t.owner) },
      { email: 'New.Person@Example.com', role: 'member', teamId: teamA },
    );
    expect(res.status).toBe(201);
    const user = res.body.user as { id: string; email: string; status: string };
    expect(user).toMatchObject({ email: 'new.person@example.com', status: 'invited' });
    const invite = res.body.invite as { url: string; expiresAt: string };
    const secret = invite.url.split('#')[1] ?? '';
    // The console's own address (Next writes 127.0.0.1 as localhost), the secret in the fragment.
    const link = new URL(invite.url);
    expect([link.port, link.pathname, link.search]).toEqual([new URL(baseUrl).port, '/invite', '']);
    expect(secret).toMatch(/^sy-inv-/);
    const stored = await t.prisma.userInvite.findFirstOrThrow({ where: { userId: user.id } });
    expect(JSON.stringify(stored)).not.toContain(secret.slice(7));

    // Before accepting, the user cannot sign in at all.
    expect(await verifyCredentials(t.ctx, 'new.person@example.com', '')).toBeNull();
    expect(await acceptInvite(t.ctx, { token: secret, password: 'my own password 1' })).toEqual({
      email: 'new.person@example.com',
    });
    expect(await verifyCredentials(t.ctx, 'new.person@example.com', 'my own password 1')).toMatchObject({
      id: user.id,
      role: 'member',
      teamId: teamA,
    });
    const again = await thrown(() => acceptInvite(t.ctx, { token: secret, password: 'another password 2' }));
    expect(again).toMatchObject({ code: 'invalid_request', field: 'token' });
  });

  it('double as a password reset that ends the sessions opened with the old password', async () => {
    const user = await userOf('forgetful@example.com', 'viewer', null);
    if (user.kind !== 'user') throw new Error('expected a user');
    const cookie = await cookieOf(user);
    expect((await call('GET', '/keys', { cookie })).status).toBe(200);
    const reset = await call('POST', `/users/${user.userId}/invite`, { cookie: await cookieOf(t.owner) }, {});
    expect(reset.status).toBe(201);
    const secret = (reset.body.invite as { url: string }).url.split('#')[1] ?? '';
    // Issuing the link changes nothing yet; using it does.
    expect((await call('GET', '/keys', { cookie })).status).toBe(200);
    await acceptInvite(t.ctx, { token: secret, password: 'a brand new password' });
    expect((await call('GET', '/keys', { cookie })).status).toBe(401);
    expect(await verifyCredentials(t.ctx, 'forgetful@example.com', 'a long enough password')).toBeNull();
    expect(await verifyCredentials(t.ctx, 'forgetful@example.com', 'a brand new password')).toMatchObject({
      id: user.userId,
    });
  });

  it('expire, and a newer invite replaces an older one', async () => {
    const owner = { cookie: await cookieOf(t.owner) };
    const res = await call('POST', '/users', owner, { email: 'late@example.com', inviteExpiresInHours: 1 });
    const user = res.body.user as { id: string };
    const first = (res.body.invite as { url: string }).url.split('#')[1] ?? '';
    const reissued = await call('POST', `/users/${user.id}/invite`, owner, { expiresInHours: 1 });
    expect(reissued.status).toBe(201);
    const second = (reissued.body.invite as { url: string }).url.split('#')[1] ?? '';
    expect(
      await thrown(() => acceptInvite(t.ctx, { token: first, password: 'a long password 3' })),
    ).toMatchObject({
      code: 'invalid_request',
    });
    t.clock.advance(2 * 3_600_000);
    expect(
      await thrown(() => acceptInvite(t.ctx, { token: second, password: 'a long password 3' })),
    ).toMatchObject({
      code: 'invalid_request',
    });
    t.clock.advance(-2 * 3_600_000);
  });
});
