import { adminRoute, ok } from '@/http/admin-route';
import { getHealth } from '@/server/health';

export const GET = adminRoute(async ({ ctx, actor }) => ok(await getHealth(ctx, actor)));
