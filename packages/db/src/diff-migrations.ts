import { readFile } from 'node:fs/promises';
import {
  defaultMigrationsDir,
  defaultSchemaPath,
  migrationLockFileContent,
  readMigrationsDirectory,
} from './migrations-directory';
import { openSchemaEngine } from './schema-engine';

export interface MigrationsDiff {
  /** True when the schema needs DDL the migrations do not contain. */
  hasChanges: boolean;
  /** The SQL that would bring a database migrated by the folder to the schema (Prisma's migration format). */
  script: string;
}

/**
 * Replays the migrations folder into a scratch ("shadow") database on `serverUrl` and diffs the result against the
 * Prisma schema, as `prisma migrate dev --create-only` does. The shadow database is dropped afterwards.
 */
export async function diffMigrationsToSchema(
  serverUrl: string,
  { migrationsDir = defaultMigrationsDir, schemaPath = defaultSchemaPath } = {},
): Promise<MigrationsDiff> {
  const schemaText = await readFile(schemaPath, 'utf8');
  const migrationsList = await readMigrationsDirectory(migrationsDir);
  // The engine reads the provider from the lock file, which the first migration only writes; assume it.
  const lockfile = {
    ...migrationsList.lockfile,
    content: migrationsList.lockfile.content ?? migrationLockFileContent,
  };
  const { run, close } = await openSchemaEngine(serverUrl);
  try {
    const result = await run((engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList, lockfile },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schemaText }] },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      }),
    );
    return { hasChanges: result.exitCode === 2, script: result.stdout ?? '' };
  } finally {
    await close();
  }
}
