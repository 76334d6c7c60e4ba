import pg from 'pg';
import { defaultMigrationsDir, readMigrationsDirectory } from './migrations-directory';
import { redactDatabaseUrl } from './redact-database-url';
import { openSchemaEngine } from './schema-engine';

/** Arbitrary constant ("SWMIGR"): every Switchyard process migrating the same database queues on it. */
const MIGRATION_LOCK_KEY = '91823946827090';

export interface ApplyMigrationsOptions {
  log?: (message: string) => void;
  /** Defaults to this repository's `prisma/migrations`. */
  migrationsDir?: string;
}

export interface ApplyMigrationsResult {
  /** Migrations applied by this call, oldest first; empty when the database was already up to date. */
  applied: string[];
}

/** Raised when the database cannot be reached at all, as opposed to a migration failing. */
export class DatabaseUnreachableError extends Error {
  constructor(databaseUrl: string, cause: unknown) {
    const reason =
      cause instanceof Error ? cause.message || (cause as NodeJS.ErrnoException).code : String(cause);
    super(`cannot connect to ${redactDatabaseUrl(databaseUrl)}: ${reason}`, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Applies the pending migrations of `prisma/migrations` with Prisma's schema engine (wasm), recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would. Idempotent; concurrent callers (several router
 * instances starting at once) serialise on a Postgres advisory lock.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => {});
  const migrationsList = await readMigrationsDirectory(options.migrationsDir ?? defaultMigrationsDir);

  const lockClient = new pg.Client({ connectionString: databaseUrl });
  lockClient.on('error', () => {});
  try {
    await lockClient.connect();
  } catch (error) {
    throw new DatabaseUnreachableError(databaseUrl, error);
  }
  try {
    await lockClient.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    const { run, close } = await openSchemaEngine(databaseUrl);
    try {
      const { appliedMigrationNames } = await run((engine) =>
        engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } }),
      );
      for (const name of appliedMigrationNames) log(`applied migration ${name}`);
      if (appliedMigrationNames.length === 0) log('database schema is up to date');
      return { applied: appliedMigrationNames };
    } finally {
      await close();
    }
  } finally {
    // Ending the session releases the advisory lock even if the unlock query cannot be sent.
    await lockClient.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await lockClient.end().catch(() => {});
  }
}
