import { createUsageRepository } from '@switchyard/db/admin';
import fc from 'fast-check';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminRoute, ok } from '../src/http/admin-route';
import { parseQuery } from '../src/http/parse-request';
import { AdminError } from '../src/server/admin-error';
import { getRequest, listRequests, listRequestsQuery } from '../src/server/requests';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';

// The same compositions as app/api/admin/v1/requests/route.ts and requests/[id]/route.ts, run in-process against
// a real database with the context built from the environment, as in `next start`.
const LIST = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listRequests(ctx, actor, parseQuery(req, listRequestsQuery))),
);
const DETAIL = adminRoute<{ id: string }>(async ({ ctx, actor, params }) =>
  ok(await getRequest(ctx, actor, params.id)),
);
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('DATABASE_URL', t.databaseUrl);
  vi.stubEnv('NEXTAUTH_SECRET', 'test-session-secret-0123456789abcdef0123456789');
  vi.stubEnv('SWITCHYARD_ADMIN_TOKEN', ADMIN_TOKEN);
  vi.stubEnv('SWITCHYARD_MASTER_KEY', t.masterKey);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.close();
});

type ErrorBody = { error?: { code: string; message: string; field?: string } };

async function list(search: string | URLSearchParams) {
  const res = await LIST(
    new NextRequest(`http://localhost:3000/api/admin/v1/requests?${search}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }),
    { params: Promise.resolve({}) },
  );
  return { status: res.status, body: (await res.json()) as ErrorBody & { items?: unknown[] } };
}

describe('the request explorer refuses bad input with a 400 naming the field', () => {
  it.each([
    ['status=failed', 'status'],
    ['trafficClass=urgent', 'trafficClass'],
    ['surface=smtp', 'surface'],
    ['from=yesterday', 'from'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    // A cursor's shape with a NUL in its id ("1700000000000:req_\0x"): PostgreSQL would refuse it.
    ['cursor=MTcwMDAwMDAwMDAwMDpyZXFfAHg', 'cursor'],
    ['from=2030-01-15T10:00:00Z&to=2030-01-15T10:00:00Z', 'to'],
  ])('%s → %s', async (search, field) => {
    const { status, body } = await list(search);
    expect(status).toBe(400);
    expect(body.error?.code).toBe('invalid_request');
    expect(body.error?.field).toBe(field);
  });

  it('answers any text in an id filter or the search box with a page or a 400, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('requestId', 'keyId', 'teamId', 'requestedModel', 'errorClass', 'cursor'),
        fc.string({ unit: 'binary', maxLength: 300 }),
        async (name, value) => {
          const { status, body } = await list(new URLSearchParams({ [name]: value }));
          expect([200, 400]).toContain(status);
          if (status === 200) expect(body.items).toEqual([]);
          else expect(body.error?.field).toBe(name);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('a request that does not exist', () => {
  it('is a 404 not_found naming the id', async () => {
    const res = await DETAIL(
      new NextRequest('http://localhost:3000/api/admin/v1/requests/req_missing', {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      }),
      { params: Promise.resolve({ id: 'req_missing' }) },
    );
    expect(res.status).toBe(404);
    const body = (await res.json()) as ErrorBody;
    expect(body.error?.code).toBe('not_found');
    expect(body.error?.message).toBe('No request with id req_missing.');
  });
});

describe('a search PostgreSQL cannot finish within the search budget', () => {
  it('is a 400 naming `from` that says to narrow the time range, not a connection held for minutes', async () => {
    // 80,000 requests, two keys each on its own model: a search for one key on the other's model matches nothing
    // but has to read through tens of thousands of rows whichever index PostgreSQL picks.
    await t.prisma.$executeRawUnsafe(
      `INSERT INTO usage_events (request_id, key_id, requested_model, served_model, status, http_status, latency_ms,
         created_at)
       SELECT 'req_budget_' || g, CASE WHEN g % 2 = 0 THEN 'key_budget' ELSE 'key_other' END, 'm1',
              CASE WHEN g % 2 = 0 THEN 'm1' ELSE 'm2' END, 'success', 200, 10,
              timestamptz '2030-01-01' + make_interval(secs => g)
       FROM generate_series(1, 80000) g`,
    );
    await t.prisma.$executeRawUnsafe('ANALYZE usage_events');
    const query = listRequestsQuery.parse({ keyId: 'key_budget', servedModel: 'm2' });

    // With the default budget the search completes: nothing matches.
    expect(await listRequests(t.ctx, t.viewer, query)).toEqual({ items: [], nextCursor: null });

    const hurried = {
      ...t.ctx,
      repos: { ...t.ctx.repos, usage: createUsageRepository(t.prisma, { searchTimeoutMs: 1 }) },
    };
    const error = await listRequests(hurried, t.viewer, query).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AdminError);
    expect(error).toMatchObject({ code: 'invalid_request', field: 'from' });
    expect((error as Error).message).toContain('narrow it with a time range');

    // The connection it used is usable again (the cancelled transaction was rolled back): read through the same
    // client's pool, with the default budget (a 1 ms budget timed out even this point lookup on a loaded CI host).
    const found = await listRequests(t.ctx, t.viewer, listRequestsQuery.parse({ requestId: 'req_budget_8' }));
    expect(found.items.map((item) => item.requestId)).toEqual(['req_budget_8']);
  });
});
