import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getEnv } from '../env';
import { getAdminContext } from './admin-context';
import { verifyCredentials } from './verify-credentials';

const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

let cached: AuthOptions | undefined;

/**
 * next-auth configuration: email + password against the users table, JWT sessions. The token carries only
 * the user id; roles are read from the database on every request so a demotion takes effect at once.
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
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const user = await verifyCredentials(getAdminContext(), credentials.email, credentials.password);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    callbacks: {
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
  return cached;
}
