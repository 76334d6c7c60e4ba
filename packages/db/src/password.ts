import bcrypt from 'bcryptjs';

/** bcrypt cost for console passwords: slow enough to resist offline guessing, fast enough for sign-in. */
export const BCRYPT_COST = 12;

/** Hashes a console user's password for the users table. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}
