import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getEnv } from '../env';
import { safeCallbackUrl } from '../lib/safe-callback-url';
import { getAdminContext } from './admin-context';
import { clientAddress } from './client-address';
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
    ],
    callbacks: {
      async jwt({ token, user }) {
        // `user` is present once, at sign-in: that is when the server-side session is opened.
        if (user) {
          const ctx = getAdminContext();
          const expiresAt = new Date(ctx.now().getTime() + SESSION_MAX_AGE_SECONDS * 1000);
          token.sid = (await ctx.repos.consoleSessions.create(user.id, expiresAt)).id;
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
