import { TRAFFIC_CLASSES, type UsageEventRecord } from '@switchyard/core';
import { insertUsageEvents } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequest, type ListRequestsQuery, listRequests, listRequestsQuery } from '../src/server/requests';
import { createTeam, createTeamInput } from '../src/server/teams';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';
import { providerWithAccounts } from './routing-fixtures';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

const BASE = Date.parse('2030-01-15T09:00:00.000Z');

/** Small domains so that filters match some rows and not others, and many rows share a createdAt. */
const row = fc.record({
  second: fc.integer({ min: 0, max: 5 }),
  keyId: fc.constantFrom('key_a', 'key_b', null),
  teamId: fc.constantFrom('team_a', 'team_b', null),
  requestedModel: fc.constantFrom('m1', 'm2'),
  servedModel: fc.constantFrom('m1', 's2', null),
  servedProviderId: fc.constantFrom('prv_a', 'prv_b', null),
  status: fc.constantFrom('success', 'error', 'rejected' as const),
  trafficClass: fc.constantFrom(...TRAFFIC_CLASSES, null),
  errorClass: fc.constantFrom('upstream_5xx', 'budget_exceeded', null),
  surface: fc.constantFrom('openai-chat', 'anthropic-messages', null),
  // Ids in no relation to time, so the tie-break order is not insertion order.
  tag: fc.stringMatching(/^[a-z0-9]{1,6}$/),
});

const everyFilter = fc.record({
  from: fc.integer({ min: 0, max: 5 }),
  to: fc.integer({ min: 1, max: 6 }),
  keyId: fc.constantFrom('key_a', 'key_b'),
  teamId: fc.constantFrom('team_a', 'team_b'),
  requestedModel: fc.constantFrom('m1', 'm2'),
  servedModel: fc.constantFrom('m1', 's2'),
  providerId: fc.constantFrom('prv_a', 'prv_b'),
  status: fc.constantFrom('success', 'error', 'rejected' as const),
  trafficClass: fc.constantFrom(...TRAFFIC_CLASSES),
  errorClass: fc.constantFrom('upstream_5xx', 'budget_exceeded'),
  surface: fc.constantFrom('openai-chat', 'anthropic-messages' as const),
});

type Filter = Partial<typeof everyFilter extends fc.Arbitrary<infer F> ? F : never>;

/** Up to two filters at once: more would match nothing in a few dozen rows and test only the empty page. */
const filter: fc.Arbitrary<Filter> = everyFilter.chain((all) =>
  fc
    .subarray(Object.keys(all) as (keyof typeof all)[], { maxLength: 2 })
    .map((names) => Object.fromEntries(names.map((name) => [name, all[name]])) as Filter),
);

function matches(event: UsageEventRecord, f: Filter): boolean {
  const second = (event.createdAt - BASE) / 1000;
  return (
    (f.from === undefined || second >= f.from) &&
    (f.to === undefined || second < f.to) &&
    (f.keyId === undefined || event.keyId === f.keyId) &&
    (f.teamId === undefined || event.teamId === f.teamId) &&
    (f.requestedModel === undefined || event.requestedModel === f.requestedModel) &&
    (f.servedModel === undefined || event.servedModel === f.servedModel) &&
    (f.providerId === undefined || event.servedProviderId === f.providerId) &&
    (f.status === undefined || event.status === f.status) &&
    (f.trafficClass === undefined || event.trafficClass === f.trafficClass) &&
    (f.errorClass === undefined || event.errorClass === f.errorClass) &&
    (f.surface === undefined || event.surface === f.surface)
  );
}

function toQuery(f: Filter, limit: number, cursor: string | undefined): ListRequestsQuery {
  const { from, to, ...exact } = f;
  return listRequestsQuery.parse({
    ...exact,
    ...(from === undefined ? {} : { from: new Date(BASE + from * 1000).toISOString() }),
    ...(to === undefined ? {} : { to: new Date(BASE + to * 1000).toISOString() }),
    limit,
    cursor,
  });
}

describe('the request explorer', () => {
  it('pages through every matching request exactly once, newest first, whatever the filter and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 60 }),
        filter,
        fc.integer({ min: 1, max: 7 }),
        async (rows, f, limit) => {
          // An empty or inverted window is a 400 (its own test), not a listing.
          fc.pre(f.from === undefined || f.to === undefined || f.from < f.to);
          await t.prisma.usageEvent.deleteMany();
          const events = rows.map((r, i) =>
            buildUsageEvent({
              requestId: `req_${r.tag}_${i}`,
              createdAt: BASE + r.second * 1000,
              keyId: r.keyId,
              teamId: r.teamId,
              requestedModel: r.requestedModel,
              servedModel: r.servedModel,
              servedProviderId: r.servedProviderId,
              status: r.status,
              trafficClass: r.trafficClass,
              errorClass: r.errorClass,
              surface: r.surface,
            }),
          );
          // Written as the router writes them, so the traffic class column is the one routers fill.
          expect(await insertUsageEvents(t.prisma, events)).toEqual({ inserted: events.length });
          const expected = events
            .filter((event) => matches(event, f))
            .sort((a, b) => b.createdAt - a.createdAt || (a.requestId < b.requestId ? 1 : -1))
            .map((event) => event.requestId);

          const seen: string[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages <= events.length + 1; pages++) {
            const page = await listRequests(t.ctx, t.viewer, toQuery(f, limit, cursor));
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((item) => item.requestId));
            if (page.nextCursor === null) break;
            cursor = page.nextCursor;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('finds a request by its id and shows it in full: attempts, tokens, cost flags and attribution', async () => {
    await t.prisma.usageEvent.deleteMany();
    const { provider, accounts } = await providerWithAccounts(t, 'first', 'second');
    const [first, second] = accounts;
    if (!first || !second) throw new Error('fixture accounts missing');
    const team = await createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'explorers' }));
    const event = buildUsageEvent({
      requestId: 'req_detail',
      createdAt: BASE,
      teamId: team.id,
      requestedModel: 'chat-route',
      servedProviderId: provider.id,
      servedAccountId: second.id,
      servedModel: 'mock-gpt-4o-mini',
      latencyMs: 140,
      ttftMs: 60,
      inputTokens: 12,
      outputTokens: 7,
      reasoningTokens: 2,
      costMicros: 1234n,
      costEstimated: true,
      unpriced: false,
      tags: ['web', 'beta'],
      endUser: 'user-42',
      metadata: { feature: 'search' },
      stream: true,
      surface: 'openai-chat',
      upstreamProtocol: 'openai-chat',
      trafficClass: 'background',
      attempts: [
        {
          targetId: 'tgt_1',
          accountId: first.id,
          providerId: provider.id,
          model: 'mock-gpt-4o-mini',
          status: 503,
          errorClass: 'server_error',
          latencyMs: 40,
          ttftMs: null,
          reason: 'primary',
        },
        {
          targetId: 'tgt_2',
          accountId: second.id,
          providerId: provider.id,
          model: 'mock-gpt-4o-mini',
          status: 200,
          errorClass: null,
          latencyMs: 90,
          ttftMs: 60,
          reason: 'other_account',
        },
      ],
    });
    await insertUsageEvents(t.prisma, [
      event,
      buildUsageEvent({ requestId: 'req_other', createdAt: BASE + 1 }),
    ]);

    const found = await listRequests(t.ctx, t.viewer, listRequestsQuery.parse({ requestId: 'req_detail' }));
    expect(found.items.map((item) => item.requestId)).toEqual(['req_detail']);
    expect(found.nextCursor).toBeNull();

    const detail = await getRequest(t.ctx, t.viewer, 'req_detail');
    expect(
      detail.attempts.map((a) => [a.accountName, a.status, a.errorClass, a.latencyMs, a.ttftMs, a.reason]),
    ).toEqual([
      ['first', 503, 'server_error', 40, null, 'primary'],
      ['second', 200, null, 90, 60, 'other_account'],
    ]);
    expect(detail).toMatchObject({
      teamId: team.id,
      teamName: 'explorers',
      servedProviderName: provider.name,
      servedAccountName: 'second',
      servedModel: 'mock-gpt-4o-mini',
      latencyMs: 140,
      ttftMs: 60,
      inputTokens: 12,
      outputTokens: 7,
      reasoningTokens: 2,
      costMicros: '1234',
      costEstimated: true,
      unpriced: false,
      tags: ['web', 'beta'],
      endUser: 'user-42',
      metadata: { feature: 'search' },
      stream: true,
      surface: 'openai-chat',
      upstreamProtocol: 'openai-chat',
      trafficClass: 'background',
      createdAt: '2030-01-15T09:00:00.000Z',
    });
  });

  it('shows a refused request with no attempt, no class and no served target', async () => {
    await insertUsageEvents(t.prisma, [
      buildUsageEvent({
        requestId: 'req_refused',
        createdAt: BASE + 2,
        status: 'rejected',
        errorClass: 'invalid_traffic_class',
        httpStatus: 400,
        servedProviderId: null,
        servedAccountId: null,
        servedModel: null,
        attempts: [],
      }),
    ]);
    const detail = await getRequest(t.ctx, t.viewer, 'req_refused');
    expect(detail).toMatchObject({
      status: 'rejected',
      errorClass: 'invalid_traffic_class',
      httpStatus: 400,
      trafficClass: null,
      servedProviderName: null,
      servedAccountName: null,
      teamName: null,
      attempts: [],
    });
  });
});
