import type { AdminUser } from '@switchyard/db/admin';
import type { AdminContext } from './admin-context';
import { recordAuditEvent } from './audit';
import type { SignInSubject } from './sign-in-throttle';
import { verifyCredentials } from './verify-credentials';

export type SignInOutcome =
  | { kind: 'signed_in'; user: AdminUser }
  | { kind: 'invalid' }
  /** Too many failures for this account or address: refused without looking at the password. */
  | { kind: 'throttled'; retryAfterSeconds: number };

/**
 * One console sign-in attempt: refused at once while the account or the address is locked (a right password
 * included, so guessing cannot continue through the lock), otherwise evaluated and counted. Every outcome is
 * audited; a refused one names the e-mail tried as the actor (never the password).
 */
export async function attemptSignIn(
  ctx: AdminContext,
  subject: SignInSubject,
  password: string,
  userAgent: string | null = null,
): Promise<SignInOutcome> {
  const outcome = await evaluateSignIn(ctx, subject, password);
  const client = { ip: subject.ip, userAgent };
  const tried = subject.email.trim().toLowerCase().slice(0, 320);
  if (outcome.kind === 'signed_in') {
    await recordAuditEvent(
      ctx,
      { type: 'user', id: outcome.user.id },
      { action: 'auth.sign_in', targetType: 'user', targetId: outcome.user.id },
      client,
    );
  } else {
    await recordAuditEvent(
      ctx,
      { type: 'anonymous', id: tried },
      {
        action: outcome.kind === 'throttled' ? 'auth.sign_in_throttled' : 'auth.sign_in_failed',
        targetType: 'user',
        targetId: null,
        details: { email: tried },
      },
      client,
    );
  }
  return outcome;
}

async function evaluateSignIn(
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
