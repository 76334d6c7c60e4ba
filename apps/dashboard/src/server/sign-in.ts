import type { AdminUser } from '@switchyard/db/admin';
import type { AdminContext } from './admin-context';
import type { SignInSubject } from './sign-in-throttle';
import { verifyCredentials } from './verify-credentials';

export type SignInOutcome =
  | { kind: 'signed_in'; user: AdminUser }
  | { kind: 'invalid' }
  /** Too many failures for this account or address: refused without looking at the password. */
  | { kind: 'throttled'; retryAfterSeconds: number };

/**
 * One console sign-in attempt: refused at once while the account or the address is locked (a right password
 * included, so guessing cannot continue through the lock), otherwise evaluated and counted.
 */
export async function attemptSignIn(
  ctx: AdminContext,
  subject: SignInSubject,
  password: string,
): Promise<SignInOutcome> {
  const decision = ctx.signInThrottle.check(subject);
  if (!decision.allowed)
    return { kind: 'throttled', retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000) };
  const user = await verifyCredentials(ctx, subject.email, password);
  if (!user) {
    ctx.signInThrottle.recordFailure(subject);
    return { kind: 'invalid' };
  }
  ctx.signInThrottle.recordSuccess(subject);
  return { kind: 'signed_in', user };
}
