import type { AdminUser } from '@switchyard/db/admin';
import type { JWT } from 'next-auth/jwt';
import type { AdminContext } from './admin-context';

/**
 * The user a decoded session cookie stands for, while its server-side session is live (not signed out, not
 * expired) and the user still exists. A cookie from before server-side sessions (no `sid`) is not accepted.
 */
export async function sessionUser(ctx: AdminContext, token: JWT | null): Promise<AdminUser | null> {
  if (!token?.sub || typeof token.sid !== 'string') return null;
  const user = await ctx.repos.consoleSessions.findActiveUser(token.sid, ctx.now());
  return user && user.id === token.sub ? user : null;
}
