import { insertUsageEvents } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKeyActivity, keyActivityQuery } from '../src/server/key-activity';
import { createKey, createKeyInput } from '../src/server/keys';
import { createTeam, createTeamInput } from '../src/server/teams';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

// A key's page reads only that key's usage: its hourly series from the rollups the usage writer keeps, its
// failures per class and its newest requests. Real PostgreSQL; the events go in through the router's own insert.

let t: AdminTestContext;
let keyId: string;
let otherKeyId: string;

const at = (text: string) => Date.parse(text);

beforeAll(async () => {
  t = await startAdminTestContext(); // the clock reads 2030-01-15T10:30Z
  const team = await createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'payments' }));
  keyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'page key', teamId: team.id }))).key
    .id;
  otherKeyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'other key' }))).key.id;
  const mine = { keyId };
  await insertUsageEvents(t.prisma, [
    // Two days ago: in the week, not in the day.
    buildUsageEvent({ ...mine, requestId: 'req_old', createdAt: at('2030-01-13T10:00:00Z'), costMicros: 5n }),
    ...[1, 2, 3].map((n) =>
      buildUsageEvent({
        ...mine,
        requestId: `req_ok_${n}`,
        createdAt: at(`2030-01-15T09:1${n}:00Z`),
        costMicros: 100n,
      }),
    ),
    ...[1, 2].map((n) =>
      buildUsageEvent({
        ...mine,
        requestId: `req_5xx_${n}`,
        createdAt: at(`2030-01-15T10:0${n}:00Z`),
        status: 'error',
        errorClass: 'upstream_5xx',
        httpStatus: 502,
      }),
    ),
    buildUsageEvent({
      ...mine,
      requestId: 'req_rejected',
      createdAt: at('2030-01-15T10:20:00Z'),
      status: 'rejected',
      httpStatus: 429,
    }),
    // Another key's failures must not show on this key's page.
    ...[1, 2, 3].map((n) =>
      buildUsageEvent({
        keyId: otherKeyId,
        requestId: `req_other_${n}`,
        createdAt: at(`2030-01-15T10:1${n}:00Z`),
        status: 'error',
        errorClass: 'rate_limited',
        costMicros: 7n,
      }),
    ),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe("a key's page", () => {
  it("shows the last day of the key's own usage, every hour present", async () => {
    const activity = await getKeyActivity(t.ctx, t.viewer, keyId, 24);
    expect(activity.key.name).toBe('page key');
    expect(activity.teamName).toBe('payments');
    expect(activity.from).toBe('2030-01-14T11:00:00.000Z');
    expect(activity.to).toBe('2030-01-15T11:00:00.000Z');
    expect(activity.hourly).toHaveLength(24);
    const nonEmpty = activity.hourly.filter((hour) => hour.requests > 0);
    expect(nonEmpty).toEqual([
      { hourStart: '2030-01-15T09:00:00.000Z', requests: 3, errors: 0, costMicros: '300' },
      { hourStart: '2030-01-15T10:00:00.000Z', requests: 3, errors: 3, costMicros: '0' },
    ]);
    expect(activity.errorClasses).toEqual([
      { errorClass: 'upstream_5xx', requests: 2 },
      { errorClass: 'rejected', requests: 1 },
    ]);
    expect(activity.recentRequests.map((request) => request.requestId)).toEqual([
      'req_rejected',
      'req_5xx_2',
      'req_5xx_1',
      'req_ok_3',
      'req_ok_2',
      'req_ok_1',
      'req_old',
    ]);
  });

  it('widens to the last week', async () => {
    const activity = await getKeyActivity(t.ctx, t.viewer, keyId, 168);
    expect(activity.hourly).toHaveLength(168);
    expect(activity.hourly.reduce((sum, hour) => sum + hour.requests, 0)).toBe(7);
    expect(activity.hourly.reduce((sum, hour) => sum + BigInt(hour.costMicros), 0n)).toBe(305n);
  });

  it('offers only its two windows and answers 404 for an unknown key', async () => {
    expect(keyActivityQuery.safeParse({ hours: '48' }).success).toBe(false);
    expect(keyActivityQuery.parse({}).hours).toBe(24);
    expect(await thrown(() => getKeyActivity(t.ctx, t.viewer, 'key_missing', 24))).toMatchObject({
      code: 'not_found',
    });
  });
});
