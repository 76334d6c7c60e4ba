import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createKeyInput,
  type KeyView,
  keyListStatuses,
  listKeys,
  listKeysQuery,
  revokeKey,
} from '../src/server/keys';
import { createTeam, createTeamInput } from '../src/server/teams';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';

// The keys list searches, filters and pages on the server. Real PostgreSQL; the oracle is the same filter written
// over the full set of keys in memory.

let t: AdminTestContext;
let keys: KeyView[];
let teamIds: string[];

const NAMES = ['checkout', 'Checkout-EU', 'search_api', '100% batch', 'billing', 'chat bot'];
const TAGS = ['web', 'batch', 'eu'];
const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
const MINUTE_MS = 60_000;

beforeAll(async () => {
  t = await startAdminTestContext();
  teamIds = [];
  for (const name of ['alpha', 'beta']) {
    teamIds.push((await createTeam(t.ctx, t.owner, createTeamInput.parse({ name }))).id);
  }
  const created: string[] = [];
  for (let i = 0; i < 24; i += 1) {
    // Pairs share a creation time so paging must order ties by id.
    if (i % 2 === 0) t.clock.advance(1_000);
    const { key } = await createKey(
      t.ctx,
      t.owner,
      createKeyInput.parse({
        name: `${NAMES[i % NAMES.length]} ${i}`,
        environment: ENVIRONMENTS[i % 3],
        tags: TAGS.filter((_, index) => (i >> index) % 2 === 1),
        teamId: i % 4 === 3 ? null : teamIds[i % 2],
        // Every fifth key stops within the hour (expired below), every seventh in a day (still expiring).
        expiresAt:
          i % 5 === 0
            ? new Date(t.clock.now().getTime() + 30 * MINUTE_MS).toISOString()
            : i % 7 === 0
              ? new Date(t.clock.now().getTime() + 24 * 60 * MINUTE_MS).toISOString()
              : null,
      }),
    );
    created.push(key.id);
  }
  for (const id of created.filter((_, i) => i % 3 === 1)) await revokeKey(t.ctx, t.owner, id);
  t.clock.advance(60 * MINUTE_MS);
  keys = (await listKeys(t.ctx, t.owner, listKeysQuery.parse({ limit: 500 }))).items;
});
afterAll(async () => {
  await t?.close();
});

interface Filter {
  status?: (typeof keyListStatuses)[number];
  includeRevoked?: 'true' | 'false';
  teamId?: string;
  environment?: (typeof ENVIRONMENTS)[number];
  tag?: string;
  q?: string;
}

function matches(key: KeyView, filter: Filter): boolean {
  const now = t.clock.now().getTime();
  const stopsAt = key.expiresAt === null ? null : Date.parse(key.expiresAt);
  const revoked = key.revokedAt !== null;
  const status = {
    active: !revoked && (stopsAt === null || stopsAt > now),
    expiring: !revoked && stopsAt !== null && stopsAt > now,
    expired: !revoked && stopsAt !== null && stopsAt <= now,
    revoked,
  };
  const q = filter.q?.trim().toLowerCase();
  return (
    (filter.status === undefined ? filter.includeRevoked !== 'false' || !revoked : status[filter.status]) &&
    (filter.teamId === undefined || key.teamId === filter.teamId) &&
    (filter.environment === undefined || key.environment === filter.environment) &&
    (filter.tag === undefined || key.tags.includes(filter.tag)) &&
    (q === undefined ||
      key.name.toLowerCase().includes(q) ||
      key.prefix.toLowerCase().startsWith(q) ||
      key.id.startsWith(filter.q?.trim() ?? ''))
  );
}

async function pageThrough(filter: Filter, limit: number): Promise<KeyView[]> {
  const seen: KeyView[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await listKeys(t.ctx, t.owner, listKeysQuery.parse({ ...filter, limit, cursor }));
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    if (page.nextCursor === null) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
}

const newestFirst = (a: KeyView, b: KeyView) =>
  b.createdAt.localeCompare(a.createdAt) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);

describe('the keys list', () => {
  it('holds the fixture the filters are tested against', () => {
    expect(keys).toHaveLength(24);
    const count = (filter: Filter) => keys.filter((key) => matches(key, filter)).length;
    expect(count({ status: 'revoked' })).toBe(8);
    expect(count({ status: 'expired' })).toBeGreaterThan(0);
    expect(count({ status: 'expiring' })).toBeGreaterThan(0);
    expect(count({ includeRevoked: 'false' })).toBe(16);
  });

  it('pages with any filter through every matching key exactly once, newest first', async () => {
    const filter = fc.record(
      {
        status: fc.constantFrom(...keyListStatuses),
        includeRevoked: fc.constantFrom('true' as const, 'false' as const),
        teamId: fc.constantFrom(...teamIds, 'team_missing'),
        environment: fc.constantFrom(...ENVIRONMENTS),
        tag: fc.constantFrom(...TAGS, 'none'),
        q: fc.oneof(
          fc.constantFrom('CHECKOUT', 'check', '%', '_', '100%', 'ch', 'eu', ' bot ', 'key_', 'sk-', '\\'),
          fc.stringMatching(/^[a-z%_ ]{1,4}$/).filter((text) => text.trim().length > 0),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filter, fc.integer({ min: 1, max: 7 }), async (query, limit) => {
        const got = await pageThrough(query, limit);
        const expected = keys.filter((key) => matches(key, query)).sort(newestFirst);
        expect(got.map((key) => key.id)).toEqual(expected.map((key) => key.id));
      }),
      { numRuns: 60 },
    );
  });

  it('finds a key by its prefix and by part of its name in any case', async () => {
    const target = keys.find((key) => key.name === '100% batch 3');
    expect(target).toBeDefined();
    const byPrefix = await listKeys(t.ctx, t.owner, listKeysQuery.parse({ q: target?.prefix }));
    expect(byPrefix.items.map((key) => key.id)).toEqual([target?.id]);
    const byName = await listKeys(t.ctx, t.owner, listKeysQuery.parse({ q: '0% BATCH' }));
    expect(byName.items.map((key) => key.name).sort()).toEqual([
      '100% batch 15',
      '100% batch 21',
      '100% batch 3',
      '100% batch 9',
    ]);
  });

  it('refuses an unknown status naming the field', () => {
    const result = listKeysQuery.safeParse({ status: 'paused' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['status']);
  });
});
