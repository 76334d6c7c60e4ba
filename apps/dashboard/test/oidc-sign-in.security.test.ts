import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOidcUser } from '../src/server/oidc-sign-in';
import { verifyCredentials } from '../src/server/verify-credentials';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';

// Who an OIDC identity becomes: the console user with that e-mail, or nobody. Real PostgreSQL.

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

describe('mapping an OIDC identity onto a console user', () => {
  it('signs in the user with that e-mail, whatever its case, keeping the stored role', async () => {
    const outcome = await resolveOidcUser(
      t.ctx,
      { sub: 'sub-1', email: 'Owner@Example.com', email_verified: true },
      false,
    );
    expect(outcome).toMatchObject({
      kind: 'signed_in',
      provisioned: false,
      user: { email: 'owner@example.com', role: 'owner' },
    });
    const audit = await t.prisma.auditLog.findFirst({
      where: { action: 'auth.sign_in' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit?.details).toMatchObject({ method: 'oidc', subject: 'sub-1' });
  });

  it('refuses an unknown e-mail unless auto-provisioning is on, and then creates a viewer without a password', async () => {
    const claims = { sub: 'sub-2', email: 'newcomer@example.com', name: 'New Comer' };
    expect(await resolveOidcUser(t.ctx, claims, false)).toEqual({ kind: 'refused', reason: 'unknown_email' });
    expect(await t.prisma.user.count({ where: { email: 'newcomer@example.com' } })).toBe(0);
    const refusal = await t.prisma.auditLog.findFirst({
      where: { action: 'auth.sign_in_failed' },
      orderBy: { createdAt: 'desc' },
    });
    expect(refusal?.details).toMatchObject({
      method: 'oidc',
      reason: 'unknown_email',
      email: 'newcomer@example.com',
    });

    const provisioned = await resolveOidcUser(t.ctx, claims, true);
    expect(provisioned).toMatchObject({
      kind: 'signed_in',
      provisioned: true,
      user: { role: 'viewer', name: 'New Comer' },
    });
    // A second sign-in finds the same row.
    const again = await resolveOidcUser(t.ctx, claims, true);
    expect(again).toMatchObject({ kind: 'signed_in', provisioned: false });
    expect(await t.prisma.user.count({ where: { email: 'newcomer@example.com' } })).toBe(1);
    // No password works for it: it signs in through the issuer only.
    expect(await verifyCredentials(t.ctx, 'newcomer@example.com', '')).toBeNull();
  });

  it('refuses an e-mail the issuer says is unverified, and an identity without e-mail', async () => {
    expect(
      await resolveOidcUser(t.ctx, { sub: 's', email: 'owner@example.com', email_verified: false }, true),
    ).toEqual({
      kind: 'refused',
      reason: 'email_not_verified',
    });
    expect(await resolveOidcUser(t.ctx, { sub: 's' }, true)).toEqual({ kind: 'refused', reason: 'no_email' });
  });
});
