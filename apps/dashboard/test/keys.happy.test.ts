import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createKey,
  createKeyInput,
  getKey,
  listKeys,
  revokeKey,
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

const DAY_MS = 86_400_000;

function input(fields: z.input<typeof createKeyInput>) {
  return createKeyInput.parse(fields);
}

describe('creating a key', () => {
  it('returns the plaintext once and stores only its sha256 digest', async () => {
    const { key, plaintext } = await createKey(
      t.ctx,
      t.owner,
      input({ name: 'checkout', environment: 'staging', allowedModels: ['demo-chat', 'demo-chat'] }),
    );

    expect(plaintext.startsWith(key.prefix)).toBe(true);
    expect(key).toMatchObject({
      name: 'checkout',
      environment: 'staging',
      status: 'active',
      allowedModels: ['demo-chat'],
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      ownerId: t.owner.kind === 'user' ? t.owner.userId : 'missing',
      createdAt: t.clock.now().toISOString(),
    });
    const row = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.digest).toBe(createHash('sha256').update(plaintext).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(plaintext);
    expect(JSON.stringify(await getKey(t.ctx, t.owner, key.id))).not.toContain(plaintext);
  });

  it('records who created it in the audit log, without the plaintext', async () => {
    const { key, plaintext } = await createKey(t.ctx, t.owner, input({ name: 'audited' }));
    const audit = await t.prisma.auditLog.findMany({ where: { targetId: key.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'api_key.create',
      actorType: 'user',
      actorId: t.owner.kind === 'user' ? t.owner.userId : 'missing',
      targetType: 'api_key',
    });
    expect(JSON.stringify(audit[0]?.details)).not.toContain(plaintext);
  });

  it('records the admin token as actor when the token made the change', async () => {
    const { key } = await createKey(
      t.ctx,
      { kind: 'admin_token', role: 'owner', teamId: null },
      input({ name: 'by-token' }),
    );
    expect(key.ownerId).toBeNull();
    const audit = await t.prisma.auditLog.findFirstOrThrow({ where: { targetId: key.id } });
    expect(audit).toMatchObject({ actorType: 'admin_token', actorId: null });
  });
});

describe('key status', () => {
  it('is expired once the clock passes expiresAt, and revoked after revocation', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + DAY_MS).toISOString();
    const { key } = await createKey(t.ctx, t.owner, input({ name: 'short-lived', expiresAt }));
    expect(key.status).toBe('active');
    expect(key.expiresAt).toBe(expiresAt);

    t.clock.advance(DAY_MS);
    expect((await getKey(t.ctx, t.owner, key.id)).status).toBe('expired');

    const revoked = await revokeKey(t.ctx, t.owner, key.id);
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedAt).toBe(t.clock.now().toISOString());
  });

  it('revoking twice keeps the first revocation time and writes one audit row', async () => {
    const { key } = await createKey(t.ctx, t.owner, input({ name: 'revoke-twice' }));
    const first = await revokeKey(t.ctx, t.owner, key.id);
    t.clock.advance(60_000);
    const second = await revokeKey(t.ctx, t.owner, key.id);
    expect(second.revokedAt).toBe(first.revokedAt);
    const revocations = await t.prisma.auditLog.count({
      where: { targetId: key.id, action: 'api_key.revoke' },
    });
    expect(revocations).toBe(1);
  });
});

describe('listing keys', () => {
  it('filters by status and pages newest first with a cursor', async () => {
    const soon = new Date(t.clock.now().getTime() + 500).toISOString();
    const { key: expiring } = await createKey(t.ctx, t.owner, input({ name: 'expiring', expiresAt: soon }));
    const { key: revoked } = await createKey(t.ctx, t.owner, input({ name: 'revoked' }));
    await revokeKey(t.ctx, t.owner, revoked.id);
    const names: string[] = [];
    for (const name of ['page-a', 'page-b', 'page-c']) {
      t.clock.advance(1_000);
      await createKey(t.ctx, t.owner, input({ name }));
      names.unshift(name);
    }

    const byStatus = async (status: 'active' | 'revoked' | 'expired') => {
      const page = await listKeys(t.ctx, t.viewer, { status, limit: 500 });
      expect(page.items.every((key) => key.status === status)).toBe(true);
      return page.items.map((key) => key.id);
    };
    const active = await listKeys(t.ctx, t.viewer, { status: 'active', limit: 500 });
    expect(active.items.slice(0, 3).map((key) => key.name)).toEqual(names);
    expect(await byStatus('active')).not.toContain(expiring.id);
    expect(await byStatus('expired')).toContain(expiring.id);
    expect(await byStatus('revoked')).toContain(revoked.id);
    expect(await byStatus('active')).not.toContain(revoked.id);

    const everything = await listKeys(t.ctx, t.viewer, { limit: 500 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listKeys(t.ctx, t.viewer, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((key) => key.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(everything.items.map((key) => key.id));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('traffic classes', () => {
  it('defaults to interactive with every class allowed', async () => {
    const { key } = await createKey(t.ctx, t.owner, input({ name: 'plain' }));
    expect([key.defaultTrafficClass, key.allowedTrafficClasses]).toEqual(['interactive', []]);
  });

  it('stores a default and an allow-list, deduplicated, and takes the first allowed class as default', async () => {
    const { key } = await createKey(
      t.ctx,
      t.owner,
      input({
        name: 'evals',
        defaultTrafficClass: 'evaluation',
        allowedTrafficClasses: ['evaluation', 'background', 'evaluation'],
      }),
    );
    expect([key.defaultTrafficClass, key.allowedTrafficClasses]).toEqual([
      'evaluation',
      ['evaluation', 'background'],
    ]);
    const row = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect([row.defaultTrafficClass, row.allowedTrafficClasses]).toEqual([
      'evaluation',
      ['evaluation', 'background'],
    ]);

    const { key: implicit } = await createKey(
      t.ctx,
      t.owner,
      input({ name: 'media-only', allowedTrafficClasses: ['media', 'agent'] }),
    );
    expect(implicit.defaultTrafficClass).toBe('media');
  });

  it('changes the classes of a key and audits the change', async () => {
    const { key } = await createKey(t.ctx, t.owner, input({ name: 'reclassified' }));
    const updated = await updateKey(
      t.ctx,
      t.owner,
      key.id,
      updateKeyInput.parse({ defaultTrafficClass: 'agent', allowedTrafficClasses: ['agent', 'interactive'] }),
    );
    expect(updated).toMatchObject({
      id: key.id,
      name: 'reclassified',
      defaultTrafficClass: 'agent',
      allowedTrafficClasses: ['agent', 'interactive'],
    });
    const widened = await updateKey(
      t.ctx,
      t.owner,
      key.id,
      updateKeyInput.parse({ allowedTrafficClasses: [] }),
    );
    expect([widened.defaultTrafficClass, widened.allowedTrafficClasses]).toEqual(['agent', []]);
    // Three transactions may share a millisecond: compare contents, not order.
    const audit = await t.prisma.auditLog.findMany({ where: { targetId: key.id } });
    expect(audit).toHaveLength(3);
    expect(audit.map((row) => [row.action, row.details])).toEqual(
      expect.arrayContaining([
        ['api_key.create', expect.objectContaining({ defaultTrafficClass: 'interactive' })],
        ['api_key.update', { defaultTrafficClass: 'agent', allowedTrafficClasses: ['agent', 'interactive'] }],
        ['api_key.update', { allowedTrafficClasses: [] }],
      ]),
    );
  });
});
