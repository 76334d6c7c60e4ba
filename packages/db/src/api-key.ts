import { hash } from 'node:crypto';
import { randomBase62 } from './random-base62';

export const API_KEY_PREFIX = 'sk-sy-';
/** Admin API tokens for scripts: told apart from data-plane keys at a glance and by the admin API. */
export const ADMIN_TOKEN_PREFIX = 'sy-adm-';
/** The secret in a one-time console invite link. */
export const INVITE_SECRET_PREFIX = 'sy-inv-';
/** 43 base62 characters carry 256 bits. */
const SECRET_CHARS = 43;
const DISPLAY_PREFIX_CHARS = 10;
/** Random characters an admin token's display prefix shows after `sy-adm-`. */
const DISPLAY_RANDOM_CHARS = 4;

export interface GeneratedApiKey {
  /** Shown to the user once; never stored. */
  plaintext: string;
  /** sha256 hex of the plaintext: what is stored and looked up. */
  digest: string;
  /** First 10 characters (e.g. "sk-sy-AbC1"), safe to display and log. */
  prefix: string;
}

export function generateApiKey(): GeneratedApiKey {
  const plaintext = `${API_KEY_PREFIX}${randomBase62(SECRET_CHARS)}`;
  return { plaintext, digest: digestApiKey(plaintext), prefix: apiKeyDisplayPrefix(plaintext) };
}

/**
 * A 256-bit secret with a readable prefix (admin tokens, invite links), its sha256 digest (what is stored) and a
 * display prefix: the readable prefix and the first random characters.
 */
export function generateSecret(prefix: string): GeneratedApiKey {
  const plaintext = `${prefix}${randomBase62(SECRET_CHARS)}`;
  return {
    plaintext,
    digest: digestApiKey(plaintext),
    prefix: plaintext.slice(0, prefix.length + DISPLAY_RANDOM_CHARS),
  };
}

/**
 * sha256 hex of a presented key. A fast hash is right here: the key has 256 bits of entropy, not a password's.
 * The one-shot `hash` creates no Hash object (a native wrapper the young GC cannot free), unlike `createHash`.
 */
export function digestApiKey(plaintext: string): string {
  return hash('sha256', plaintext, 'hex');
}

export function apiKeyDisplayPrefix(plaintext: string): string {
  return plaintext.slice(0, DISPLAY_PREFIX_CHARS);
}
