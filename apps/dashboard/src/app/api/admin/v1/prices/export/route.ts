import { adminRoute, ok } from '@/http/admin-route';
import { exportPrices } from '@/server/prices';

export const GET = adminRoute(async ({ ctx, actor }) => ok(await exportPrices(ctx, actor)));
