import { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { getAuthOptions } from '@/server/auth-options';
import { guardSignInRequest } from '@/server/guard-sign-in-request';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily, once) so `next build` needs no environment.
async function handler(req: NextRequest, context: Context): Promise<Response> {
  const guarded = await guardSignInRequest(req);
  if (guarded instanceof Response) return guarded;
  // next-auth reads the body itself: it is handed the copy read (and capped) above.
  const forwarded = new NextRequest(req.url, {
    method: req.method,
    headers: req.headers,
    body: guarded.body,
  });
  return NextAuth(forwarded, context, getAuthOptions());
}

export { handler as GET, handler as POST };
