import { adminRoute, created, ok } from '@/http/admin-route';
import { parseJsonBody, parseQuery } from '@/http/parse-request';
import { createAccount, createAccountInput, listAccounts, listAccountsQuery } from '@/server/accounts';

export const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listAccounts(ctx, actor, parseQuery(req, listAccountsQuery))),
);

export const POST = adminRoute(async ({ req, ctx, actor }) =>
  created(await createAccount(ctx, actor, await parseJsonBody(req, createAccountInput))),
);
