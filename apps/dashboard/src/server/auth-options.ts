import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getEnv, oidcSettings } from '../env';
import { safeCallbackUrl } from '../lib/safe-callback-url';
import { getAdminContext } from './admin-context';
import { clientAddress } from './client-address';
import { OIDC_PROVIDER_ID, OIDC_REFUSAL_ERROR, oidcProvider, resolveOidcUser } from './oidc-sign-in';
import { attemptSignIn } from './sign-in';

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

let cached: AuthOptions | undefined;

function userAgentOf(headers: Record<string, string | string[] | undefined>): string | null {
  const value = headers['user-agent'];
  return (Array.isArray(value) ? value.join(' ') : value) ?? null;
}

/**
 * next-auth configuration: email + password against the users table, JWT sessions. The token carries the user id
 * and the id of a console_sessions row (`sid`); every request checks that row, so sign-out ends the session on the
 * server, and re-reads the user, so a demotion takes effect at once.
 */
export function getAuthOptions(): AuthOptions {
  const oidc = oidcSettings(getEnv());
  cached ??= {
    secret: getEnv().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          const outcome = await attemptSignIn(
            getAdminContext(),
            { email: credentials.email, ip: clientAddress(req.headers ?? {}) },
            credentials.password,
            userAgentOf(req.headers ?? {}),
          );
          // next-auth turns a thrown error into ?error=<message> for the sign-in page.
          if (outcome.kind === 'throttled') throw new Error('Throttled');
          if (outcome.kind === 'invalid') return null;
          return { id: outcome.user.id, email: outcome.user.email, name: outcome.user.name };
        },
      }),
      // OIDC_* set: sign-in through the issuer too, mapped onto users by e-mail (see oidc-sign-in.ts).
      ...(oidc ? [oidcProvider(oidc)] : []),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID || !oidc) return true;
        const claims = profile as { sub?: string; email?: string; email_verified?: boolean; name?: string };
        const outcome = await resolveOidcUser(
          getAdminContext(),
          { ...claims, sub: claims.sub ?? '' },
          oidc.autoProvisionViewers,
        );
        // Refused: next-auth turns the thrown code into /login?error=<code>, which the page words for the person.
        if (outcome.kind === 'refused') throw new Error(OIDC_REFUSAL_ERROR[outcome.reason]);
        return true;
      },
      async jwt({ token, user, account }) {
        // `user` is present once, at sign-in: that is when the server-side session is opened.
        if (user) {
          const ctx = getAdminContext();
          // An OIDC user is the issuer's subject until mapped: the session names the console user of that e-mail
          // (signIn above found or provisioned it).
          const userId =
            account?.provider === OIDC_PROVIDER_ID
              ? (await ctx.repos.users.findCredentialsByEmail(user.email ?? ''))?.user.id
              : user.id;
          if (!userId) throw new Error('AccessDenied');
          token.sub = userId;
          const expiresAt = new Date(ctx.now().getTime() + SESSION_MAX_AGE_SECONDS * 1000);
          token.sid = (await ctx.repos.consoleSessions.create(userId, expiresAt)).id;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
      redirect({ url, baseUrl }) {
        if (url.startsWith(`${baseUrl}/`)) return `${baseUrl}${safeCallbackUrl(url.slice(baseUrl.length))}`;
        return `${baseUrl}${safeCallbackUrl(url)}`;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string') {
          const ctx = getAdminContext();
          await ctx.repos.consoleSessions.revoke(token.sid, ctx.now());
        }
      },
    },
  };
  return cached;
}
