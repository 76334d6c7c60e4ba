import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Encrypts upstream credentials at rest: `v1:<iv>:<tag>:<data>`, base64url parts, AES-256-GCM. */
export interface CredentialCipher {
  encrypt(plaintext: string): string;
  /** Throws CredentialDecryptError when the text is malformed, was tampered with, or the key is wrong. */
  decrypt(ciphertext: string): string;
}

export class CredentialDecryptError extends Error {
  override name = 'CredentialDecryptError';
}

export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

export function createCredentialCipher(masterKey: Buffer): CredentialCipher {
  if (masterKey.length !== KEY_BYTES)
    throw new MasterKeyError(`master key must be ${KEY_BYTES} bytes, got ${masterKey.length}`);
  const key = Buffer.from(masterKey);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join(
        ':',
      );
    },
    decrypt(ciphertext) {
      const parts = ciphertext.split(':');
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new CredentialDecryptError(`not a ${VERSION} credential ciphertext`);
      }
      const [, ivText, tagText, dataText] = parts as [string, string, string, string];
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
        throw new CredentialDecryptError('malformed credential ciphertext');
      try {
        const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return Buffer.concat([
          decipher.update(Buffer.from(dataText, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new CredentialDecryptError(
          'credential failed authentication: wrong master key or tampered ciphertext',
        );
      }
    },
  };
}

/**
 * Parses SWITCHYARD_MASTER_KEY: 64 hex characters, or base64/base64url of exactly 32 bytes
 * (`openssl rand -hex 32` or `openssl rand -base64 32`). The error never echoes the key.
 */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
  }
  throw new MasterKeyError(
    `master key must be 32 bytes written as 64 hex characters or as base64 (try \`openssl rand -hex 32\`); got ${trimmed.length} characters that are neither`,
  );
}
