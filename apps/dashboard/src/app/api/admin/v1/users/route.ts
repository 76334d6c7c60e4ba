import { adminRoute, created, ok } from '@/http/admin-route';
import { consoleOrigin } from '@/http/console-origin';
import { parseJsonBody, parseQuery } from '@/http/parse-request';
import { createUser, createUserInput, listUsers, listUsersQuery } from '@/server/users';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listUsers(ctx, actor, parseQuery(req, listUsersQuery))),
);

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(
    await createUser(
      ctx,
      actor,
      await parseJsonBody(req, createUserInput),
      consoleOrigin(req.nextUrl.origin),
    ),
  ),
);
