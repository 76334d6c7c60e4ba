import { describe, expect, it } from 'vitest';
import type { SqlDataRefusal } from './sql-data-refusal';
import {
  encodeUsageBatch,
  type UsageBatchStatements,
  usageBatchJson,
  writeUsageBatch,
} from './write-usage-batch';

/** Statements over an in-memory table that refuses rows whose id starts with "bad" (as PostgreSQL would, 22P05). */
function table(options: { connectionLostAfter?: number } = {}) {
  const stored = new Set<string>();
  const parked = new Map<string, string>();
  let statements = 0;
  const run: UsageBatchStatements = {
    async insert(encoded) {
      statements++;
      if (options.connectionLostAfter !== undefined && statements > options.connectionLostAfter) {
        throw new Error('Connection terminated unexpectedly');
      }
      const ids = (JSON.parse(usageBatchJson(encoded)) as { request_id: string }[]).map(
        (row) => row.request_id,
      );
      if (ids.some((id) => id.startsWith('bad'))) {
        throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
      }
      const fresh = ids.filter((id) => !stored.has(id));
      for (const id of fresh) stored.add(id);
      return fresh.length;
    },
    async deadLetter(row: string, refusal: SqlDataRefusal) {
      parked.set((JSON.parse(row) as { request_id: string }).request_id, refusal.sqlState);
    },
  };
  return { run, stored, parked, statements: () => statements };
}

const batch = (ids: string[]) => encodeUsageBatch(ids.map((id) => JSON.stringify({ request_id: id })));

describe('encodeUsageBatch', () => {
  it('is jsonb in binary format: a version byte, then the rows as one JSON array in UTF-8', () => {
    const rows = [
      JSON.stringify({ request_id: 'a', end_user: 'zoë ✓ 🚀' }),
      JSON.stringify({ request_id: 'b' }),
    ];
    const encoded = encodeUsageBatch(rows);
    expect(encoded[0]).toBe(1);
    expect(encoded.subarray(1).toString('utf8')).toBe(`[${rows.join(',')}]`);
    expect(JSON.parse(usageBatchJson(encoded))).toEqual(rows.map((row) => JSON.parse(row)));
    expect(usageBatchJson(encodeUsageBatch([]))).toBe('[]');
    // Its own memory, so a thread can take it by transfer.
    expect(encoded.buffer.byteLength).toBe(encoded.byteLength);
  });
});

describe('writeUsageBatch', () => {
  it('writes a clean batch in one statement', async () => {
    const t = table();
    expect(await writeUsageBatch(batch(['a', 'b', 'c']), t.run)).toEqual({ inserted: 3, deadLettered: 0 });
    expect(t.statements()).toBe(1);
  });

  it('bisects a refused batch: every other row written, each refused row parked, in few statements', async () => {
    const t = table();
    const ids = Array.from({ length: 64 }, (_, i) => (i === 5 || i === 40 ? `bad${i}` : `ok${i}`));
    expect(await writeUsageBatch(batch(ids), t.run)).toEqual({ inserted: 62, deadLettered: 2 });
    expect(t.stored.size).toBe(62);
    expect([...t.parked]).toEqual([
      ['bad5', '22P05'],
      ['bad40', '22P05'],
    ]);
    // About (bad rows × log2 64) statements, nowhere near one per row.
    expect(t.statements()).toBeLessThanOrEqual(1 + 2 * 2 * 6);
  });

  it('rejects, keeping the batch for a retry, when the connection fails during the bisection', async () => {
    const t = table({ connectionLostAfter: 2 });
    await expect(writeUsageBatch(batch(['ok1', 'bad2', 'ok3', 'ok4']), t.run)).rejects.toThrow(/Connection/);
    expect(t.parked.size).toBe(0);
  });

  it('parks a batch that is not a JSON array at all', async () => {
    const t = table();
    const run: UsageBatchStatements = {
      insert: async () => {
        throw Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' });
      },
      deadLetter: async (row, refusal) => {
        t.parked.set(row, refusal.sqlState);
      },
    };
    expect(await writeUsageBatch(encodeUsageBatch(['{"request_id":']), run)).toEqual({
      inserted: 0,
      deadLettered: 1,
    });
    expect([...t.parked]).toEqual([['[{"request_id":]', '22P02']]);
  });
});
