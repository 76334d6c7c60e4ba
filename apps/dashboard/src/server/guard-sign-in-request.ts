import type { NextRequest } from 'next/server';
import { readBodyCapped, UNAUTHENTICATED_BODY_LIMIT_BYTES } from '../http/read-body-capped';
import { getAdminContext } from './admin-context';
import { clientAddress } from './client-address';

/**
 * What runs before next-auth sees a request to /api/auth/*: the body is read at most 64 KiB far (413 beyond), and a
 * credentials sign-in for a locked account or address is answered 429 with Retry-After without evaluating the
 * password. Returns the body read for next-auth, or the response that ends the request.
 */
export async function guardSignInRequest(req: NextRequest): Promise<{ body: string | undefined } | Response> {
  if (req.method !== 'POST') return { body: undefined };
  const body = await readBodyCapped(req, UNAUTHENTICATED_BODY_LIMIT_BYTES);
  if (body === null) {
    return Response.json(
      { error: { code: 'payload_too_large', message: 'The request body is over 64 KiB.' } },
      { status: 413, headers: { connection: 'close' } },
    );
  }
  if (req.nextUrl.pathname.endsWith('/callback/credentials')) {
    const email = new URLSearchParams(body).get('email') ?? '';
    const decision = getAdminContext().signInThrottle.check({ email, ip: clientAddress(req.headers) });
    if (!decision.allowed) {
      const retryAfter = Math.ceil(decision.retryAfterMs / 1000);
      const url = new URL('/login', req.nextUrl.origin);
      url.searchParams.set('error', 'Throttled');
      // next-auth's signIn() reads `url` from the JSON answer; a form post follows the Location.
      return Response.json(
        {
          url: url.toString(),
          error: { code: 'throttled', message: `Too many failed sign-ins; retry in ${retryAfter} s.` },
        },
        { status: 429, headers: { 'retry-after': String(retryAfter) } },
      );
    }
  }
  return { body };
}
