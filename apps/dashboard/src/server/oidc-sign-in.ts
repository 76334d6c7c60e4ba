import { type AdminUser, hashPassword } from '@switchyard/db/admin';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { AdminContext } from './admin-context';
import { recordAuditEvent } from './audit';

/** The next-auth provider id of the OIDC sign-in (`/api/auth/callback/oidc` is the redirect URI to register). */
export const OIDC_PROVIDER_ID = 'oidc';

/** OIDC settings from the environment (OIDC_*); absent when OIDC sign-in is not configured. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The sign-in button's label: "Sign in with <name>". */
  name: string;
  /** Unknown e-mails become viewers when true; otherwise they are refused. */
  autoProvisionViewers: boolean;
}

/** The ID token claims the console reads. */
export interface OidcClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * Any OpenID Connect issuer, through its discovery document: authorization code flow with PKCE and state, the ID
 * token's signature, issuer and audience checked by openid-client (next-auth's OIDC client).
 */
export function oidcProvider(settings: OidcSettings): OAuthConfig<OidcClaims> {
  const issuer = settings.issuer.replace(/\/+$/, '');
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: 'oauth',
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    idToken: true,
    checks: ['pkce', 'state'],
    authorization: { params: { scope: 'openid email profile' } },
    profile(claims) {
      return { id: claims.sub, email: claims.email ?? null, name: claims.name ?? null };
    },
  };
}

export type OidcRefusal = 'no_email' | 'email_not_verified' | 'unknown_email' | 'disabled' | 'invite_expired';

export type OidcSignInOutcome =
  | { kind: 'signed_in'; user: AdminUser; provisioned: boolean; acceptedInvite: boolean }
  | { kind: 'refused'; reason: OidcRefusal };

/**
 * The `?error=` code the sign-in page turns into a sentence (login/page.tsx). A disabled account and a lapsed
 * invite get their own: the person can do something about them (ask for re-enabling, or for a new invite).
 */
export const OIDC_REFUSAL_ERROR: Record<OidcRefusal, string> = {
  no_email: 'AccessDenied',
  email_not_verified: 'AccessDenied',
  unknown_email: 'AccessDenied',
  disabled: 'AccountDisabled',
  invite_expired: 'InviteExpired',
};

/**
 * Maps an OIDC identity onto a console user by e-mail (case-insensitive). An issuer that says the e-mail is not
 * verified is refused (anyone could claim any address there); a disabled user is refused, as at the password form;
 * an invited user who has not accepted yet accepts the invite by signing in (the issuer proved the invited
 * address), unless the invite lapsed; an unknown e-mail is refused unless auto-provisioning is on, which creates a
 * viewer without a usable password. Every outcome is audited.
 */
export async function resolveOidcUser(
  ctx: AdminContext,
  claims: OidcClaims,
  autoProvisionViewers: boolean,
): Promise<OidcSignInOutcome> {
  const outcome = await decide(ctx, claims, autoProvisionViewers);
  const email = (claims.email ?? '').trim().toLowerCase().slice(0, 320);
  if (outcome.kind === 'signed_in') {
    await recordAuditEvent(
      ctx,
      { type: 'user', id: outcome.user.id },
      {
        action: 'auth.sign_in',
        targetType: 'user',
        targetId: outcome.user.id,
        details: {
          method: 'oidc',
          subject: claims.sub,
          provisioned: outcome.provisioned,
          acceptedInvite: outcome.acceptedInvite,
        },
      },
      { ip: null, userAgent: null },
    );
  } else {
    await recordAuditEvent(
      ctx,
      { type: 'anonymous', id: email || null },
      {
        action: 'auth.sign_in_failed',
        targetType: 'user',
        targetId: null,
        details: { method: 'oidc', email, subject: claims.sub, reason: outcome.reason },
      },
      { ip: null, userAgent: null },
    );
  }
  return outcome;
}

async function decide(
  ctx: AdminContext,
  claims: OidcClaims,
  autoProvisionViewers: boolean,
): Promise<OidcSignInOutcome> {
  const email = claims.email?.trim();
  if (!email) return { kind: 'refused', reason: 'no_email' };
  if (claims.email_verified === false) return { kind: 'refused', reason: 'email_not_verified' };
  const found = await ctx.repos.users.findRecordByEmail(email);
  if (found && found.disabledAt !== null) return { kind: 'refused', reason: 'disabled' };
  if (found?.pendingInvite) {
    const user = await ctx.repos.users.acceptInviteThroughSso(
      found.id,
      await unusablePasswordHash(),
      ctx.now(),
      {
        method: 'oidc',
        subject: claims.sub,
      },
    );
    return user
      ? { kind: 'signed_in', user, provisioned: false, acceptedInvite: true }
      : { kind: 'refused', reason: 'invite_expired' };
  }
  if (found) {
    const user = {
      id: found.id,
      email: found.email,
      name: found.name,
      role: found.role,
      teamId: found.teamId,
    };
    return { kind: 'signed_in', user, provisioned: false, acceptedInvite: false };
  }
  if (!autoProvisionViewers) return { kind: 'refused', reason: 'unknown_email' };
  const user = await ctx.repos.users.provisionSsoUser({
    email: email.toLowerCase(),
    name: claims.name?.slice(0, 200) ?? null,
    role: 'viewer',
    passwordHash: await unusablePasswordHash(),
  });
  return { kind: 'signed_in', user, provisioned: true, acceptedInvite: false };
}

/** A hash of a random secret: the account can sign in through the issuer only. */
function unusablePasswordHash(): Promise<string> {
  return hashPassword(crypto.randomUUID());
}
