// `npm run db:migrate`: applies pending migrations of prisma/migrations to DATABASE_URL (offline, no Prisma CLI
// engine needed). Safe to run while other instances migrate the same database. With SWITCHYARD_BOOTSTRAP_EMAIL and
// SWITCHYARD_BOOTSTRAP_PASSWORD it then creates the console's first owner, only while the database has no user.
import {
  applyMigrations,
  createFirstOwner,
  createPrismaClient,
  DatabaseUnreachableError,
} from '@switchyard/db';
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

if (env.SWITCHYARD_BOOTSTRAP_EMAIL !== undefined && env.SWITCHYARD_BOOTSTRAP_PASSWORD !== undefined) {
  const prisma = createPrismaClient(env.DATABASE_URL, { maxConnections: 1 });
  try {
    const owner = await createFirstOwner(prisma, {
      email: env.SWITCHYARD_BOOTSTRAP_EMAIL,
      password: env.SWITCHYARD_BOOTSTRAP_PASSWORD,
    });
    console.log(
      owner
        ? `db:migrate: created the first owner, ${owner.email}; sign in to the console with the bootstrap password`
        : 'db:migrate: console users exist already; SWITCHYARD_BOOTSTRAP_EMAIL is ignored',
    );
  } catch (error) {
    console.error(
      `db:migrate: creating the first owner failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  } finally {
    await prisma.$disconnect();
  }
}
