import { adminRoute, noContent, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { deleteTeam, getTeam, updateTeam, updateTeamInput } from '@/server/teams';

export const GET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getTeam(ctx, actor, params.id)),
);

export const PATCH = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateTeam(ctx, actor, params.id, await parseJsonBody(req, updateTeamInput))),
);

export const DELETE = adminRoute<{ id: string }>(async ({ ctx, actor, params }) => {
  await deleteTeam(ctx, actor, params.id);
  return noContent();
});
