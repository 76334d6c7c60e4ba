import { adminRoute, created } from '@/http/admin-route';
import { consoleOrigin } from '@/http/console-origin';
import { parseJsonBody } from '@/http/parse-request';
import { inviteUser, inviteUserInput } from '@/server/users';

export const POST = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  created(
    await inviteUser(
      ctx,
      actor,
      params.id,
      await parseJsonBody(req, inviteUserInput),
      consoleOrigin(req.nextUrl.origin),
    ),
  ),
);
