import type { ApiKeyStatus } from './admin-records';

/** Revocation wins over expiry: a revoked key stays "revoked" after its expiry passes. */
export function apiKeyStatus(
  key: { revokedAt: number | null; expiresAt: number | null },
  now: number,
): ApiKeyStatus {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  return 'active';
}
