import { type NextRequest, NextResponse } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { getEnv } from './env';

/**
 * Sends visitors without a session to /login before any console page renders. Pages check the session again
 * (and re-read the user); this is the fast path, not the only guard.
 */
export async function proxy(req: NextRequest): Promise<NextResponse> {
  const token = await getToken({ req, secret: getEnv().NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const login = new URL('/login', req.url);
  login.searchParams.set('callbackUrl', `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = {
  // The admin API authenticates itself (token or session) and answers 401 in JSON instead of redirecting.
  matcher: ['/((?!api/|_next/|login|favicon.ico|icon.svg).*)'],
};
