import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminRoute, ok } from '../src/http/admin-route';
import { parseJsonBody } from '../src/http/parse-request';
import { resetAccountCredential } from '../src/server/accounts';
import { getHealth } from '../src/server/health';
import {
  createRoute,
  createRouteInput,
  type RouteView,
  updateRoute,
  updateRouteInput,
  updateRouteTarget,
  updateRouteTargetInput,
} from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';
import { providerWithAccounts } from './routing-fixtures';

// The same compositions as the files under app/api/admin/v1, exercised in-process against a real database.
const GET_HEALTH = adminRoute(async ({ ctx, actor }) => ok(await getHealth(ctx, actor)));
const PATCH_TARGET = adminRoute<{ id: string; targetId: string }>(async ({ req, ctx, actor, params }) =>
  ok(
    await updateRouteTarget(
      ctx,
      actor,
      params.id,
      params.targetId,
      await parseJsonBody(req, updateRouteTargetInput),
    ),
  ),
);
const PATCH_ROUTE = adminRoute<{ id: string }>(async ({ req, ctx, actor, params }) =>
  ok(await updateRoute(ctx, actor, params.id, await parseJsonBody(req, updateRouteInput))),
);
const POST_CREDENTIAL_RESET = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await resetAccountCredential(ctx, actor, params.id)),
);

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const BASE = 'http://localhost:3000/api/admin/v1';

let t: AdminTestContext;
let route: RouteView;
let accounts: { id: string }[];

beforeAll(async () => {
  t = await startAdminTestContext();
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('DATABASE_URL', t.databaseUrl);
  vi.stubEnv('NEXTAUTH_SECRET', 'test-session-secret-0123456789abcdef0123456789');
  vi.stubEnv('SWITCHYARD_ADMIN_TOKEN', ADMIN_TOKEN);
  vi.stubEnv('SWITCHYARD_MASTER_KEY', t.masterKey);
  ({ accounts } = await providerWithAccounts(t, 'blue', 'green'));
  route = await createRoute(
    t.ctx,
    t.owner,
    createRouteInput.parse({
      publicModel: 'drill-api',
      targets: accounts.map((account) => ({ accountId: account.id, upstreamModel: 'm' })),
    }),
  );
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.close();
});

function request(method: string, path: string, body?: unknown): NextRequest {
  return new NextRequest(`${BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function call<P>(
  handler: (req: NextRequest, context: { params: Promise<P> }) => Promise<Response>,
  req: NextRequest,
  params: P,
) {
  const res = await handler(req, { params: Promise.resolve(params) });
  return {
    status: res.status,
    requestId: res.headers.get('x-request-id'),
    body: (await res.json()) as never,
  };
}

describe('the failover drill over the admin API', () => {
  it('disables a target, sees it in the health report, and enables it again', async () => {
    const targetId = route.targets[1]?.id ?? '';
    const off = await call(
      PATCH_TARGET,
      request('PATCH', `/routes/${route.id}/targets/${targetId}`, { enabled: false }),
      {
        id: route.id,
        targetId,
      },
    );
    expect(off.status).toBe(200);
    expect((off.body as RouteView).targets.map((target) => target.enabled)).toEqual([true, false]);

    const health = await call(GET_HEALTH, request('GET', '/health'), {});
    expect(health.status).toBe(200);
    const watched = (health.body as Awaited<ReturnType<typeof getHealth>>).routes.find(
      (candidate) => candidate.id === route.id,
    );
    expect(
      watched?.targets.map((target) => [target.targetId, target.enabled.target, target.availability]),
    ).toEqual([
      [route.targets[0]?.id, true, 'no_data'],
      [targetId, false, 'disabled'],
    ]);

    const on = await call(
      PATCH_TARGET,
      request('PATCH', `/routes/${route.id}/targets/${targetId}`, { enabled: true }),
      {
        id: route.id,
        targetId,
      },
    );
    expect((on.body as RouteView).targets.map((target) => target.enabled)).toEqual([true, true]);
  });

  it('answers 404 in the admin error shape for a target the route does not have', async () => {
    const res = await call(
      PATCH_TARGET,
      request('PATCH', `/routes/${route.id}/targets/tgt_missing`, { enabled: false }),
      { id: route.id, targetId: 'tgt_missing' },
    );
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        code: 'not_found',
        message: `Route ${route.id} has no target with id tgt_missing.`,
        requestId: res.requestId,
      },
    });
  });

  it('answers a backup cycle with 409 naming backupModels and the path', async () => {
    const other = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'drill-api-backup',
        backupModels: ['drill-api'],
        targets: [{ accountId: accounts[0]?.id ?? '', upstreamModel: 'm' }],
      }),
    );
    expect(other.backupModels).toEqual(['drill-api']);
    const res = await call(
      PATCH_ROUTE,
      request('PATCH', `/routes/${route.id}`, { backupModels: ['drill-api-backup'] }),
      { id: route.id },
    );
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: {
        code: 'conflict',
        message:
          'backupModels: Fallback models would form a cycle: drill-api → drill-api-backup → drill-api.',
        requestId: res.requestId,
        field: 'backupModels',
      },
    });
  });

  it('answers a bad policy with 400 naming the field', async () => {
    const res = await call(
      PATCH_ROUTE,
      request('PATCH', `/routes/${route.id}`, {
        policies: {
          interactive: {
            rungs: {
              retrySameTarget: true,
              otherAccount: true,
              otherProvider: true,
              backupModel: true,
              waitAndRetry: false,
            },
            maxAttempts: 3,
            timeouts: { connectMs: 0, firstByteMs: 1_000, idleMs: 1_000, totalMs: 2_000 },
          },
        },
      }),
      { id: route.id },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'invalid_request',
        field: 'policies.interactive.timeouts.connectMs',
        message:
          'policies.interactive.timeouts.connectMs: expected a positive integer number of milliseconds.',
      },
    });
  });

  it('resets a rejected credential', async () => {
    const id = accounts[0]?.id ?? '';
    await t.prisma.upstreamAccount.update({
      where: { id },
      data: { credentialRejectedAt: new Date(), credentialError: '401 invalid_api_key' },
    });
    const res = await call(POST_CREDENTIAL_RESET, request('POST', `/accounts/${id}/credential/reset`), {
      id,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, credentialRejectedAt: null, credentialError: null });
    const row = await t.prisma.upstreamAccount.findUniqueOrThrow({ where: { id } });
    expect([row.credentialRejectedAt, row.credentialError]).toEqual([null, null]);
  });
});
