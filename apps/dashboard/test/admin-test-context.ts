import { randomBytes } from 'node:crypto';
import { createPrismaClient, hashPassword, newId, type PrismaClient } from '@switchyard/db';
import { createTestDatabase, getTestPostgresServerUrl } from '@switchyard/db/testing';
import { encode } from 'next-auth/jwt';
import { type Actor, userActor } from '../src/server/actor';
import { type AdminContext, createAdminContext } from '../src/server/admin-context';
import { parseEgressAllow } from '../src/server/egress-policy';

/**
 * Test upstreams (the mock provider) listen on loopback, which the egress policy refuses by default: tests allow
 * it as an operator would with SWITCHYARD_EGRESS_ALLOW.
 */
export const TEST_EGRESS_ALLOW = '127.0.0.1,::1,localhost';

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
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const owner = await prisma.user.create({
    data: { id: newId('usr'), email: 'owner@example.com', name: 'Owner', passwordHash, role: 'owner' },
  });
  const viewer = await prisma.user.create({
    data: { id: newId('usr'), email: 'viewer@example.com', name: 'Viewer', passwordHash, role: 'viewer' },
  });
  return {
    ctx: createAdminContext({
      prisma,
      masterKey,
      now: clock.now,
      egressAllow: parseEgressAllow(TEST_EGRESS_ALLOW),
    }),
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

/** A streamed text (a CSV export) read to its end. */
export async function readAll(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
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

/**
 * A session cookie as next-auth writes it at sign-in: a JWT naming the user and a live server-side session. The
 * session is opened through `ctx` (whose clock decides its expiry).
 */
export async function signedInCookie(ctx: AdminContext, actor: Actor, secret: string): Promise<string> {
  if (actor.kind !== 'user') throw new Error('expected a user actor');
  const expiresAt = new Date(ctx.now().getTime() + 12 * 60 * 60 * 1000);
  const { id } = await ctx.repos.consoleSessions.create(actor.userId, expiresAt);
  const token = await encode({ token: { sub: actor.userId, sid: id }, secret });
  return `next-auth.session-token=${token}`;
}
