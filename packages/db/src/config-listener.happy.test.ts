import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from './client';
import { type ConfigChange, type ConfigListener, listenForConfigChanges } from './config-listener';
import {
  buildUsageEvent,
  createTestDatabase,
  getTestPostgresServerUrl,
  type TestDatabase,
  waitFor,
} from './testing';
import { insertUsageEvents } from './usage-repository';

describe('listenForConfigChanges', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let listener: ConfigListener;
  const changes: ConfigChange[] = [];
  const logs: string[] = [];

  /** Index past which the next expected change must appear. */
  const mark = () => changes.length;
  const notifiedSince = (from: number, table: string) =>
    changes.slice(from).some((c) => c.reason === 'notify' && c.table === table);

  beforeAll(async () => {
    db = await createTestDatabase(await getTestPostgresServerUrl());
    prisma = createPrismaClient(db.databaseUrl);
    listener = listenForConfigChanges(db.databaseUrl, (change) => changes.push(change), {
      log: (message) => logs.push(message),
      initialBackoffMs: 50,
      maxBackoffMs: 200,
    });
    await waitFor('the first LISTEN', () => changes.some((c) => c.reason === 'connected'));
  });
  afterAll(async () => {
    await listener.close();
    await prisma.$disconnect();
    await db.drop();
  });

  it('reports the first connection so the caller can reload anything it may have missed', () => {
    expect(changes[0]).toEqual({ reason: 'connected', reconnect: false });
  });

  it('delivers a notification naming the table after a committed config change', async () => {
    const from = mark();
    await prisma.provider.create({
      data: { id: 'prv_1', name: 'one', kind: 'openai', baseUrl: 'http://a.test/v1' },
    });
    await waitFor('providers notification', () => notifiedSince(from, 'providers'));

    const next = mark();
    await prisma.provider.update({ where: { id: 'prv_1' }, data: { enabled: false } });
    await waitFor('providers update notification', () => notifiedSince(next, 'providers'));
  });

  it('does not announce usage bookkeeping (last_used_at) as a config change, but does announce key edits', async () => {
    const created = mark();
    await prisma.apiKey.create({ data: { id: 'key_1', name: 'k', digest: 'd', prefix: 'sk-sy-xxxx' } });
    await waitFor('api_keys insert notification', () => notifiedSince(created, 'api_keys'));
    const from = mark();
    await insertUsageEvents(prisma, [
      buildUsageEvent({
        requestId: 'req_1',
        keyId: 'key_1',
        environment: null,
        requestedModel: 'm',
        servedProviderId: null,
        servedAccountId: null,
        servedModel: null,
        latencyMs: 1,
        createdAt: Date.now(),
      }),
    ]);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: 'key_1' } })).lastUsedAt).not.toBeNull();
    // Notifications arrive in commit order: once the later routes change is seen, an api_keys one would have been too.
    await prisma.route.create({ data: { id: 'rt_1', publicModel: 'chat' } });
    await waitFor('routes notification', () => notifiedSince(from, 'routes'));
    expect(notifiedSince(from, 'api_keys')).toBe(false);

    const next = mark();
    await prisma.apiKey.update({ where: { id: 'key_1' }, data: { revokedAt: new Date() } });
    await waitFor('api_keys notification', () => notifiedSince(next, 'api_keys'));
  });

  it('reconnects after its connection is killed, says so, and keeps delivering', async () => {
    const from = mark();
    const admin = new pg.Client({ connectionString: db.databaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ killed: boolean }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
         WHERE application_name = 'switchyard-config-listener' AND datname = current_database()`,
      );
      expect(rows).toEqual([{ killed: true }]);
    } finally {
      await admin.end();
    }
    await waitFor('a reconnect', () =>
      changes.slice(from).some((c) => c.reason === 'connected' && c.reconnect),
    );
    expect(logs.some((line) => line.includes('connection lost'))).toBe(true);

    const next = mark();
    await prisma.price.create({
      data: {
        id: 'price_1',
        providerId: 'prv_1',
        model: 'm',
        inputMicrosPerMillion: 1n,
        outputMicrosPerMillion: 2n,
      },
    });
    await waitFor('prices notification after reconnect', () => notifiedSince(next, 'prices'));
  });

  it('keeps retrying while the database is unreachable and never throws to the caller', async () => {
    const unreachable: string[] = [];
    const orphan = listenForConfigChanges('postgresql://nobody@127.0.0.1:1/none', () => {}, {
      log: (message) => unreachable.push(message),
      initialBackoffMs: 10,
      maxBackoffMs: 20,
    });
    await waitFor(
      'two failed attempts',
      () => unreachable.filter((line) => line.includes('cannot listen')).length >= 2,
    );
    await orphan.close();
  });

  it('survives an onChange that throws', async () => {
    const thrown: string[] = [];
    const angry = listenForConfigChanges(
      db.databaseUrl,
      () => {
        throw new Error('boom');
      },
      { log: (message) => thrown.push(message) },
    );
    await waitFor('the thrown error to be logged', () => thrown.some((line) => line.includes('boom')));
    await angry.close();
  });
});
