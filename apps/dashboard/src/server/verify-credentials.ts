import type { AdminUser } from '@switchyard/db/admin';
import { compare, hash } from 'bcryptjs';
import type { AdminContext } from './admin-context';

let decoyHash: Promise<string> | undefined;

/**
 * Checks an email/password pair against the users table. Unknown emails still pay for one bcrypt
 * comparison so response time does not reveal which emails exist.
 */
export async function verifyCredentials(
  ctx: AdminContext,
  email: string,
  password: string,
): Promise<AdminUser | null> {
  const found = await ctx.repos.users.findCredentialsByEmail(email.trim());
  if (!found) {
    decoyHash ??= hash(crypto.randomUUID(), 10);
    await compare(password, await decoyHash);
    return null;
  }
  return (await compare(password, found.passwordHash)) ? found.user : null;
}
