export {
  API_KEY_PREFIX,
  apiKeyDisplayPrefix,
  digestApiKey,
  type GeneratedApiKey,
  generateApiKey,
} from './api-key';
export {
  type BudgetAlertInput,
  type BudgetReportStore,
  type BudgetUsageReportRow,
  type ClaimedBudgetAlert,
  createBudgetReportStore,
} from './budget-report-repository';
export { type CreatePrismaClientOptions, createPrismaClient, Prisma, type PrismaClient } from './client';
export {
  CONFIG_CHANNEL,
  type ConfigChange,
  type ConfigListener,
  type ListenForConfigChangesOptions,
  listenForConfigChanges,
} from './config-listener';
export {
  type CredentialCipher,
  CredentialDecryptError,
  createCredentialCipher,
  MasterKeyError,
  parseMasterKey,
} from './credential-cipher';
export {
  type EmbeddedPostgres,
  type StartEmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './embedded-postgres';
export { createHealthStore, type HealthStore, type TargetHealthRow } from './health-repository';
export { newId } from './ids';
export {
  type ApplyMigrationsOptions,
  type ApplyMigrationsResult,
  applyMigrations,
  DatabaseUnreachableError,
} from './migrate';
export {
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordNeedsRehash,
  verifyPassword,
} from './password';
export { redactDatabaseUrl } from './redact-database-url';
export { repositoryRoot } from './repository-root';
export {
  createFirstOwner,
  DEMO_PUBLIC_MODEL,
  MOCK_UPSTREAM_MODEL,
  type SeedOptions,
  type SeedResult,
  seedIfEmpty,
} from './seed';
export { createSmallPool } from './small-pool';
export {
  type LoadConfigSnapshotOptions,
  loadConfigSnapshot,
  loadConfigVersion,
  refreshBudgetSpend,
} from './snapshot-repository';
export {
  createUsageBatchWriter,
  encodeUsageBatch,
  type InsertUsageEventsResult,
  insertUsageEvents,
  positionalUsageRow,
  serializeUsageEvent,
  type UsageBatchWriteResult,
  type UsageBatchWriter,
  usageRollupUpsertSql,
  usageRowObject,
} from './usage-repository';
export {
  PAYLOAD_RETENTION_LOCK,
  type PruneUsageEventsOptions,
  type PruneUsageEventsResult,
  pruneOlderThan,
  pruneRequestPayloads,
  pruneUsageEvents,
  type RetainedTable,
  USAGE_RETENTION_LOCK,
} from './usage-retention';
