import { adminRoute, ok } from '@/http/admin-route';
import { parseQuery } from '@/http/parse-request';
import { listAuditLog, listAuditLogQuery } from '@/server/audit';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listAuditLog(ctx, actor, parseQuery(req, listAuditLogQuery))),
);
