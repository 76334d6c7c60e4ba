import { randomBytes } from 'node:crypto';
import { createPrismaClient, newId, type PrismaClient } from '@switchyard/db';
import { createTestDatabase, getTestPostgresServerUrl } from '@switchyard/db/testing';
import { hash } from 'bcryptjs';
import { type Actor, userActor } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';

export const TEST_PASSWORD = 'correct horse battery staple';

/** A clock tests move by hand. */
export interface TestClock {
  now: () => Date;
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start = '2030-01-15T10:30:00.000Z'): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface AdminTestContext {
  ctx: AdminContext;
  prisma: PrismaClient;
  databaseUrl: string;
  clock: TestClock;
  masterKey: string;
  owner: Actor;
  viewer: Actor;
  close(): Promise<void>;
}

/** A fresh migrated database with an owner and a viewer (both with TEST_PASSWORD), and a context over it. */
export async function startAdminTestContext(): Promise<AdminTestContext> {
  const database = await createTestDatabase(await getTestPostgresServerUrl());
  const prisma = createPrismaClient(database.databaseUrl, { maxConnections: 4 });
  const clock = testClock();
  const masterKey = randomBytes(32).toString('hex');
  const passwordHash = await hash(TEST_PASSWORD, 4);
  const owner = await prisma.user.create({
    data: { id: newId('usr'), email: 'owner@example.com', name: 'Owner', passwordHash, role: 'owner' },
  });
  const viewer = await prisma.user.create({
    data: { id: newId('usr'), email: 'viewer@example.com', name: 'Viewer', passwordHash, role: 'viewer' },
  });
  return {
    ctx: createAdminContext({ prisma, masterKey, now: clock.now }),
    prisma,
    databaseUrl: database.databaseUrl,
    clock,
    masterKey,
    owner: userActor(owner),
    viewer: userActor(viewer),
    async close() {
      await prisma.$disconnect();
      await database.drop();
    },
  };
}

/** Runs `fn` and returns what it threw, failing the test when it did not throw. */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
