import { performance } from 'node:perf_hooks';
import { NextRequest } from 'next/server';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminRoute, ok } from '../src/http/admin-route';
import { proxy } from '../src/proxy';
import { createAdminContext } from '../src/server/admin-context';
import { getAuthOptions } from '../src/server/auth-options';
import { guardSignInRequest } from '../src/server/guard-sign-in-request';
import { createKey, createKeyInput, listKeys, listKeysQuery, revokeKey } from '../src/server/keys';
import { attemptSignIn } from '../src/server/sign-in';
import { verifyCredentials } from '../src/server/verify-credentials';
import {
  type AdminTestContext,
  signedInCookie,
  startAdminTestContext,
  TEST_PASSWORD,
} from './admin-test-context';

const SESSION_SECRET = 'test-session-secret-0123456789abcdef0123456789';
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const CONSOLE = 'http://localhost:3000';

// The same compositions as app/api/admin/v1/keys/route.ts and keys/[id]/revoke/route.ts.
const LIST = adminRoute(async ({ req, ctx, actor }) => ok(await listKeys(ctx, actor, parseQueryOf(req))));
const REVOKE = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await revokeKey(ctx, actor, params.id)),
);

function parseQueryOf(req: NextRequest) {
  return listKeysQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
}

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('DATABASE_URL', t.databaseUrl);
  vi.stubEnv('NEXTAUTH_SECRET', SESSION_SECRET);
  vi.stubEnv('NEXTAUTH_URL', CONSOLE);
  vi.stubEnv('SWITCHYARD_ADMIN_TOKEN', ADMIN_TOKEN);
  vi.stubEnv('SWITCHYARD_MASTER_KEY', t.masterKey);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.close();
});

async function newKey(name: string): Promise<string> {
  return (await createKey(t.ctx, t.owner, createKeyInput.parse({ name }))).key.id;
}

async function revoke(keyId: string, headers: Record<string, string>) {
  const res = await REVOKE(
    new NextRequest(`${CONSOLE}/api/admin/v1/keys/${keyId}/revoke`, { method: 'POST', headers }),
    {
      params: Promise.resolve({ id: keyId }),
    },
  );
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

async function revokedAt(keyId: string): Promise<Date | null> {
  return (await t.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).revokedAt;
}

describe('cross-site writes with the session cookie', () => {
  it('refuses a write from another origin (another port of the same host) and leaves the key alone', async () => {
    const keyId = await newKey('victim');
    const cookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
    const res = await revoke(keyId, { cookie, origin: 'http://127.0.0.1:9999' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden' });
    expect(res.body.error?.message).toContain('http://127.0.0.1:9999');
    expect(await revokedAt(keyId)).toBeNull();

    const fetchMetadataOnly = await revoke(keyId, { cookie, 'sec-fetch-site': 'same-site' });
    expect(fetchMetadataOnly.status).toBe(403);
    expect(await revokedAt(keyId)).toBeNull();

    const opaque = await revoke(keyId, { cookie, origin: 'null' });
    expect(opaque.status).toBe(403);
    expect(await revokedAt(keyId)).toBeNull();
  });

  it('accepts the same write from the console itself', async () => {
    const keyId = await newKey('own');
    const cookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
    const res = await revoke(keyId, { cookie, origin: CONSOLE, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(200);
    expect(await revokedAt(keyId)).not.toBeNull();
  });

  it('does not judge admin-token calls by their origin: they carry no ambient credential', async () => {
    const keyId = await newKey('scripted');
    const res = await revoke(keyId, {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      origin: 'http://127.0.0.1:9999',
    });
    expect(res.status).toBe(200);
    expect(await revokedAt(keyId)).not.toBeNull();
  });

  it('is refused in the proxy too, for every cookie-carrying write (server actions, sign-out)', async () => {
    const cookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
    for (const path of ['/keys', '/api/auth/signout', '/api/admin/v1/keys']) {
      const res = await proxy(
        new NextRequest(`${CONSOLE}${path}`, {
          method: 'POST',
          headers: { cookie, origin: 'http://evil.example' },
        }),
      );
      expect(res.status, path).toBe(403);
    }
    const same = await proxy(
      new NextRequest(`${CONSOLE}/keys`, { method: 'POST', headers: { cookie, origin: CONSOLE } }),
    );
    expect(same.status).toBe(200);
    expect(same.headers.get('x-middleware-next')).toBe('1');
  });
});

describe('sign-in throttling', () => {
  function ctxWithOwnThrottle() {
    return createAdminContext({ prisma: t.prisma, masterKey: t.masterKey, now: t.clock.now });
  }

  it('refuses later attempts of 20 wrong passwords at once, and a right password too until the backoff passes', async () => {
    const ctx = ctxWithOwnThrottle();
    const subject = { email: 'owner@example.com', ip: '203.0.113.7' };
    const outcomes: string[] = [];
    const evaluated: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const outcome = await attemptSignIn(ctx, subject, `wrong-${i}`);
      (outcome.kind === 'throttled' ? refused : evaluated).push(performance.now() - started);
      outcomes.push(outcome.kind);
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('invalid'));
    expect(outcomes.slice(5)).toEqual(Array(15).fill('throttled'));
    // Refused without hashing: far cheaper than an evaluated attempt.
    expect(median(refused)).toBeLessThan(median(evaluated) / 10);

    const during = await attemptSignIn(ctx, subject, TEST_PASSWORD);
    expect(during).toEqual({ kind: 'throttled', retryAfterSeconds: 1 });
    t.clock.advance(1_001);
    // One more failure after the lock doubles the next one.
    expect((await attemptSignIn(ctx, subject, 'wrong-again')).kind).toBe('invalid');
    expect(await attemptSignIn(ctx, subject, TEST_PASSWORD)).toEqual({
      kind: 'throttled',
      retryAfterSeconds: 2,
    });
    t.clock.advance(2_001);
    expect(await attemptSignIn(ctx, subject, TEST_PASSWORD)).toMatchObject({
      kind: 'signed_in',
      user: { email: 'owner@example.com' },
    });
  });

  it('throttles one address spraying many accounts, but not the same accounts from elsewhere', async () => {
    const ctx = ctxWithOwnThrottle();
    for (let i = 0; i < 20; i++) {
      expect(
        (await attemptSignIn(ctx, { email: `user${i}@example.com`, ip: '198.51.100.9' }, 'x')).kind,
      ).toBe('invalid');
    }
    expect(
      (await attemptSignIn(ctx, { email: 'owner@example.com', ip: '198.51.100.9' }, TEST_PASSWORD)).kind,
    ).toBe('throttled');
    expect(
      (await attemptSignIn(ctx, { email: 'owner@example.com', ip: '198.51.100.10' }, TEST_PASSWORD)).kind,
    ).toBe('signed_in');
  });

  it('answers a locked credentials sign-in with 429 and Retry-After before next-auth evaluates it', async () => {
    const email = 'viewer@example.com';
    const ctx = getAdminContextForEnv();
    for (let i = 0; i < 5; i++) ctx.signInThrottle.recordFailure({ email, ip: null });
    const res = await guardSignInRequest(
      new NextRequest(`${CONSOLE}/api/auth/callback/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          email,
          password: TEST_PASSWORD,
          csrfToken: 'x',
          json: 'true',
        }).toString(),
      }),
    );
    if (!(res instanceof Response)) throw new Error('expected the request to be answered');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { url: string };
    expect(new URL(body.url).searchParams.get('error')).toBe('Throttled');
  });

  it('takes about as long for an unknown e-mail as for a known one with a wrong password', async () => {
    // The credential check itself (the throttle would lock the known account after five failures).
    await verifyCredentials(t.ctx, 'warm-up@example.com', 'x');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      for (const [email, times] of [
        ['owner@example.com', known],
        [`nobody${i}@example.com`, unknown],
      ] as const) {
        const started = performance.now();
        expect(await verifyCredentials(t.ctx, email, `wrong-${i}`)).toBeNull();
        times.push(performance.now() - started);
      }
    }
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

// The sign-in route's guard uses the process context (built from the stubbed environment), as in `next start`.
import { getAdminContext as getAdminContextForEnv } from '../src/server/admin-context';

/** A POST whose body is a stream (sent chunked unless a Content-Length is given). */
function streamingPost(
  url: string,
  body: ReadableStream<Uint8Array>,
  headers: Record<string, string>,
): NextRequest {
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers, body, duplex: 'half' };
  return new NextRequest(new Request(url, init));
}

describe('request bodies without a session', () => {
  it('refuses a declared 200 MB sign-in body with 413 before reading it', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const req = streamingPost(`${CONSOLE}/api/auth/callback/credentials`, body, {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(200 * 1024 * 1024),
    });
    const proxied = await proxy(req);
    expect(proxied.status).toBe(413);
    const guarded = await guardSignInRequest(req);
    expect(guarded instanceof Response && guarded.status).toBe(413);
    // Nothing beyond the stream's own read-ahead of a chunk or two.
    expect(pulled).toBeLessThanOrEqual(2);
  });

  it('stops reading a chunked sign-in body once it passes 64 KiB', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        if (sent > 200 * 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
      },
    });
    const guarded = await guardSignInRequest(
      streamingPost(`${CONSOLE}/api/auth/callback/credentials`, body, {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    );
    expect(guarded instanceof Response && guarded.status).toBe(413);
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it('lets a signed-in or token-carrying request declare a larger body (admin imports)', async () => {
    const cookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
    const big = { 'content-length': String(1024 * 1024), origin: CONSOLE };
    const withSession = await proxy(
      new NextRequest(`${CONSOLE}/api/admin/v1/prices/import`, {
        method: 'POST',
        headers: { ...big, cookie },
      }),
    );
    expect(withSession.status).toBe(200);
    const withToken = await proxy(
      new NextRequest(`${CONSOLE}/api/admin/v1/prices/import`, {
        method: 'POST',
        headers: { ...big, authorization: `Bearer ${ADMIN_TOKEN}` },
      }),
    );
    expect(withToken.status).toBe(200);
  });
});

describe('sign-in redirects', () => {
  it('follows only paths of the console after sign-in', async () => {
    const redirect = getAuthOptions().callbacks?.redirect;
    if (!redirect) throw new Error('expected a redirect callback');
    const after = (url: string) => redirect({ url, baseUrl: CONSOLE });
    expect(await after(`${CONSOLE}/keys?x=1`)).toBe(`${CONSOLE}/keys?x=1`);
    expect(await after('/routes')).toBe(`${CONSOLE}/routes`);
    for (const url of [
      '/\t/evil.example',
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      `${CONSOLE}//evil.example`,
    ]) {
      expect(await after(url), url).toBe(`${CONSOLE}/`);
    }
  });
});

describe('sign-out', () => {
  it('ends the session on the server: the old cookie is refused afterwards', async () => {
    const cookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
    const list = () =>
      LIST(new NextRequest(`${CONSOLE}/api/admin/v1/keys`, { headers: { cookie } }), {
        params: Promise.resolve({}),
      });
    expect((await list()).status).toBe(200);

    const jwt = cookie.slice(cookie.indexOf('=') + 1);
    const { decode } = await import('next-auth/jwt');
    const token = await decode({ token: jwt, secret: SESSION_SECRET });
    const signOut = getAuthOptions().events?.signOut;
    if (!signOut || !token) throw new Error('expected a sign-out event and a token');
    await signOut({ token, session: token as never });

    const after = await list();
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('refuses a cookie that names no server-side session (as every cookie before this change did)', async () => {
    if (t.owner.kind !== 'user') throw new Error('expected a user');
    const legacy = await encode({ token: { sub: t.owner.userId }, secret: SESSION_SECRET });
    const res = await LIST(
      new NextRequest(`${CONSOLE}/api/admin/v1/keys`, {
        headers: { cookie: `next-auth.session-token=${legacy}` },
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(401);
  });
});

describe('security headers', () => {
  it('are on pages, redirects and API answers', async () => {
    const cookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
    const answers = [
      await proxy(new NextRequest(`${CONSOLE}/keys`, { headers: { cookie } })),
      await proxy(new NextRequest(`${CONSOLE}/keys`)),
      await proxy(new NextRequest(`${CONSOLE}/api/admin/v1/keys`)),
      await proxy(new NextRequest(`${CONSOLE}/login`)),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 307, 200, 200]);
    for (const res of answers) {
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('add HSTS only when the console is reached over https', async () => {
    const behindTls = await proxy(
      new NextRequest(`${CONSOLE}/login`, { headers: { 'x-forwarded-proto': 'https' } }),
    );
    expect(behindTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
