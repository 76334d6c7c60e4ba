import { insertUsageEvents } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createKeyInput } from '../src/server/keys';
import { hourlyUsage, listUsageEvents, listUsageEventsQuery } from '../src/server/usage';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';

let t: AdminTestContext;
let keyId: string;

const NOW = '2030-01-15T10:30:00.000Z';

interface EventFields {
  requestId: string;
  at: string;
  model?: string;
  servedModel?: string | null;
  status?: 'success' | 'error' | 'rejected';
  httpStatus?: number;
  costMicros?: bigint;
  keyId?: string | null;
}

/** Writes usage rows with the router's own sink writer. */
async function insertEvents(events: EventFields[]): Promise<void> {
  const records = events.map((event) =>
    buildUsageEvent({
      requestId: event.requestId,
      keyId: event.keyId === undefined ? keyId : event.keyId,
      requestedModel: event.model ?? 'demo-chat',
      servedProviderId: null,
      servedModel: event.servedModel === undefined ? 'mock-large' : event.servedModel,
      status: event.status ?? 'success',
      errorClass: event.status === 'error' ? 'upstream_5xx' : null,
      httpStatus: event.httpStatus ?? 200,
      ttftMs: 40,
      inputTokens: 11,
      outputTokens: 7,
      costMicros: event.costMicros ?? 1_500n,
      createdAt: Date.parse(event.at),
    }),
  );
  expect(await insertUsageEvents(t.prisma, records)).toEqual({ inserted: records.length });
}

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set(NOW);
  keyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'billing-app' }))).key.id;
  await insertEvents([
    { requestId: 'req_a', at: '2030-01-15T10:29:00.000Z', costMicros: 2_000n },
    { requestId: 'req_b', at: '2030-01-15T10:29:00.000Z', model: 'other', servedModel: 'other-upstream' },
    { requestId: 'req_c', at: '2030-01-15T10:29:00.000Z', status: 'error', httpStatus: 502, costMicros: 0n },
    { requestId: 'req_d', at: '2030-01-15T08:05:00.000Z', costMicros: 9_007_199_254_740_993n },
    { requestId: 'req_e', at: '2030-01-15T08:59:59.999Z', costMicros: 7n, keyId: null, servedModel: null },
    { requestId: 'req_old', at: '2030-01-14T10:00:00.000Z', costMicros: 1n },
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('latest usage events', () => {
  it('lists newest first with the key name, money as an exact integer string', async () => {
    const page = await listUsageEvents(t.ctx, t.viewer, listUsageEventsQuery.parse({}));
    expect(page.items.map((event) => event.requestId)).toEqual([
      'req_c',
      'req_b',
      'req_a',
      'req_e',
      'req_d',
      'req_old',
    ]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[2]).toMatchObject({
      requestId: 'req_a',
      createdAt: '2030-01-15T10:29:00.000Z',
      keyId,
      keyName: 'billing-app',
      requestedModel: 'demo-chat',
      servedModel: 'mock-large',
      status: 'success',
      httpStatus: 200,
      latencyMs: 120,
      ttftMs: 40,
      inputTokens: 11,
      outputTokens: 7,
      costMicros: '2000',
    });
    expect(page.items[4]?.costMicros).toBe('9007199254740993');
    expect(page.items[3]).toMatchObject({ keyId: null, keyName: null, keyPrefix: null });
  });

  it('filters by key, model (requested or served) and status', async () => {
    const ids = async (query: Record<string, string>) =>
      (await listUsageEvents(t.ctx, t.viewer, listUsageEventsQuery.parse(query))).items.map(
        (event) => event.requestId,
      );
    expect(await ids({ status: 'error' })).toEqual(['req_c']);
    expect(await ids({ model: 'other' })).toEqual(['req_b']);
    expect(await ids({ model: 'other-upstream' })).toEqual(['req_b']);
    expect(await ids({ keyId, status: 'success', model: 'demo-chat' })).toEqual([
      'req_a',
      'req_d',
      'req_old',
    ]);
  });

  it('pages through rows sharing a timestamp without skipping or repeating', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUsageEvents(t.ctx, t.viewer, listUsageEventsQuery.parse({ limit: '2', cursor }));
      seen.push(...page.items.map((event) => event.requestId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['req_c', 'req_b', 'req_a', 'req_e', 'req_d', 'req_old']);
  });
});

describe('hourly usage', () => {
  it('buckets requests and cost per UTC hour in SQL, with empty hours as zeros', async () => {
    const series = await hourlyUsage(t.ctx, t.viewer, { hours: 3 });
    expect(series.items).toEqual([
      { hourStart: '2030-01-15T08:00:00.000Z', requests: 2, errors: 0, costMicros: '9007199254741000' },
      { hourStart: '2030-01-15T09:00:00.000Z', requests: 0, errors: 0, costMicros: '0' },
      { hourStart: '2030-01-15T10:00:00.000Z', requests: 3, errors: 1, costMicros: '3500' },
    ]);
  });

  it('covers the requested window including the current hour', async () => {
    const series = await hourlyUsage(t.ctx, t.viewer, { hours: 24 });
    expect(series.items).toHaveLength(24);
    expect(series.items.at(-1)?.hourStart).toBe('2030-01-15T10:00:00.000Z');
    expect(series.items[0]?.hourStart).toBe('2030-01-14T11:00:00.000Z');
    expect(series.items.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(5);
  });
});
