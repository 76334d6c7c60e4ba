import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminError, toAdminError } from '../src/server/admin-error';
import { createKey, createKeyInput, getKey, listKeys, listKeysQuery, revokeKey } from '../src/server/keys';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

describe('bad key input', () => {
  it('names the field a schema rejects', () => {
    const cases: [unknown, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'x', environment: 'prod' }, 'environment'],
      [{ name: 'x', allowedModels: ['ok', ''] }, 'allowedModels[1]'],
      [{ name: 'x', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{}, 'name'],
      // Tags, names and models reach usage rows: text PostgreSQL cannot store is refused here, not at write time.
      [{ name: 'x', tags: ['ok', 'a\u0000b'] }, 'tags[1]'],
      [{ name: 'x', tags: ['\ud800'] }, 'tags[0]'],
      [{ name: 'a\u0000b' }, 'name'],
      [{ name: 'x', allowedModels: ['m\udfff'] }, 'allowedModels[0]'],
    ];
    for (const [body, field] of cases) {
      const result = createKeyInput.safeParse(body);
      expect(result.success).toBe(false);
      const error = toAdminError(result.error);
      expect(error).toMatchObject({ code: 'invalid_request', field });
      expect(error.message.startsWith(`${field}:`)).toBe(true);
    }
  });

  it('rejects an expiry in the past and stores nothing', async () => {
    const before = await t.prisma.apiKey.count();
    const error = await thrown(() =>
      createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'late', expiresAt: '2000-01-01T00:00:00Z' })),
    );
    expect(error).toMatchObject({ code: 'invalid_request', field: 'expiresAt' });
    expect(await t.prisma.apiKey.count()).toBe(before);
  });

  it('rejects a limit above 500 and a cursor it did not issue', async () => {
    const tooMany = listKeysQuery.safeParse({ limit: '501' });
    expect(tooMany.success).toBe(false);
    expect(toAdminError(tooMany.error)).toMatchObject({ code: 'invalid_request', field: 'limit' });

    const error = await thrown(() => listKeys(t.ctx, t.owner, { limit: 10, cursor: 'not-a-cursor' }));
    expect(error).toMatchObject({ code: 'invalid_request', field: 'cursor' });
  });
});

describe('unknown keys', () => {
  it('answers not_found for get and revoke', async () => {
    for (const call of [
      () => getKey(t.ctx, t.owner, 'key_missing'),
      () => revokeKey(t.ctx, t.owner, 'key_missing'),
    ]) {
      const error = await thrown(call);
      expect(error).toBeInstanceOf(AdminError);
      expect(error).toMatchObject({ code: 'not_found' });
    }
  });
});
