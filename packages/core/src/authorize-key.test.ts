import { describe, expect, it } from 'vitest';
import { authorizeKey, keyAllowsModel } from './authorize-key';
import type { ApiKeyRecord } from './config-snapshot';

const key: ApiKeyRecord = {
  id: 'key_1',
  name: 'k',
  digest: 'd',
  prefix: 'sk-sy-abcd',
  teamId: null,
  environment: 'production',
  tags: [],
  allowedModels: [],
  defaultTrafficClass: 'interactive',
  allowedTrafficClasses: [],
  expiresAt: null,
  revokedAt: null,
  ownerId: null,
  rateLimit: { requestsPerMinute: null, tokensPerMinute: null },
  teamRateLimit: null,
};

describe('authorizeKey', () => {
  it('rejects unknown, revoked and expired keys with distinct codes', () => {
    expect(authorizeKey(undefined, 10)).toMatchObject({
      ok: false,
      error: { code: 'invalid_api_key', status: 401 },
    });
    expect(authorizeKey({ ...key, revokedAt: 5 }, 10)).toMatchObject({
      ok: false,
      error: { code: 'revoked_api_key' },
    });
    expect(authorizeKey({ ...key, expiresAt: 10 }, 10)).toMatchObject({
      ok: false,
      error: { code: 'expired_api_key' },
    });
    expect(authorizeKey({ ...key, expiresAt: 11, revokedAt: 11 }, 10)).toEqual({
      ok: true,
      value: { ...key, expiresAt: 11, revokedAt: 11 },
    });
  });

  it('applies the model allow-list, empty meaning all', () => {
    expect(keyAllowsModel(key, 'x')).toBe(true);
    expect(keyAllowsModel({ ...key, allowedModels: ['a'] }, 'a')).toBe(true);
    expect(keyAllowsModel({ ...key, allowedModels: ['a'] }, 'b')).toBe(false);
  });
});
