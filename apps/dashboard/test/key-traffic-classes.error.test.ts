import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAdminError } from '../src/server/admin-error';
import { createKey, createKeyInput, updateKey, updateKeyInput } from '../src/server/keys';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

describe('traffic classes on a new key', () => {
  it('names the field holding an unknown class or a default the key may not use', () => {
    const cases: [unknown, string, string][] = [
      [
        { name: 'x', defaultTrafficClass: 'batch' },
        'defaultTrafficClass',
        'defaultTrafficClass: Invalid option',
      ],
      [
        { name: 'x', allowedTrafficClasses: ['interactive', 'realtime'] },
        'allowedTrafficClasses[1]',
        'allowedTrafficClasses[1]: Invalid option',
      ],
      [
        { name: 'x', defaultTrafficClass: 'agent', allowedTrafficClasses: ['background', 'evaluation'] },
        'defaultTrafficClass',
        'defaultTrafficClass: must be one of allowedTrafficClasses (background, evaluation)',
      ],
    ];
    for (const [body, field, message] of cases) {
      const result = createKeyInput.safeParse(body);
      expect(result.success, field).toBe(false);
      const error = toAdminError(result.error);
      expect(error).toMatchObject({ code: 'invalid_request', field });
      expect(error.message.startsWith(message), error.message).toBe(true);
    }
  });

  it('stores nothing when the default is not allowed', async () => {
    const before = await t.prisma.apiKey.count();
    const result = createKeyInput.safeParse({
      name: 'never-stored',
      defaultTrafficClass: 'media',
      allowedTrafficClasses: ['interactive'],
    });
    expect(result.success).toBe(false);
    expect(await t.prisma.apiKey.count()).toBe(before);
  });
});

describe('changing the traffic classes of a key', () => {
  it('checks a change to one field against the stored other, and writes nothing', async () => {
    const { key } = await createKey(
      t.ctx,
      t.owner,
      createKeyInput.parse({ name: 'batch-job', defaultTrafficClass: 'background' }),
    );

    const narrowed = await thrown(() =>
      updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ allowedTrafficClasses: ['interactive'] })),
    );
    expect(narrowed).toMatchObject({
      code: 'invalid_request',
      field: 'allowedTrafficClasses',
      message: "allowedTrafficClasses: must include the key's defaultTrafficClass (background)",
    });

    const stored = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.allowedTrafficClasses).toEqual([]);
    const moved = await thrown(() =>
      updateKey(
        t.ctx,
        t.owner,
        key.id,
        updateKeyInput.parse({ allowedTrafficClasses: ['background'], defaultTrafficClass: 'background' }),
      ).then(() => updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ defaultTrafficClass: 'agent' }))),
    );
    expect(moved).toMatchObject({
      code: 'invalid_request',
      field: 'defaultTrafficClass',
      message: 'defaultTrafficClass: must be one of allowedTrafficClasses (background)',
    });
    const after = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect([after.defaultTrafficClass, after.allowedTrafficClasses]).toEqual(['background', ['background']]);
  });

  it('refuses an empty change, a viewer, and an unknown key', async () => {
    const empty = updateKeyInput.safeParse({});
    expect(empty.success).toBe(false);
    expect(toAdminError(empty.error)).toMatchObject({ code: 'invalid_request', field: 'body' });

    const { key } = await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'viewer-target' }));
    expect(
      await thrown(() => updateKey(t.ctx, t.viewer, key.id, { defaultTrafficClass: 'agent' })),
    ).toMatchObject({ code: 'forbidden' });
    expect(
      await thrown(() => updateKey(t.ctx, t.owner, 'key_missing', { defaultTrafficClass: 'agent' })),
    ).toMatchObject({ code: 'not_found' });
  });
});
