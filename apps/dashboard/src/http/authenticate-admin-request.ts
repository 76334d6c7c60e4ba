import { ADMIN_TOKEN_PREFIX, digestApiKey } from '@switchyard/db/admin';
import type { NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { getEnv } from '../env';
import { type Actor, ADMIN_TOKEN_ACTOR, tokenActor, userActor } from '../server/actor';
import type { AdminContext } from '../server/admin-context';
import { AdminError } from '../server/admin-error';
import { sessionUser } from '../server/session-user';
import { constantTimeEqual } from './constant-time-equal';
import { crossSiteWriteRefusal } from './cross-site-write';

/**
 * An admin API caller holds a scoped admin API token (`Authorization: Bearer sy-adm-…`, looked up by digest; revoked
 * and expired tokens are refused), the bootstrap SWITCHYARD_ADMIN_TOKEN (Bearer), or is a signed-in console user
 * (session cookie). A request that sends an Authorization header is judged by it alone. A cookie is
 * sent by the browser whoever asks, so a cookie-authenticated write must also come from the console's own origin.
 */
export async function authenticateAdminRequest(req: NextRequest, ctx: AdminContext): Promise<Actor> {
  const env = getEnv();
  const authorization = req.headers.get('authorization');
  if (authorization !== null) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (token?.startsWith(ADMIN_TOKEN_PREFIX)) {
      const record = await ctx.repos.adminTokens.authenticate(digestApiKey(token), ctx.now());
      if (!record)
        throw new AdminError('unauthorized', 'The admin API token is unknown, revoked or expired.');
      return tokenActor(record);
    }
    const expected = env.SWITCHYARD_ADMIN_TOKEN;
    if (token === undefined || expected === undefined || !constantTimeEqual(token, expected)) {
      throw new AdminError('unauthorized', 'The admin token is missing or wrong.');
    }
    return ADMIN_TOKEN_ACTOR;
  }
  const refusal = crossSiteWriteRefusal(req, env.NEXTAUTH_URL);
  if (refusal !== null) throw new AdminError('forbidden', refusal);
  const user = await sessionUser(ctx, await getToken({ req, secret: env.NEXTAUTH_SECRET }));
  if (!user) throw new AdminError('unauthorized', 'Sign in or send Authorization: Bearer <admin token>.');
  return userActor(user);
}
