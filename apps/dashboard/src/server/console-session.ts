import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { connection, NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { getEnv } from '../env';
import { type Actor, userActor } from './actor';
import { getAdminContext } from './admin-context';
import { can, type Permission } from './permissions';
import { sessionUser } from './session-user';

/**
 * The signed-in console user, or null. The server-side session and the user are re-read on every request, so a
 * signed-out cookie, a deleted user or a demotion loses access at once.
 */
export async function getConsoleActor(): Promise<Actor | null> {
  // Console pages depend on the request: never prerender them at build time.
  await connection();
  // getToken reads the cookie from a request; a page has only the incoming headers, so it is handed those.
  const req = new NextRequest('http://console.invalid/', { headers: await headers() });
  const user = await sessionUser(
    getAdminContext(),
    await getToken({ req, secret: getEnv().NEXTAUTH_SECRET }),
  );
  return user ? userActor(user) : null;
}

/** For console pages and server actions: the actor, or a redirect to the sign-in page. */
export async function requireConsoleActor(): Promise<Actor> {
  const actor = await getConsoleActor();
  if (!actor) redirect('/login');
  return actor;
}

/**
 * For console pages: the actor and whether the permission table lets them use this page. The services the page
 * calls check the same table again; this only decides between rendering the page and a "not allowed" notice.
 */
export async function consolePageAccess(permission: Permission): Promise<{ actor: Actor; allowed: boolean }> {
  const actor = await requireConsoleActor();
  return { actor, allowed: can(actor, permission) };
}
