// `npm run db:migrate`: applies pending migrations of prisma/migrations to DATABASE_URL (offline, no Prisma CLI
// engine needed). Safe to run while other instances migrate the same database.
import { applyMigrations, DatabaseUnreachableError } from '@switchyard/db';
import { exitOnEnvError, loadMigrateEnv, type MigrateEnv } from './env';

let env: MigrateEnv;
try {
  env = loadMigrateEnv();
} catch (error) {
  exitOnEnvError(error);
}

try {
  await applyMigrations(env.DATABASE_URL, { log: (message) => console.log(`db:migrate: ${message}`) });
} catch (error) {
  if (error instanceof DatabaseUnreachableError) {
    console.error(`db:migrate: ${error.message}\nIs the server running, and is DATABASE_URL right?`);
  } else {
    console.error(`db:migrate: migration failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
