import { CATALOG_SOURCE_DATE, seedPriceCatalog } from '@switchyard/core';
import { appendAuditLog } from './admin/append-audit-log';
import { importPriceEntries } from './admin/price-rows';
import { generateApiKey } from './api-key';
import type { Prisma, PrismaClient } from './client';
import type { CredentialCipher } from './credential-cipher';
import { newId } from './ids';
import { hashPassword } from './password';
import { randomBase62 } from './random-base62';

/** Arbitrary constant ("SWSEED"): concurrent first starts serialise here so only one of them seeds. */
const SEED_LOCK_KEY = '91823956506948';

export const DEMO_PUBLIC_MODEL = 'demo-chat';
export const MOCK_UPSTREAM_MODEL = 'mock-gpt-4o-mini';

export interface SeedOptions {
  adminEmail: string;
  /** Generated (and returned) when absent. */
  adminPassword?: string;
  /** The mock provider's OpenAI base URL including `/v1`, e.g. `http://127.0.0.1:4010/v1`. */
  mockBaseUrl: string;
}

export type SeedResult =
  | { seeded: false }
  | {
      seeded: true;
      /** Plaintexts are returned once, to be printed once; only hashes/digests are stored. */
      admin: { id: string; email: string; password: string; passwordGenerated: boolean };
      demoApiKey: { id: string; plaintext: string; prefix: string };
      provider: { id: string; name: string };
      account: { id: string; name: string };
      route: { id: string; publicModel: string };
      /** Catalog rows loaded from the core seeded catalog (list prices as of its source date). */
      priceCatalog: { created: number; sourceDate: string };
    };

/** Who created the first owner, for the audit log. */
const BOOTSTRAP_ACTOR = { type: 'anonymous', id: 'SWITCHYARD_BOOTSTRAP_EMAIL' } as const;

/**
 * The console's first owner and nothing else (no demo provider or key: a production deployment's first start),
 * created only while the database has no user at all. Safe to run on every deploy and from several processes at
 * once: the first-start lock of `seedIfEmpty` serialises them. Null when a user exists already.
 */
export async function createFirstOwner(
  prisma: PrismaClient,
  owner: { email: string; password: string },
): Promise<{ id: string; email: string } | null> {
  if ((await prisma.user.count()) > 0) return null;
  const passwordHash = await hashPassword(owner.password);
  return whileNoUser(prisma, async (tx) => {
    const id = newId('usr');
    const email = owner.email.trim().toLowerCase();
    await tx.user.create({ data: { id, email, name: 'Owner', passwordHash, role: 'owner' } });
    await appendAuditLog(tx, BOOTSTRAP_ACTOR, {
      action: 'user.create',
      targetType: 'user',
      targetId: id,
      details: { email, role: 'owner', teamId: null, invited: false },
    });
    return { id, email };
  });
}

/**
 * First-start data, written only when the database has no user at all: an owner, the mock provider with one
 * account, a `demo-chat` route to it, a price for its model, the seeded price catalog (catalog rows: no
 * provider, vendor set) and one demo API key. Safe to call on every start and from several processes at once.
 */
export async function seedIfEmpty(
  prisma: PrismaClient,
  cipher: CredentialCipher,
  options: SeedOptions,
): Promise<SeedResult> {
  if ((await prisma.user.count()) > 0) return { seeded: false };

  const password = options.adminPassword ?? randomBase62(20);
  // Hash outside the transaction: bcrypt is deliberately slow and the lock should be held briefly.
  const passwordHash = await hashPassword(password);
  const apiKey = generateApiKey();
  const ids = {
    user: newId('usr'),
    provider: newId('prv'),
    account: newId('acc'),
    route: newId('rt'),
    target: newId('tgt'),
    price: newId('price'),
    key: newId('key'),
  };

  const seeded = await whileNoUser(prisma, async (tx) => {
    const admin = await tx.user.create({
      data: { id: ids.user, email: options.adminEmail, name: 'Owner', passwordHash, role: 'owner' },
    });
    const provider = await tx.provider.create({
      data: {
        id: ids.provider,
        name: 'mock',
        kind: 'openai_compatible',
        baseUrl: options.mockBaseUrl.replace(/\/+$/, ''),
      },
    });
    const account = await tx.upstreamAccount.create({
      data: {
        id: ids.account,
        providerId: provider.id,
        name: 'mock-primary',
        // The mock provider accepts any key; a real-looking dummy exercises the encryption path end to end.
        credentialCiphertext: cipher.encrypt(`mock-${randomBase62(24)}`),
      },
    });
    const route = await tx.route.create({
      data: {
        id: ids.route,
        publicModel: DEMO_PUBLIC_MODEL,
        description: 'Demo route to the bundled mock provider',
        targets: { create: { id: ids.target, accountId: account.id, upstreamModel: MOCK_UPSTREAM_MODEL } },
      },
    });
    await tx.price.create({
      data: {
        id: ids.price,
        providerId: provider.id,
        model: MOCK_UPSTREAM_MODEL,
        // $0.15 / $0.60 per million tokens, in micro-USD.
        inputMicrosPerMillion: 150_000n,
        outputMicrosPerMillion: 600_000n,
        cachedInputMicrosPerMillion: 75_000n,
        effectiveFrom: new Date(0),
      },
    });
    // Idempotent by itself too: rows already stored identically are skipped, never duplicated.
    const catalog = await importPriceEntries(tx, seedPriceCatalog());
    if (!catalog.ok) {
      throw new Error(`Seed price catalog clashes with stored prices: ${JSON.stringify(catalog.error)}`);
    }
    const key = await tx.apiKey.create({
      data: {
        id: ids.key,
        name: 'Demo key',
        digest: apiKey.digest,
        prefix: apiKey.prefix,
        ownerId: admin.id,
        environment: 'development',
      },
    });

    return {
      seeded: true,
      admin: {
        id: admin.id,
        email: admin.email,
        password,
        passwordGenerated: options.adminPassword === undefined,
      },
      demoApiKey: { id: key.id, plaintext: apiKey.plaintext, prefix: apiKey.prefix },
      provider: { id: provider.id, name: provider.name },
      account: { id: account.id, name: account.name },
      route: { id: route.id, publicModel: route.publicModel },
      priceCatalog: { created: catalog.value.created, sourceDate: CATALOG_SOURCE_DATE },
    } as const;
  });
  return seeded ?? { seeded: false };
}

/**
 * Runs `write` in a transaction holding the first-start lock, unless the database has a user by then (null):
 * concurrent first starts serialise on the lock and only the first one writes.
 */
function whileNoUser<T>(
  prisma: PrismaClient,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T | null> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY}::bigint)`;
    if ((await tx.user.count()) > 0) return null;
    return write(tx);
  });
}
