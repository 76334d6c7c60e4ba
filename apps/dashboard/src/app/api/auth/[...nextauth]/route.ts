import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { getAuthOptions } from '@/server/auth-options';

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily, once) so `next build` needs no environment.
function handler(req: NextRequest, context: Context): Promise<Response> {
  return NextAuth(req, context, getAuthOptions());
}

export { handler as GET, handler as POST };
