import { type NextRequest, NextResponse } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { getEnv } from './env';
import { crossSiteWriteRefusal } from './http/cross-site-write';
import { declaresBodyOver, UNAUTHENTICATED_BODY_LIMIT_BYTES } from './http/read-body-capped';
import { applySecurityHeaders } from './http/security-headers';

/** Paths that are not console pages: they authenticate themselves or need no session (an invite link). */
const NOT_A_PAGE = /^\/(api\/|_next\/|login(\/|$)|invite$|favicon\.ico$|icon\.svg$)/;

function problem(status: number, code: string, message: string): NextResponse {
  return NextResponse.json(
    { error: { code, message } },
    { status, headers: { 'cache-control': 'no-store' } },
  );
}

/**
 * Runs before every page and API request:
 * - a write carrying the browser's cookies (no Authorization header) from another origin is refused (403);
 * - a request without a session or token may not declare a body over 64 KiB (413, before a byte is read);
 * - visitors without a session are sent to /login before any console page renders (pages check the server-side
 *   session again; this is the fast path, not the only guard);
 * - every answer gets the security headers.
 */
export async function proxy(req: NextRequest): Promise<NextResponse> {
  const env = getEnv();
  const response = await decide(req, env.NEXTAUTH_SECRET, env.NEXTAUTH_URL);
  applySecurityHeaders(response.headers, req, env.NODE_ENV === 'development');
  return response;
}

async function decide(
  req: NextRequest,
  secret: string,
  publicUrl: string | undefined,
): Promise<NextResponse> {
  const bearer = req.headers.has('authorization');
  if (!bearer) {
    const refusal = crossSiteWriteRefusal(req, publicUrl);
    if (refusal !== null) return problem(403, 'forbidden', refusal);
  }
  const token = await getToken({ req, secret });
  if (!token && !bearer && declaresBodyOver(req.headers, UNAUTHENTICATED_BODY_LIMIT_BYTES)) {
    return problem(413, 'payload_too_large', 'Without a session the request body may be at most 64 KiB.');
  }
  if (token || NOT_A_PAGE.test(req.nextUrl.pathname)) return NextResponse.next();
  const login = new URL('/login', req.url);
  login.searchParams.set('callbackUrl', `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but Next's hashed static assets.
  matcher: ['/((?!_next/static|_next/image).*)'],
};
