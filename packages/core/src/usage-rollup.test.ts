import { describe, expect, it } from 'vitest';
import type { UsageEventRecord, UsageStatus } from './usage-event';
import {
  emptyRollupTotals,
  mergeRollupTotals,
  type RollupTotals,
  rollupEvents,
  rollupKeyString,
  rollupKeys,
  rollupTotals,
} from './usage-rollup';

function event(overrides: Partial<UsageEventRecord> = {}): UsageEventRecord {
  return {
    requestId: 'req_1',
    keyId: 'key_1',
    teamId: 'team_1',
    environment: 'production',
    requestedModel: 'smart',
    routeId: 'rt_1',
    servedProviderId: 'prv_openai',
    servedAccountId: 'acc_1',
    servedModel: 'gpt-4o',
    status: 'success',
    errorClass: null,
    httpStatus: 200,
    latencyMs: 850,
    ttftMs: 120,
    inputTokens: 1_000,
    outputTokens: 200,
    cachedInputTokens: 100,
    costMicros: 4_250n,
    reasoningTokens: 0,
    cacheWriteTokens: 0,
    costEstimated: false,
    unpriced: false,
    ownerId: null,
    tags: [],
    endUser: null,
    metadata: null,
    stream: true,
    attempts: [],
    surface: 'openai-chat',
    upstreamProtocol: 'openai-chat',
    createdAt: Date.parse('2026-11-22T08:13:46.123Z'),
    ...overrides,
  };
}

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('rollupKeys', () => {
  it('maps an event to its UTC hour and UTC day rows with the grouping dimensions', () => {
    const { hourly, daily } = rollupKeys(event());
    expect(hourly).toEqual({
      granularity: 'hour',
      bucketStart: Date.parse('2026-11-22T08:00:00Z'),
      keyId: 'key_1',
      teamId: 'team_1',
      model: 'gpt-4o',
      providerId: 'prv_openai',
      status: 'success',
      environment: 'production',
    });
    expect(daily).toEqual({ ...hourly, granularity: 'day', bucketStart: Date.parse('2026-11-22T00:00:00Z') });
  });

  it('groups a request no model served under the requested model', () => {
    const { hourly } = rollupKeys(event({ servedModel: null, servedProviderId: null, status: 'rejected' }));
    expect([hourly.model, hourly.providerId, hourly.status]).toEqual(['smart', null, 'rejected']);
  });

  it('puts a boundary instant in the bucket it starts', () => {
    const at = Date.parse('2026-11-23T00:00:00Z');
    expect(rollupKeys(event({ createdAt: at })).daily.bucketStart).toBe(at);
    expect(rollupKeys(event({ createdAt: at - 1 })).hourly.bucketStart).toBe(
      Date.parse('2026-11-22T23:00:00Z'),
    );
  });
});

describe('rollupKeyString', () => {
  it('distinguishes null from the string "null" and is stable', () => {
    const a = rollupKeys(event({ teamId: null })).hourly;
    const b = rollupKeys(event({ teamId: 'null' })).hourly;
    expect(rollupKeyString(a)).not.toBe(rollupKeyString(b));
    expect(rollupKeyString(a)).toBe(rollupKeyString({ ...a }));
  });
});

describe('rollup totals', () => {
  it("takes one event's contribution, counting TTFT only when there was one", () => {
    expect(rollupTotals(event({ ttftMs: null, stream: false }))).toEqual({
      requests: 1,
      streamRequests: 0,
      inputTokens: 1_000,
      outputTokens: 200,
      cachedInputTokens: 100,
      costMicros: 4_250n,
      latencyMsSum: 850,
      latencyMsMax: 850,
      ttftMsSum: 0,
      ttftCount: 0,
    });
  });

  it('merges associatively and commutatively, with the empty row as identity', () => {
    const [a, b, c] = [event(), event({ latencyMs: 3_000, costMicros: 1n }), event({ ttftMs: null })].map(
      rollupTotals,
    ) as [RollupTotals, RollupTotals, RollupTotals];
    expect(mergeRollupTotals(a, mergeRollupTotals(b, c))).toEqual(
      mergeRollupTotals(mergeRollupTotals(a, b), c),
    );
    expect(mergeRollupTotals(a, b)).toEqual(mergeRollupTotals(b, a));
    expect(mergeRollupTotals(emptyRollupTotals(), a)).toEqual(a);
    expect(mergeRollupTotals(a, b).latencyMsMax).toBe(3_000);
  });
});

describe('rollupEvents', () => {
  const statuses: UsageStatus[] = ['success', 'error', 'interrupted', 'client_cancelled', 'rejected'];
  const random = prng(99);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const start = Date.parse('2026-11-20T00:00:00Z');
  const events = Array.from({ length: 3_000 }, (_, i) =>
    event({
      requestId: `req_${i}`,
      keyId: pick(['key_1', 'key_2', 'key_3', null]),
      teamId: pick(['team_1', 'team_2', null]),
      environment: pick(['production', 'staging', null]),
      servedModel: pick(['gpt-4o', 'claude-sonnet-4-5', null]),
      servedProviderId: pick(['prv_a', 'prv_b', null]),
      status: pick(statuses),
      inputTokens: Math.floor(random() * 5_000),
      outputTokens: Math.floor(random() * 2_000),
      cachedInputTokens: Math.floor(random() * 500),
      costMicros: BigInt(Math.floor(random() * 1_000_000)),
      latencyMs: Math.floor(random() * 10_000),
      ttftMs: random() < 0.3 ? null : Math.floor(random() * 2_000),
      stream: random() < 0.5,
      createdAt: start + Math.floor(random() * 3 * 86_400_000),
    }),
  );
  const rows = [...rollupEvents(events).values()];
  const sum = (select: (t: RollupTotals) => number | bigint, of: typeof rows) =>
    of.reduce((acc, r) => acc + BigInt(select(r.totals)), 0n);
  const rawSum = (select: (e: UsageEventRecord) => number | bigint, of: UsageEventRecord[] = events) =>
    of.reduce((acc, e) => acc + BigInt(select(e)), 0n);

  it('rolls up to exactly the sums of the raw events, at both granularities', () => {
    for (const granularity of ['hour', 'day'] as const) {
      const level = rows.filter((r) => r.key.granularity === granularity);
      expect(sum((t) => t.requests, level)).toBe(BigInt(events.length));
      expect(sum((t) => t.costMicros, level)).toBe(rawSum((e) => e.costMicros));
      expect(sum((t) => t.inputTokens, level)).toBe(rawSum((e) => e.inputTokens));
      expect(sum((t) => t.outputTokens, level)).toBe(rawSum((e) => e.outputTokens));
      expect(sum((t) => t.cachedInputTokens, level)).toBe(rawSum((e) => e.cachedInputTokens));
      expect(sum((t) => t.latencyMsSum, level)).toBe(rawSum((e) => e.latencyMs));
      expect(sum((t) => t.ttftMsSum, level)).toBe(rawSum((e) => e.ttftMs ?? 0));
      expect(sum((t) => t.ttftCount, level)).toBe(BigInt(events.filter((e) => e.ttftMs !== null).length));
      expect(sum((t) => t.streamRequests, level)).toBe(BigInt(events.filter((e) => e.stream).length));
    }
  });

  it('matches the raw events of each group: every row equals the sum of the events it covers', () => {
    const byDay = new Map<string, UsageEventRecord[]>();
    for (const e of events) {
      const id = rollupKeyString(rollupKeys(e).daily);
      byDay.set(id, [...(byDay.get(id) ?? []), e]);
    }
    const dailyRows = rows.filter((r) => r.key.granularity === 'day');
    expect(dailyRows).toHaveLength(byDay.size);
    for (const row of dailyRows) {
      const covered = byDay.get(rollupKeyString(row.key)) ?? [];
      expect(row.totals.requests).toBe(covered.length);
      expect(row.totals.costMicros).toBe(rawSum((e) => e.costMicros, covered));
      expect(row.totals.latencyMsMax).toBe(Math.max(...covered.map((e) => e.latencyMs)));
    }
  });

  it('gives each daily row the merge of its hourly rows', () => {
    const daily = new Map<string, RollupTotals>();
    for (const row of rows.filter((r) => r.key.granularity === 'hour')) {
      const dayKey = rollupKeyString({
        ...row.key,
        granularity: 'day',
        bucketStart: Math.floor(row.key.bucketStart / 86_400_000) * 86_400_000,
      });
      daily.set(dayKey, mergeRollupTotals(daily.get(dayKey) ?? emptyRollupTotals(), row.totals));
    }
    const actualDaily = rows.filter((r) => r.key.granularity === 'day');
    expect(daily.size).toBe(actualDaily.length);
    for (const row of actualDaily) expect(daily.get(rollupKeyString(row.key))).toEqual(row.totals);
  });

  it('does not depend on event order', () => {
    const shuffled = [...events].sort(() => random() - 0.5);
    const again = rollupEvents(shuffled);
    for (const row of rows) expect(again.get(rollupKeyString(row.key))?.totals).toEqual(row.totals);
  });
});
