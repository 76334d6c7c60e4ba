import { createHash } from 'node:crypto';
import { newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminError, toAdminError } from '../src/server/admin-error';
import {
  createKey,
  createKeyInput,
  getKey,
  revokeKey,
  rotateKey,
  rotateKeyInput,
  updateKey,
  updateKeyInput,
} from '../src/server/keys';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

async function teamKey(name: string) {
  const team = await t.prisma.team.create({ data: { id: newId('team'), name: `team-${name}` } });
  const { key } = await createKey(
    t.ctx,
    t.owner,
    createKeyInput.parse({
      name,
      environment: 'staging',
      allowedModels: ['demo-chat', 'demo-embed'],
      tags: ['checkout', 'eu'],
      allowedTrafficClasses: ['background', 'interactive'],
      defaultTrafficClass: 'background',
      rpmLimit: 60,
      tpmLimit: 10_000,
    }),
  );
  return updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ teamId: team.id }));
}

/** The error as the admin API would answer it (repository refusals are mapped by the route wrapper). */
async function rejection(promise: Promise<unknown>): Promise<AdminError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  return toAdminError(error);
}

describe('rotating a key', () => {
  it('creates a new key with every setting of the old one and schedules the old one to stop', async () => {
    const old = await teamKey('rotate-me');
    const budget = await t.prisma.budget.create({
      data: {
        id: newId('bud'),
        name: 'rotate-me monthly',
        scope: 'key',
        scopeId: old.id,
        period: 'monthly',
        mode: 'hard',
        limitMicros: 25_000_000n,
        alertThresholds: [50, 90],
        timeZone: 'Europe/Paris',
      },
    });

    const { key, plaintext, oldKey } = await rotateKey(
      t.ctx,
      t.owner,
      old.id,
      rotateKeyInput.parse({ graceSeconds: 3600 }),
    );

    expect(key.id).not.toBe(old.id);
    expect(plaintext.startsWith(key.prefix)).toBe(true);
    expect(key.prefix).not.toBe(old.prefix);
    expect(key).toMatchObject({
      name: 'rotate-me',
      environment: 'staging',
      status: 'active',
      teamId: old.teamId,
      ownerId: old.ownerId,
      allowedModels: ['demo-chat', 'demo-embed'],
      tags: ['checkout', 'eu'],
      allowedTrafficClasses: ['background', 'interactive'],
      defaultTrafficClass: 'background',
      rpmLimit: 60,
      tpmLimit: 10_000,
      expiresAt: null,
      rotatedFrom: old.id,
      rotatedTo: null,
    });
    const stopAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    expect(oldKey).toMatchObject({ id: old.id, status: 'active', expiresAt: stopAt, rotatedTo: key.id });

    // The readback says the same after the fact.
    expect(await getKey(t.ctx, t.owner, old.id)).toMatchObject({ expiresAt: stopAt, rotatedTo: key.id });
    expect(await getKey(t.ctx, t.owner, key.id)).toMatchObject({ rotatedFrom: old.id, rotatedTo: null });

    // Only the digest is stored; the plaintext appears nowhere.
    const row = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.digest).toBe(createHash('sha256').update(plaintext).digest('hex'));

    // The key budget is copied to the new key; the old one keeps its own history.
    const copies = await t.prisma.budget.findMany({ where: { scope: 'key', scopeId: key.id } });
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({
      name: 'rotate-me monthly',
      period: 'monthly',
      mode: 'hard',
      limitMicros: 25_000_000n,
      alertThresholds: [50, 90],
      timeZone: 'Europe/Paris',
    });
    expect(await t.prisma.budget.findUnique({ where: { id: budget.id } })).toMatchObject({ scopeId: old.id });

    // Audited once on the old key, without the secret.
    const audit = await t.prisma.auditLog.findMany({ where: { targetId: old.id, action: 'api_key.rotate' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'user', targetType: 'api_key' });
    expect(audit[0]?.details).toMatchObject({ rotatedTo: key.id, oldKeyExpiresAt: stopAt });
    expect(JSON.stringify(audit[0]?.details)).not.toContain(plaintext);

    // When the grace ends the old key reads as expired.
    t.clock.advance(3_600_000);
    expect((await getKey(t.ctx, t.owner, old.id)).status).toBe('expired');
    expect((await getKey(t.ctx, t.owner, key.id)).status).toBe('active');
  });

  it('accepts an explicit time, and keeps an expiry that comes sooner', async () => {
    const { key: a } = await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'at-time' }));
    const at = new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const rotatedA = await rotateKey(t.ctx, t.owner, a.id, rotateKeyInput.parse({ oldKeyExpiresAt: at }));
    expect(rotatedA.oldKey.expiresAt).toBe(at);

    const soon = new Date(t.clock.now().getTime() + 600_000).toISOString();
    const { key: b } = await createKey(
      t.ctx,
      t.owner,
      createKeyInput.parse({ name: 'soon', expiresAt: soon }),
    );
    const rotatedB = await rotateKey(t.ctx, t.owner, b.id, rotateKeyInput.parse({ graceSeconds: 86_400 }));
    expect(rotatedB.oldKey.expiresAt).toBe(soon);
    // The successor inherits the key's lifetime: rotation replaces the secret only.
    expect(rotatedB.key.expiresAt).toBe(soon);
  });

  it('with no grace stops the old key at once', async () => {
    const { key } = await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'now' }));
    const { oldKey } = await rotateKey(t.ctx, t.owner, key.id, rotateKeyInput.parse({ graceSeconds: 0 }));
    expect(oldKey).toMatchObject({ status: 'expired', expiresAt: t.clock.now().toISOString() });
  });

  it('refuses a second rotation, a revoked key, a viewer and bad input', async () => {
    const { key } = await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'twice' }));
    const first = await rotateKey(t.ctx, t.owner, key.id, rotateKeyInput.parse({ graceSeconds: 60 }));
    const again = await rejection(
      rotateKey(t.ctx, t.owner, key.id, rotateKeyInput.parse({ graceSeconds: 60 })),
    );
    expect(again.code).toBe('conflict');
    expect(again.message).toContain(first.key.id);

    const { key: revoked } = await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'gone' }));
    await revokeKey(t.ctx, t.owner, revoked.id);
    expect(
      (await rejection(rotateKey(t.ctx, t.owner, revoked.id, rotateKeyInput.parse({ graceSeconds: 60 }))))
        .code,
    ).toBe('conflict');

    expect(
      (await rejection(rotateKey(t.ctx, t.viewer, first.key.id, rotateKeyInput.parse({ graceSeconds: 60 }))))
        .code,
    ).toBe('forbidden');
    expect(
      (await rejection(rotateKey(t.ctx, t.owner, 'key_missing', rotateKeyInput.parse({ graceSeconds: 60 }))))
        .code,
    ).toBe('not_found');

    const past = new Date(t.clock.now().getTime() - 1000).toISOString();
    const tooFar = new Date(t.clock.now().getTime() + 31 * 86_400_000).toISOString();
    for (const at of [past, tooFar]) {
      const error = await rejection(
        rotateKey(t.ctx, t.owner, first.key.id, rotateKeyInput.parse({ oldKeyExpiresAt: at })),
      );
      expect(error).toMatchObject({ code: 'invalid_request', field: 'oldKeyExpiresAt' });
    }
    expect(rotateKeyInput.safeParse({}).success).toBe(false);
    expect(rotateKeyInput.safeParse({ graceSeconds: 1, oldKeyExpiresAt: tooFar }).success).toBe(false);
    expect(rotateKeyInput.safeParse({ graceSeconds: -1 }).success).toBe(false);
    expect(rotateKeyInput.safeParse({ graceSeconds: 1.5 }).success).toBe(false);
    // Nothing was created by the refused attempts.
    expect(await t.prisma.apiKey.count({ where: { rotatedFromId: first.key.id } })).toBe(0);
  });
});

describe('scheduled revocation', () => {
  it('sets, audits and clears a future expiry on an existing key, and refuses one in the past', async () => {
    const { key } = await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'scheduled' }));
    const at = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const scheduled = await updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ expiresAt: at }));
    expect(scheduled).toMatchObject({ expiresAt: at, status: 'active' });
    const audit = await t.prisma.auditLog.findFirstOrThrow({
      where: { targetId: key.id, action: 'api_key.update' },
    });
    expect(audit.details).toMatchObject({ expiresAt: at });

    const past = new Date(t.clock.now().getTime() - 1).toISOString();
    const error = await rejection(
      updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ expiresAt: past })),
    );
    expect(error).toMatchObject({ code: 'invalid_request', field: 'expiresAt' });

    const cleared = await updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ expiresAt: null }));
    expect(cleared.expiresAt).toBeNull();
  });
});
