import { adminRoute, ok } from '@/http/admin-route';
import { parseJsonBody } from '@/http/parse-request';
import { rotateKey, rotateKeyInput } from '@/server/keys';

export const POST = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await rotateKey(ctx, actor, params.id, await parseJsonBody(req, rotateKeyInput))),
);
