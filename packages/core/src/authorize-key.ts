import type { ApiKeyRecord } from './config-snapshot';
import { fail, gatewayError, ok, type Result } from './gateway-error';

/**
 * Decides whether a looked-up key may be used at `now` (epoch ms). `key` is undefined when the digest
 * matched nothing. Messages never echo the presented secret.
 */
export function authorizeKey(key: ApiKeyRecord | undefined, now: number): Result<ApiKeyRecord> {
  if (!key) return fail(gatewayError('invalid_api_key', 'Incorrect API key provided.'));
  if (key.revokedAt !== null && key.revokedAt <= now) {
    return fail(gatewayError('revoked_api_key', `API key ${key.prefix}… has been revoked.`));
  }
  if (key.expiresAt !== null && key.expiresAt <= now) {
    return fail(gatewayError('expired_api_key', `API key ${key.prefix}… has expired.`));
  }
  return ok(key);
}

/** True when the key's allow-list permits the public model (an empty list allows every model). */
export function keyAllowsModel(key: ApiKeyRecord, publicModel: string): boolean {
  return key.allowedModels.length === 0 || key.allowedModels.includes(publicModel);
}
