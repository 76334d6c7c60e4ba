import { adminRoute, noContent } from '@/http/admin-route';
import { deletePrice } from '@/server/prices';

export const DELETE = adminRoute<{ id: string }>(async ({ ctx, actor, params }) => {
  await deletePrice(ctx, actor, params.id);
  return noContent();
});
