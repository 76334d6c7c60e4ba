import { describe, expect, it } from 'vitest';
import { apiKeyStatus } from './api-key-status';

describe('apiKeyStatus', () => {
  const now = 1_000_000;

  it('is active until the expiry instant, expired from it on', () => {
    expect(apiKeyStatus({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(apiKeyStatus({ revokedAt: null, expiresAt: now + 1 }, now)).toBe('active');
    expect(apiKeyStatus({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
  });

  it('reports revocation over expiry', () => {
    expect(apiKeyStatus({ revokedAt: now - 10, expiresAt: now - 5 }, now)).toBe('revoked');
  });
});
