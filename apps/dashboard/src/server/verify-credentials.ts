import { type AdminUser, hashPassword, passwordNeedsRehash, verifyPassword } from '@switchyard/db/admin';
import type { AdminContext } from './admin-context';

// On globalThis: Next loads this module once per bundle (instrumentation, route handlers), and the hash made at
// start must be the one the sign-in route finds.
const shared = globalThis as unknown as { switchyardDecoyPasswordHash?: Promise<string> };

/**
 * A hash with the same parameters as real ones, for unknown e-mails. Made at server start (instrumentation.ts) so
 * no sign-in pays for making it, which would itself be a timing signal.
 */
export function decoyPasswordHash(): Promise<string> {
  shared.switchyardDecoyPasswordHash ??= hashPassword(crypto.randomUUID());
  return shared.switchyardDecoyPasswordHash;
}

/**
 * Checks an email/password pair against the users table. Unknown emails pay for one verification against a
 * decoy hash of the same cost, so response time does not reveal which emails exist. Hashing runs in the thread
 * pool (scrypt), never on the event loop. A legacy bcrypt hash is replaced by a scrypt one on success.
 */
export async function verifyCredentials(
  ctx: AdminContext,
  email: string,
  password: string,
): Promise<AdminUser | null> {
  const pendingDecoy = decoyPasswordHash();
  const found = await ctx.repos.users.findCredentialsByEmail(email.trim());
  if (!found) {
    await verifyPassword(password, await pendingDecoy);
    return null;
  }
  if (!(await verifyPassword(password, found.passwordHash))) return null;
  if (passwordNeedsRehash(found.passwordHash)) {
    await ctx.repos.users.replacePasswordHash(
      found.user.id,
      found.passwordHash,
      await hashPassword(password),
    );
  }
  return found.user;
}
