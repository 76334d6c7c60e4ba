import { adminRoute } from '@/http/admin-route';
import { AdminError } from '@/server/admin-error';

/** Unknown admin paths answer in the admin error shape rather than with an HTML page. */
const notFound = adminRoute<{ path: string[] }>(async ({ req }) => {
  throw new AdminError('not_found', `No admin endpoint ${req.method} ${req.nextUrl.pathname}.`);
});

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
