import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * scrypt cost for console passwords (N = 2^15, r = 8, p = 1: 32 MiB, about 100 ms). Node runs scrypt in libuv's
 * thread pool, so a sign-in never blocks the event loop the way a JavaScript bcrypt does.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const PREFIX = 'scrypt';

function derive(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** A console password's length bounds (the console and `npm run user:create` both enforce them). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Hashes a console user's password for the users table: `scrypt$N$r$p$<salt>$<key>` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, SCRYPT);
  return [PREFIX, SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** True when a stored hash uses older or weaker parameters and should be replaced after a successful sign-in. */
export function passwordNeedsRehash(stored: string): boolean {
  return !stored.startsWith(`${PREFIX}$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$`);
}

/**
 * Checks a password against a stored hash; false for anything unreadable. Hashes written before scrypt (bcryptjs,
 * `$2a$`/`$2b$`) are still accepted; the sign-in replaces them (see passwordNeedsRehash).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$2')) return bcrypt.compare(password, stored);
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (N === undefined || r === undefined || p === undefined) return false;
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (!Number.isInteger(Math.log2(N)) || N < 2 ** 10 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) {
    return false;
  }
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  return timingSafeEqual(await derive(password, salt, { N, r, p }), expected);
}
