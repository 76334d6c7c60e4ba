import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CredentialDecryptError,
  createCredentialCipher,
  MasterKeyError,
  parseMasterKey,
} from './credential-cipher';

const key = Buffer.alloc(32, 7);

describe('createCredentialCipher', () => {
  it('round-trips a credential through the v1 format', () => {
    const cipher = createCredentialCipher(key);
    const secret = 'sk-upstream-Ünïcødé-🔑-0123456789';
    const ciphertext = cipher.encrypt(secret);
    expect(ciphertext).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(ciphertext).not.toContain(secret);
    expect(cipher.decrypt(ciphertext)).toBe(secret);
  });

  it('uses a fresh IV per encryption', () => {
    const cipher = createCredentialCipher(key);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('rejects a tampered ciphertext', () => {
    const cipher = createCredentialCipher(key);
    const [version, iv, tag, data] = cipher.encrypt('secret-value').split(':') as [
      string,
      string,
      string,
      string,
    ];
    const bytes = Buffer.from(data, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const tampered = [version, iv, tag, bytes.toString('base64url')].join(':');
    expect(() => cipher.decrypt(tampered)).toThrow(CredentialDecryptError);
    expect(() => cipher.decrypt(tampered)).toThrow(/wrong master key or tampered/);
  });

  it('rejects decryption with another key', () => {
    const ciphertext = createCredentialCipher(key).encrypt('secret-value');
    expect(() => createCredentialCipher(Buffer.alloc(32, 8)).decrypt(ciphertext)).toThrow(
      CredentialDecryptError,
    );
  });

  it('rejects text that is not a v1 ciphertext', () => {
    const cipher = createCredentialCipher(key);
    expect(() => cipher.decrypt('plaintext-credential')).toThrow(/not a v1 credential ciphertext/);
    expect(() => cipher.decrypt('v1:AA:BB:CC')).toThrow(/malformed/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createCredentialCipher(Buffer.alloc(16))).toThrow(MasterKeyError);
  });
});

describe('parseMasterKey', () => {
  const bytes = randomBytes(32);

  it('accepts 64 hex characters', () => {
    expect(parseMasterKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseMasterKey(` ${bytes.toString('hex').toUpperCase()}\n`)).toEqual(bytes);
  });

  it('accepts base64 and base64url of 32 bytes', () => {
    expect(parseMasterKey(bytes.toString('base64'))).toEqual(bytes);
    expect(parseMasterKey(bytes.toString('base64url'))).toEqual(bytes);
  });

  it('rejects other lengths with a readable message that does not echo the key', () => {
    const short = randomBytes(16).toString('hex');
    expect(() => parseMasterKey(short)).toThrow(MasterKeyError);
    expect(() => parseMasterKey(short)).toThrow(/64 hex characters or as base64/);
    expect(() => parseMasterKey(short)).not.toThrow(new RegExp(short));
    expect(() => parseMasterKey('not a key at all!')).toThrow(MasterKeyError);
  });
});
