import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costBreakdown, costCsv, costQuery, costSeries } from '../src/server/cost';
import { createKey, createKeyInput } from '../src/server/keys';
import { createProvider, createProviderInput } from '../src/server/providers';
import { hourlyUsage } from '../src/server/usage';
import { type AdminTestContext, readAll, startAdminTestContext, thrown } from './admin-test-context';
import { insertDailyRollups, insertHourlyRollups, type RollupRow } from './rollup-fixtures';

let t: AdminTestContext;
let keyA: string;
let keyB: string;
let providerId: string;

const HOURLY: () => RollupRow[] = () => [
  {
    bucketStart: '2030-01-15T08:00:00Z',
    keyId: keyA,
    model: 'gpt-4o',
    providerId,
    environment: 'production',
    requests: 4,
    streamRequests: 1,
    inputTokens: 1_000n,
    outputTokens: 400n,
    cachedInputTokens: 100n,
    costMicros: 6_500n,
  },
  {
    bucketStart: '2030-01-15T08:00:00Z',
    keyId: keyB,
    model: 'o3',
    providerId,
    environment: 'staging',
    requests: 2,
    inputTokens: 300n,
    outputTokens: 900n,
    costMicros: 7_800n,
  },
  {
    bucketStart: '2030-01-15T08:00:00Z',
    keyId: keyB,
    model: 'o3',
    providerId,
    environment: 'staging',
    status: 'error',
    requests: 1,
    costMicros: 0n,
  },
  {
    bucketStart: '2030-01-15T10:00:00Z',
    keyId: keyA,
    model: 'gpt-4o',
    providerId,
    environment: 'production',
    requests: 1,
    inputTokens: 50n,
    outputTokens: 20n,
    costMicros: 9_007_199_254_740_993n,
  },
  {
    bucketStart: '2030-01-15T10:00:00Z',
    model: 'o3',
    requests: 3,
    inputTokens: 10n,
    outputTokens: 10n,
    costMicros: 3n,
  },
  // Outside the queried window (before it).
  {
    bucketStart: '2030-01-15T06:00:00Z',
    keyId: keyA,
    model: 'gpt-4o',
    requests: 100,
    costMicros: 1_000_000n,
  },
];

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set('2030-01-15T10:30:00.000Z');
  keyA = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'checkout' }))).key.id;
  keyB = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'search' }))).key.id;
  providerId = (
    await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({
        name: 'openai-main',
        kind: 'openai',
        baseUrl: 'https://api.openai.test/v1',
      }),
    )
  ).id;
  await insertHourlyRollups(t.prisma, HOURLY());
  await insertDailyRollups(t.prisma, [
    {
      bucketStart: '2030-01-13T00:00:00Z',
      keyId: keyA,
      requests: 10,
      inputTokens: 5n,
      costMicros: 1_000_000n,
    },
    {
      bucketStart: '2030-01-15T00:00:00Z',
      keyId: keyA,
      requests: 5,
      inputTokens: 1_050n,
      costMicros: 2_000_001n,
    },
    { bucketStart: '2030-01-15T00:00:00Z', keyId: keyB, requests: 3, inputTokens: 300n, costMicros: 7_800n },
  ]);
});
afterAll(async () => {
  await t?.close();
});

const window = { from: '2030-01-15T07:30:00Z', to: '2030-01-15T10:30:00Z' };

describe('cost from rollups only (no raw events exist)', () => {
  it('has no raw events behind the figures', async () => {
    expect(await t.prisma.usageEvent.count()).toBe(0);
  });

  it('series by hour: every bucket of the rounded window, empty hours as zeros, exact sums', async () => {
    const series = await costSeries(t.ctx, t.viewer, costQuery.parse(window));
    expect([series.from, series.to, series.groupBy]).toEqual([
      '2030-01-15T07:00:00.000Z',
      '2030-01-15T11:00:00.000Z',
      null,
    ]);
    expect(
      series.items.map((item) => [
        item.bucketStart,
        item.requests,
        item.errors,
        item.inputTokens,
        item.outputTokens,
        item.costMicros,
      ]),
    ).toEqual([
      ['2030-01-15T07:00:00.000Z', 0, 0, 0, 0, '0'],
      ['2030-01-15T08:00:00.000Z', 7, 1, 1_300, 1_300, '14300'],
      ['2030-01-15T09:00:00.000Z', 0, 0, 0, 0, '0'],
      ['2030-01-15T10:00:00.000Z', 4, 0, 60, 30, '9007199254740996'],
    ]);
    expect(series.items[1]).toMatchObject({ streamRequests: 1, cachedInputTokens: 100 });
  });

  it('series grouped by model, key, provider, environment and status, with readable labels', async () => {
    const grouped = async (groupBy: string) =>
      (await costSeries(t.ctx, t.viewer, costQuery.parse({ ...window, groupBy }))).items.map((item) => [
        item.bucketStart.slice(11, 13),
        item.label,
        item.requests,
        item.costMicros,
      ]);
    expect(await grouped('model')).toEqual([
      ['08', 'gpt-4o', 4, '6500'],
      ['08', 'o3', 3, '7800'],
      ['10', 'gpt-4o', 1, '9007199254740993'],
      ['10', 'o3', 3, '3'],
    ]);
    const byKey = await grouped('key');
    expect(byKey.filter((row) => row[0] === '10')).toEqual([
      ['10', '(none)', 3, '3'],
      ['10', 'checkout', 1, '9007199254740993'],
    ]);
    expect(await grouped('provider')).toContainEqual(['08', 'openai-main', 7, '14300']);
    expect(await grouped('environment')).toContainEqual(['08', 'staging', 3, '7800']);
    expect(await grouped('status')).toContainEqual(['08', 'error', 1, '0']);
  });

  it('series by day reads the daily rollups', async () => {
    const series = await costSeries(
      t.ctx,
      t.viewer,
      costQuery.parse({ from: '2030-01-13T12:00:00Z', to: '2030-01-15T10:30:00Z', granularity: 'day' }),
    );
    expect(
      series.items.map((item) => [item.bucketStart.slice(0, 10), item.requests, item.costMicros]),
    ).toEqual([
      ['2030-01-13', 10, '1000000'],
      ['2030-01-14', 0, '0'],
      ['2030-01-15', 8, '2007801'],
    ]);
  });

  it('breakdown: totals, groups, top keys and top models over the window', async () => {
    const breakdown = await costBreakdown(
      t.ctx,
      t.viewer,
      costQuery.parse({ ...window, groupBy: 'environment' }),
    );
    expect(breakdown.totals).toEqual({
      requests: 11,
      errors: 1,
      streamRequests: 1,
      inputTokens: 1_360,
      outputTokens: 1_330,
      cachedInputTokens: 100,
      costMicros: '9007199254755296',
    });
    expect(breakdown.groups.map((g) => [g.label, g.requests, g.costMicros])).toEqual([
      ['production', 5, '9007199254747493'],
      ['staging', 3, '7800'],
      ['(none)', 3, '3'],
    ]);
    expect(breakdown.topKeys.map((g) => [g.group, g.label, g.costMicros])).toEqual([
      [keyA, 'checkout', '9007199254747493'],
      [keyB, 'search', '7800'],
      ['', '(none)', '3'],
    ]);
    expect(breakdown.topModels.map((g) => [g.label, g.requests, g.costMicros])).toEqual([
      ['gpt-4o', 5, '9007199254747493'],
      ['o3', 6, '7803'],
    ]);
  });

  it('breakdown grouped by key or model: the top list is the same as when not grouped that way', async () => {
    const ungrouped = await costBreakdown(t.ctx, t.viewer, costQuery.parse(window));
    const byKey = await costBreakdown(t.ctx, t.viewer, costQuery.parse({ ...window, groupBy: 'key' }));
    const byModel = await costBreakdown(t.ctx, t.viewer, costQuery.parse({ ...window, groupBy: 'model' }));
    expect(ungrouped.topKeys.map((g) => [g.group, g.label, g.costMicros])).toEqual([
      [keyA, 'checkout', '9007199254747493'],
      [keyB, 'search', '7800'],
      ['', '(none)', '3'],
    ]);
    expect(byKey.groups).toEqual(ungrouped.topKeys);
    expect(byKey.topKeys).toEqual(ungrouped.topKeys);
    expect(byKey.topModels).toEqual(ungrouped.topModels);
    expect(byModel.groups).toEqual(ungrouped.topModels);
    expect(byModel.topModels).toEqual(ungrouped.topModels);
    expect(byModel.topKeys).toEqual(ungrouped.topKeys);
  });

  const KEY_CSV_HEADER =
    'bucket_start,key,label,requests,errors,stream_requests,input_tokens,output_tokens,cached_input_tokens,cost_usd';
  /** The window's lines grouped by key. */
  const keyCsvLines = () => [
    `2030-01-15T08:00:00.000Z,${keyA},checkout,4,0,1,1000,400,100,0.0065`,
    `2030-01-15T08:00:00.000Z,${keyB},search,3,1,0,300,900,0,0.0078`,
    '2030-01-15T10:00:00.000Z,,(none),3,0,0,10,10,0,0.000003',
    `2030-01-15T10:00:00.000Z,${keyA},checkout,1,0,0,50,20,0,9007199254.740993`,
  ];

  it('CSV: header row, then one line per bucket and group, money as exact decimal USD', async () => {
    const csv = await readAll(await costCsv(t.ctx, t.viewer, costQuery.parse({ ...window, groupBy: 'key' })));
    expect(csv).toBe([KEY_CSV_HEADER, ...keyCsvLines(), ''].join('\r\n'));
    const plain = await readAll(await costCsv(t.ctx, t.viewer, costQuery.parse(window)));
    expect(plain.split('\r\n')[0]).toBe(
      'bucket_start,requests,errors,stream_requests,input_tokens,output_tokens,cached_input_tokens,cost_usd',
    );
    expect(plain.split('\r\n')[2]).toBe('2030-01-15T08:00:00.000Z,7,1,1,1300,1300,100,0.0143');
  });

  it('CSV streams: the header at once, then the lines a day of hours at a time, in order', async () => {
    const chunks: string[] = [];
    const query = costQuery.parse({
      from: '2030-01-14T08:00:00Z',
      to: '2030-01-15T11:00:00Z',
      groupBy: 'key',
    });
    for await (const chunk of await costCsv(t.ctx, t.viewer, query)) chunks.push(chunk);
    expect(chunks).toEqual([
      `${KEY_CSV_HEADER}\r\n`,
      // 2030-01-14T08:00 to 2030-01-15T08:00: one line, at 06:00.
      `2030-01-15T06:00:00.000Z,${keyA},checkout,100,0,0,0,0,0,1.00\r\n`,
      // The last three hours.
      [...keyCsvLines(), ''].join('\r\n'),
    ]);
  });

  it('the usage page chart reads the hourly rollups too', async () => {
    const hourly = await hourlyUsage(t.ctx, t.viewer, { hours: 3 });
    expect(hourly.items).toEqual([
      { hourStart: '2030-01-15T08:00:00.000Z', requests: 7, errors: 1, costMicros: '14300' },
      { hourStart: '2030-01-15T09:00:00.000Z', requests: 0, errors: 0, costMicros: '0' },
      { hourStart: '2030-01-15T10:00:00.000Z', requests: 4, errors: 0, costMicros: '9007199254740996' },
    ]);
  });

  it('defaults to the last 7 days and bounds the window', async () => {
    const series = await costSeries(t.ctx, t.viewer, costQuery.parse({}));
    expect([series.from, series.to, series.items.length]).toEqual([
      '2030-01-08T10:00:00.000Z',
      '2030-01-15T11:00:00.000Z',
      169,
    ]);
    expect(
      await thrown(() => costSeries(t.ctx, t.viewer, costQuery.parse({ from: '2029-01-01T00:00:00Z' }))),
    ).toMatchObject({ code: 'invalid_request', field: 'from' });
    expect(
      await thrown(() =>
        costSeries(t.ctx, t.viewer, costQuery.parse({ from: '2030-01-01T00:00:00Z', groupBy: 'tag' })),
      ),
    ).toMatchObject({ code: 'invalid_request', field: 'groupBy' });
    expect(costQuery.safeParse({ groupBy: 'color' }).success).toBe(false);
  });
});

describe('cost by tag (raw events, bounded window)', () => {
  it('counts an event under each of its tags and untagged events under (none)', async () => {
    const event = (requestId: string, tags: string[], costMicros: bigint) => ({
      requestId,
      requestedModel: 'gpt-4o',
      status: 'success' as const,
      httpStatus: 200,
      latencyMs: 10,
      costMicros,
      tags,
      createdAt: new Date('2030-01-15T09:15:00Z'),
    });
    await t.prisma.usageEvent.createMany({
      data: [event('req_t1', ['web', 'beta'], 100n), event('req_t2', ['web'], 20n), event('req_t3', [], 3n)],
    });
    const series = await costSeries(t.ctx, t.viewer, costQuery.parse({ ...window, groupBy: 'tag' }));
    expect(
      series.items.map((item) => [
        item.bucketStart.slice(11, 13),
        item.label,
        item.requests,
        item.costMicros,
      ]),
    ).toEqual([
      ['09', '(none)', 1, '3'],
      ['09', 'beta', 1, '100'],
      ['09', 'web', 2, '120'],
    ]);
  });
});
