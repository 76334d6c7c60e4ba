import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAdminError } from '../src/server/admin-error';
import { createBudget, createBudgetInput, updateBudget, updateBudgetInput } from '../src/server/budgets';
import { createKey, createKeyInput } from '../src/server/keys';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

let t: AdminTestContext;
let keyId: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  keyId = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'checkout' }))).key.id;
});
afterAll(async () => {
  await t?.close();
});

const base = { name: 'Monthly', scope: 'key', period: 'monthly', limitUsd: '10.00' };

async function fieldOf(body: Record<string, unknown>): Promise<string | undefined> {
  const error = toAdminError(
    await thrown(async () =>
      createBudget(t.ctx, t.owner, createBudgetInput.parse({ scopeId: keyId, ...body })),
    ),
  );
  expect(error.code).toBe('invalid_request');
  expect(error.message.startsWith(`${error.field}:`)).toBe(true);
  return error.field;
}

describe('bad budgets', () => {
  it('names the field at fault and stores nothing', async () => {
    expect(await fieldOf({ ...base, name: '' })).toBe('name');
    expect(await fieldOf({ ...base, scope: 'org' })).toBe('scope');
    expect(await fieldOf({ ...base, period: 'hourly' })).toBe('period');
    expect(await fieldOf({ ...base, mode: 'strict' })).toBe('mode');
    expect(await fieldOf({ ...base, limitUsd: '-1' })).toBe('limitUsd');
    expect(await fieldOf({ ...base, limitUsd: '0.0000001' })).toBe('limitUsd');
    expect(await fieldOf({ ...base, limitUsd: 10 })).toBe('limitUsd');
    expect(await fieldOf({ ...base, alertThresholds: [80, 50] })).toBe('alertThresholds');
    expect(await fieldOf({ ...base, alertThresholds: [0] })).toBe('alertThresholds');
    expect(await fieldOf({ ...base, timeZone: 'Mars/Olympus' })).toBe('timeZone');
    expect(await fieldOf({ ...base, webhookUrl: 'ftp://example.com/x' })).toBe('webhookUrl');
    // A key budget needs a key; a global one takes none.
    expect(await fieldOf({ ...base, scopeId: null })).toBe('scopeId');
    expect(await fieldOf({ ...base, scope: 'global' })).toBe('scopeId');
    expect(await t.prisma.budget.count()).toBe(0);
  });

  it('refuses a scope id that does not exist', async () => {
    expect(await fieldOf({ ...base, scopeId: 'key_doesnotexist' })).toBe('scopeId');
    expect(await fieldOf({ ...base, scope: 'team', scopeId: 'team_doesnotexist' })).toBe('scopeId');
    expect(await t.prisma.budget.count()).toBe(0);
  });

  it('checks updates against the stored budget, and 404s an unknown one', async () => {
    const budget = await createBudget(t.ctx, t.owner, createBudgetInput.parse({ ...base, scopeId: keyId }));
    const error = toAdminError(
      await thrown(() =>
        updateBudget(t.ctx, t.owner, budget.id, updateBudgetInput.parse({ alertThresholds: [50, 50] })),
      ),
    );
    expect(error).toMatchObject({ code: 'invalid_request', field: 'alertThresholds' });
    expect(updateBudgetInput.safeParse({}).success).toBe(false);
    expect(
      await thrown(() => updateBudget(t.ctx, t.owner, 'bud_missing', updateBudgetInput.parse({ name: 'x' }))),
    ).toMatchObject({ code: 'not_found' });
    expect(
      await thrown(() => updateBudget(t.ctx, t.viewer, budget.id, updateBudgetInput.parse({ name: 'x' }))),
    ).toMatchObject({ code: 'forbidden' });
    const stored = await t.prisma.budget.findUniqueOrThrow({ where: { id: budget.id } });
    expect([stored.name, stored.alertThresholds]).toEqual(['Monthly', [50, 80, 100]]);
  });
});
