import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordNeedsRehash, verifyPassword } from './password';

describe('console password hashing', () => {
  it('verifies what it hashed, refuses another password, and salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(passwordNeedsRehash(a)).toBe(false);
  });

  it('still accepts a legacy bcrypt hash and asks for it to be replaced', async () => {
    const legacy = await bcrypt.hash('old password', 4);
    expect(await verifyPassword('old password', legacy)).toBe(true);
    expect(await verifyPassword('old passwore', legacy)).toBe(false);
    expect(passwordNeedsRehash(legacy)).toBe(true);
  });

  it('refuses unreadable or dangerous stored values instead of throwing', async () => {
    for (const stored of [
      '',
      'plaintext',
      'scrypt$1073741824$8$1$AAAA$AAAA',
      'scrypt$32768$8$1$AAAA$short',
    ]) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
    }
  });

  it('keeps the event loop turning while a hash is pending', async () => {
    // scrypt runs in libuv's thread pool, so a timer due in 5 ms fires long before the hash (tens of ms) is done;
    // a hash computed on the loop would finish first. (That it is the pool is by construction: node:crypto's async
    // scrypt; a loop-blocking gap is too load-dependent to assert here.)
    let timerFiredFirst = false;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        timerFiredFirst = true;
        resolve();
      }, 5),
    );
    const hashed = hashPassword('p').then(() => timerFiredFirst);
    await timer;
    expect(await hashed).toBe(true);
  });
});
