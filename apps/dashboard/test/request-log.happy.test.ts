import type { AttemptRecord, UsageEventRecord } from '@switchyard/core';
import { insertUsageEvents } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminRoute, ok } from '../src/http/admin-route';
import { parseQuery } from '../src/http/parse-request';
import { listUsageEvents, listUsageEventsQuery } from '../src/server/usage';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';
import { providerWithAccounts } from './routing-fixtures';

let t: AdminTestContext;
let primary: string;
let secondary: string;
let providerId: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  const { provider, accounts } = await providerWithAccounts(t, 'primary', 'secondary');
  providerId = provider.id;
  primary = accounts[0]?.id ?? '';
  secondary = accounts[1]?.id ?? '';
});
afterAll(async () => {
  await t?.close();
});

function attempt(fields: Partial<AttemptRecord> & Pick<AttemptRecord, 'accountId'>): AttemptRecord {
  return {
    targetId: `tgt_${fields.accountId}`,
    providerId,
    model: 'm',
    status: 200,
    errorClass: null,
    latencyMs: 30,
    ttftMs: null,
    reason: 'primary',
    ...fields,
  };
}

function event(
  requestId: string,
  servedAccountId: string | null,
  attempts: AttemptRecord[],
): UsageEventRecord {
  return buildUsageEvent({
    requestId,
    requestedModel: 'drill',
    servedProviderId: servedAccountId === null ? null : providerId,
    servedAccountId,
    servedModel: servedAccountId === null ? null : 'm',
    status: servedAccountId === null ? 'error' : 'success',
    errorClass: servedAccountId === null ? 'upstream_5xx' : null,
    httpStatus: servedAccountId === null ? 502 : 200,
    latencyMs: 90,
    inputTokens: 3,
    outputTokens: 4,
    attempts,
    createdAt: Date.parse('2030-01-15T10:29:00.000Z'),
  });
}

describe('the request log', () => {
  it('names the serving account and shows every attempt with its account, outcome and reason', async () => {
    const failover = [
      attempt({ accountId: primary, status: 503, errorClass: 'server_error', latencyMs: 41 }),
      attempt({ accountId: primary, status: null, errorClass: 'connect_error', reason: 'retry_same' }),
      attempt({ accountId: secondary, status: 200, latencyMs: 55, ttftMs: 20, reason: 'other_account' }),
    ];
    // Events written before routers recorded reasons (and attempts on an account since deleted) still read.
    const legacy = {
      ...attempt({ accountId: 'acc_deleted' }),
      reason: undefined,
    } as unknown as AttemptRecord;
    expect(
      await insertUsageEvents(t.prisma, [
        event('req_failover', secondary, failover),
        event('req_legacy', null, [legacy]),
      ]),
    ).toEqual({ inserted: 2 });

    const page = await listUsageEvents(t.ctx, t.viewer, listUsageEventsQuery.parse({ model: 'drill' }));
    const byId = new Map(page.items.map((item) => [item.requestId, item]));
    const served = byId.get('req_failover');
    expect(served?.servedAccountName).toBe('secondary');
    expect(
      served?.attempts.map((a) => [a.accountName, a.status, a.errorClass, a.latencyMs, a.ttftMs, a.reason]),
    ).toEqual([
      ['primary', 503, 'server_error', 41, null, 'primary'],
      ['primary', null, 'connect_error', 30, null, 'retry_same'],
      ['secondary', 200, null, 55, 20, 'other_account'],
    ]);
    expect(served?.attempts[2]).toEqual({
      targetId: `tgt_${secondary}`,
      accountId: secondary,
      accountName: 'secondary',
      providerId,
      model: 'm',
      status: 200,
      errorClass: null,
      latencyMs: 55,
      ttftMs: 20,
      reason: 'other_account',
    });

    const old = byId.get('req_legacy');
    expect(old?.servedAccountName).toBeNull();
    expect(old?.attempts.map((a) => [a.accountId, a.accountName, a.reason])).toEqual([
      ['acc_deleted', null, null],
    ]);
  });
});

// The same composition as app/api/admin/v1/usage/events/route.ts, exercised in-process against a real database.
const GET = adminRoute(async ({ req, ctx, actor }) =>
  ok(await listUsageEvents(ctx, actor, parseQuery(req, listUsageEventsQuery))),
);
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

async function getEvents(search: string) {
  const res = await GET(
    new NextRequest(`http://localhost:3000/api/admin/v1/usage/events?${search}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }),
    { params: Promise.resolve({}) },
  );
  return {
    status: res.status,
    body: (await res.json()) as {
      items?: { requestId: string; surface: string | null; upstreamProtocol: string | null }[];
      error?: { code: string; field?: string };
    },
  };
}

describe('the request log by protocol', () => {
  beforeAll(async () => {
    // The handler builds its context from the environment, exactly as in `next start`.
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('DATABASE_URL', t.databaseUrl);
    vi.stubEnv('NEXTAUTH_SECRET', 'test-session-secret-0123456789abcdef0123456789');
    vi.stubEnv('SWITCHYARD_ADMIN_TOKEN', ADMIN_TOKEN);
    vi.stubEnv('SWITCHYARD_MASTER_KEY', t.masterKey);
    const at = Date.parse('2030-01-15T10:20:00.000Z');
    const served = (
      requestId: string,
      surface: UsageEventRecord['surface'],
      upstreamProtocol: UsageEventRecord['upstreamProtocol'],
      minute: number,
    ) =>
      buildUsageEvent({
        requestId,
        requestedModel: 'protocols',
        surface,
        upstreamProtocol,
        servedAccountId: primary,
        servedProviderId: providerId,
        createdAt: at + minute * 60_000,
      });
    expect(
      await insertUsageEvents(t.prisma, [
        served('req_translated', 'openai-chat', 'anthropic-messages', 0),
        served('req_passthrough', 'openai-chat', 'openai-chat', 1),
        served('req_native', 'anthropic-messages', 'anthropic-messages', 2),
        // Refused before anything was served; and a row written before routers recorded protocols.
        { ...served('req_refused', 'gemini-generate', null, 3), status: 'rejected', servedAccountId: null },
        served('req_before_protocols', null, null, 4),
      ]),
    ).toEqual({ inserted: 5 });
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('shows the protocol the caller spoke and the one the request was served in', async () => {
    const page = await listUsageEvents(t.ctx, t.viewer, listUsageEventsQuery.parse({ model: 'protocols' }));
    expect(page.items.map((item) => [item.requestId, item.surface, item.upstreamProtocol])).toEqual([
      ['req_before_protocols', null, null],
      ['req_refused', 'gemini-generate', null],
      ['req_native', 'anthropic-messages', 'anthropic-messages'],
      ['req_passthrough', 'openai-chat', 'openai-chat'],
      ['req_translated', 'openai-chat', 'anthropic-messages'],
    ]);
  });

  it('filters by the protocol the caller spoke, through the admin API, with the other filters', async () => {
    const chat = await getEvents('model=protocols&surface=openai-chat');
    expect(chat.status).toBe(200);
    expect(chat.body.items?.map((item) => [item.requestId, item.upstreamProtocol])).toEqual([
      ['req_passthrough', 'openai-chat'],
      ['req_translated', 'anthropic-messages'],
    ]);
    const refused = await getEvents('surface=gemini-generate&status=rejected');
    expect(refused.body.items?.map((item) => item.requestId)).toEqual(['req_refused']);
    const none = await getEvents('model=protocols&surface=openai-embeddings');
    expect(none).toEqual({ status: 200, body: { items: [], nextCursor: null } });
  });

  it('refuses a protocol it does not know, naming the field', async () => {
    const bogus = await getEvents('surface=anthropic');
    expect(bogus.status).toBe(400);
    expect(bogus.body.error).toMatchObject({ code: 'invalid_request', field: 'surface' });
  });
});
