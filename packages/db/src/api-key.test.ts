import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestApiKey, generateApiKey } from './api-key';

describe('generateApiKey', () => {
  it('returns an sk-sy- key with 43 base62 characters, its sha256 digest and a 10-character prefix', () => {
    const key = generateApiKey();
    expect(key.plaintext).toMatch(/^sk-sy-[0-9A-Za-z]{43}$/);
    expect(key.digest).toBe(createHash('sha256').update(key.plaintext).digest('hex'));
    expect(key.prefix).toBe(key.plaintext.slice(0, 10));
    expect(key.prefix).toMatch(/^sk-sy-[0-9A-Za-z]{4}$/);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().plaintext));
    expect(keys.size).toBe(1000);
  });
});

describe('digestApiKey', () => {
  it('is the sha256 hex of the presented key, so lookups match what generateApiKey stored', () => {
    const key = generateApiKey();
    expect(digestApiKey(key.plaintext)).toBe(key.digest);
    expect(digestApiKey('sk-sy-abc')).toBe(
      '57b493135abd78a22836d8dcc7502276673659c180d4108cb686323bff07889b',
    );
    expect(digestApiKey(key.plaintext)).toMatch(/^[0-9a-f]{64}$/);
  });
});
