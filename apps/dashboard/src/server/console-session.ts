import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getServerSession } from 'next-auth';
import { type Actor, userActor } from './actor';
import { getAdminContext } from './admin-context';
import { getAuthOptions } from './auth-options';

/** The signed-in console user, or null. The user is re-read so deleted or demoted users lose access at once. */
export async function getConsoleActor(): Promise<Actor | null> {
  // Console pages depend on the request: never prerender them at build time.
  await connection();
  const session = await getServerSession(getAuthOptions());
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await getAdminContext().repos.users.findById(userId);
  return user ? userActor(user) : null;
}

/** For console pages and server actions: the actor, or a redirect to the sign-in page. */
export async function requireConsoleActor(): Promise<Actor> {
  const actor = await getConsoleActor();
  if (!actor) redirect('/login');
  return actor;
}
