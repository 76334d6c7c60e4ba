import { lookup } from 'node:dns/promises';
import {
  type AdminRepositories,
  createAdminRepositories,
  createCredentialCipher,
  createPrismaClient,
  type PrismaClient,
  parseMasterKey,
} from '@switchyard/db/admin';
import { getEnv } from '../env';
import { AdminError } from './admin-error';
import {
  createEgressPolicy,
  type EgressAllowEntry,
  type EgressPolicy,
  type ResolveHost,
} from './egress-policy';
import { createMemorySignInThrottle, type SignInThrottle } from './sign-in-throttle';

/** What every server function is handed: repositories, the credential cipher and a clock. */
export interface AdminContext {
  repos: AdminRepositories;
  /** Encrypts an upstream credential for storage; fails when no master key is configured. */
  encryptCredential(plaintext: string): string;
  /** Decrypts a stored credential, or null when no master key is configured or it cannot be read with this one. */
  decryptCredential(ciphertext: string): string | null;
  now(): Date;
  /** Failed console sign-ins and their backoff (in this process). */
  signInThrottle: SignInThrottle;
  /** Which hosts provider base URLs and webhooks may name. */
  egress: EgressPolicy;
  /** PAYLOAD_RETENTION_DAYS: how long the routers keep captured payloads (shown beside them). */
  payloadRetentionDays: number;
}

export interface AdminContextOptions {
  prisma: PrismaClient;
  /** SWITCHYARD_MASTER_KEY as text; without it, storing upstream credentials is refused. */
  masterKey?: string;
  now?: () => Date;
  /** SWITCHYARD_EGRESS_ALLOW, parsed; without it loopback, metadata and private addresses are refused. */
  egressAllow?: readonly EgressAllowEntry[];
  resolveHost?: ResolveHost;
  /** PAYLOAD_RETENTION_DAYS; default 7, the routers' default. */
  payloadRetentionDays?: number;
}

const RESOLVE_TIMEOUT_MS = 3_000;

/** Every address of a host name, from the system resolver (as the routers' connections will see it). */
const resolveWithSystem: ResolveHost = async (hostname) => {
  const answer = lookup(hostname, { all: true, verbatim: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`resolving ${hostname} timed out`)), RESOLVE_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([answer, timeout])).map((entry) => entry.address);
  } finally {
    clearTimeout(timer);
  }
};

export function createAdminContext({
  prisma,
  masterKey,
  now = () => new Date(),
  egressAllow = [],
  resolveHost = resolveWithSystem,
  payloadRetentionDays = 7,
}: AdminContextOptions): AdminContext {
  const cipher = masterKey === undefined ? null : createCredentialCipher(parseMasterKey(masterKey));
  return {
    repos: createAdminRepositories(prisma, { now }),
    encryptCredential(plaintext) {
      if (!cipher) {
        throw new AdminError(
          'internal',
          'SWITCHYARD_MASTER_KEY is not configured; upstream credentials cannot be stored.',
        );
      }
      return cipher.encrypt(plaintext);
    },
    decryptCredential(ciphertext) {
      if (!cipher) return null;
      try {
        return cipher.decrypt(ciphertext);
      } catch {
        return null;
      }
    },
    now,
    signInThrottle: createMemorySignInThrottle(now),
    egress: createEgressPolicy(egressAllow, resolveHost),
    payloadRetentionDays,
  };
}

// One pool per server process, on globalThis: Next bundles route handlers, pages and instrumentation as separate
// module graphs (and `next dev` reloads modules), so a module-level client would open a pool per graph.
const shared = globalThis as unknown as { switchyardPrisma?: PrismaClient };

// The context itself stays per module graph: its repositories throw error classes that this graph's
// toAdminError must recognise with instanceof, which fails for classes loaded by another graph.
let context: AdminContext | undefined;

/** The process-wide context, built from the validated environment on first use. */
export function getAdminContext(): AdminContext {
  if (!context) {
    const env = getEnv();
    shared.switchyardPrisma ??= createPrismaClient(env.DATABASE_URL);
    context = createAdminContext({
      prisma: shared.switchyardPrisma,
      masterKey: env.SWITCHYARD_MASTER_KEY,
      egressAllow: env.SWITCHYARD_EGRESS_ALLOW,
      payloadRetentionDays: env.PAYLOAD_RETENTION_DAYS,
    });
  }
  return context;
}
