import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOidcUser } from '../src/server/oidc-sign-in';
import { acceptInvite, createUser, getUser, updateUser } from '../src/server/users';
import { verifyCredentials } from '../src/server/verify-credentials';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

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

describe('OIDC sign-in of a disabled or an invited user', () => {
  const origin = 'http://console.test';

  it('refuses a disabled user with its own reason, even with auto-provisioning on, and creates no other row', async () => {
    const { user } = await createUser(
      t.ctx,
      t.owner,
      {
        email: 'gone@example.com',
        name: null,
        role: 'admin',
        teamId: null,
        password: 'a long enough password',
        inviteExpiresInHours: 72,
      },
      origin,
    );
    await updateUser(t.ctx, t.owner, user.id, { disabled: true });
    for (const autoProvision of [false, true]) {
      expect(
        await resolveOidcUser(
          t.ctx,
          { sub: 'sub-gone', email: 'Gone@Example.com', email_verified: true },
          autoProvision,
        ),
      ).toEqual({ kind: 'refused', reason: 'disabled' });
    }
    expect(
      await t.prisma.user.count({ where: { email: { equals: 'gone@example.com', mode: 'insensitive' } } }),
    ).toBe(1);
    expect((await getUser(t.ctx, t.owner, user.id)).status).toBe('disabled');
    const refusal = await t.prisma.auditLog.findFirst({
      where: { action: 'auth.sign_in_failed' },
      orderBy: { createdAt: 'desc' },
    });
    expect(refusal?.details).toMatchObject({ method: 'oidc', reason: 'disabled', email: 'gone@example.com' });
  });

  it('accepts a pending invite when the invited e-mail signs in: the user keeps their role and the link stops working', async () => {
    const { user, invite } = await createUser(
      t.ctx,
      t.owner,
      {
        email: 'invited@example.com',
        name: 'Invited',
        role: 'admin',
        teamId: null,
        inviteExpiresInHours: 72,
      },
      origin,
    );
    expect(user.status).toBe('invited');
    const claims = { sub: 'sub-inv', email: 'INVITED@example.com', email_verified: true };
    const outcome = await resolveOidcUser(t.ctx, claims, false);
    expect(outcome).toMatchObject({
      kind: 'signed_in',
      provisioned: false,
      acceptedInvite: true,
      user: { id: user.id, email: 'invited@example.com', role: 'admin' },
    });
    expect((await getUser(t.ctx, t.owner, user.id)).status).toBe('active');
    // The session callback finds the user by e-mail as for any other sign-in.
    expect((await t.ctx.repos.users.findCredentialsByEmail('invited@example.com'))?.user.id).toBe(user.id);
    // The one-time link was spent by the sign-in: nobody can use it to set a password afterwards.
    const secret = invite?.url.split('#')[1] ?? '';
    expect(
      await thrown(() => acceptInvite(t.ctx, { token: secret, password: 'another long password' })),
    ).toMatchObject({
      code: 'invalid_request',
    });
    // No password works for the account: it signs in through the issuer.
    expect(await verifyCredentials(t.ctx, 'invited@example.com', '')).toBeNull();
    const accepted = await t.prisma.auditLog.findFirst({
      where: { action: 'user.accept_invite', targetId: user.id },
    });
    expect(accepted?.details).toMatchObject({ method: 'oidc', subject: 'sub-inv' });
    // The next sign-in is an ordinary one.
    expect(await resolveOidcUser(t.ctx, claims, false)).toMatchObject({
      kind: 'signed_in',
      acceptedInvite: false,
      user: { id: user.id },
    });
  });

  it('refuses an invited user whose invite has expired, and auto-provisioning does not take the e-mail over', async () => {
    const { user } = await createUser(
      t.ctx,
      t.owner,
      { email: 'late@example.com', name: null, role: 'member', teamId: null, inviteExpiresInHours: 1 },
      origin,
    );
    t.clock.advance(2 * 3_600_000);
    for (const autoProvision of [false, true]) {
      expect(
        await resolveOidcUser(
          t.ctx,
          { sub: 'sub-late', email: 'late@example.com', email_verified: true },
          autoProvision,
        ),
      ).toEqual({ kind: 'refused', reason: 'invite_expired' });
    }
    expect((await getUser(t.ctx, t.owner, user.id)).status).toBe('invited');
    expect(await t.prisma.user.count({ where: { email: 'late@example.com' } })).toBe(1);
  });
});
