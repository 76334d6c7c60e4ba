import {
  createUsageBatchWriter,
  encodeUsageBatch,
  positionalUsageRow,
  serializeUsageEvent,
  usageRowObject,
} from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUsageDeadLetters, listUsageDeadLettersQuery } from '../src/server/usage-dead-letters';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

const createdAt = Date.parse('2030-01-15T10:29:00.000Z');

/** A serialized usage row with a column PostgreSQL refuses (rows from an older router could hold such values). */
function refusedRow(requestId: string, fields: Record<string, unknown>): string {
  const named = {
    ...usageRowObject(JSON.parse(serializeUsageEvent(buildUsageEvent({ requestId, createdAt })))),
    ...fields,
  };
  return positionalUsageRow(JSON.stringify(named), named);
}

describe('dead-lettered usage events in the console', () => {
  it('lists what the usage writer parked, newest first, with the raw event, error and SQLSTATE', async () => {
    expect(await listUsageDeadLetters(t.ctx, t.viewer, listUsageDeadLettersQuery.parse({}))).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });

    // Written the way routers write: the writer bisects the batch and parks the rows refused alone.
    const writer = createUsageBatchWriter(t.databaseUrl);
    const nul = refusedRow('req_nul', { end_user: 'a\u0000b' });
    const range = refusedRow('req_range', { latency_ms: 99_999_999_999 });
    try {
      const good = serializeUsageEvent(buildUsageEvent({ requestId: 'req_good', createdAt }));
      expect(await writer.write(encodeUsageBatch([nul, good]))).toEqual({ inserted: 1, deadLettered: 1 });
      expect(await writer.write(encodeUsageBatch([range]))).toEqual({ inserted: 0, deadLettered: 1 });
    } finally {
      await writer.close();
    }

    const all = await listUsageDeadLetters(t.ctx, t.viewer, listUsageDeadLettersQuery.parse({}));
    expect(all.total).toBe(2);
    expect(all.items.map((letter) => [letter.requestId, letter.sqlState])).toEqual([
      ['req_range', '22003'],
      ['req_nul', '22P05'],
    ]);
    const [newest] = all.items;
    expect(newest?.id).toMatch(/^udl_/);
    expect(newest?.error).toMatch(/out of range/);
    // Keyed by column, as an operator reads it.
    expect(JSON.parse(newest?.event ?? '')).toEqual(usageRowObject(JSON.parse(range)));
    expect(JSON.parse(newest?.event ?? '')).toMatchObject({
      request_id: 'req_range',
      latency_ms: 99_999_999_999,
    });
    expect(Date.parse(newest?.createdAt ?? '')).not.toBeNaN();

    // Paginated like every other listing.
    const first = await listUsageDeadLetters(
      t.ctx,
      t.viewer,
      listUsageDeadLettersQuery.parse({ limit: '1' }),
    );
    expect(first.items.map((letter) => letter.requestId)).toEqual(['req_range']);
    expect(first.nextCursor).not.toBeNull();
    const second = await listUsageDeadLetters(
      t.ctx,
      t.viewer,
      listUsageDeadLettersQuery.parse({ limit: '1', cursor: first.nextCursor }),
    );
    expect(second).toEqual({ items: [all.items[1]], nextCursor: null, total: 2 });
    expect(
      await thrown(() => listUsageDeadLetters(t.ctx, t.viewer, { limit: 1, cursor: 'nope' })),
    ).toMatchObject({
      code: 'invalid_request',
    });
  });
});
