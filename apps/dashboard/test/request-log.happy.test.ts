import type { AttemptRecord, UsageEventRecord } from '@switchyard/core';
import { insertUsageEvents } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
