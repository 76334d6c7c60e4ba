// `npm run db:migration:create -w @switchyard/db -- <name> [--empty]`
// Diffs prisma/migrations (replayed into a shadow database) against prisma/schema.prisma with Prisma's wasm
// schema engine and writes the difference as a new `<timestamp>_<name>/migration.sql`, as `prisma migrate dev
// --create-only` would. `--empty` writes an empty migration for hand-written SQL (triggers, data fixes).
// Needs a Postgres server for the shadow database: TEST_DATABASE_URL if set, otherwise a throwaway embedded one.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffMigrationsToSchema } from '../src/diff-migrations';
import {
  defaultMigrationsDir,
  migrationLockFileContent,
  migrationLockFileName,
  readMigrationsDirectory,
} from '../src/migrations-directory';
import { startTestPostgres, type TestPostgres } from '../src/testing/start-test-postgres';

const args = process.argv.slice(2);
const allowEmpty = args.includes('--empty');
const rawName = args.find((arg) => !arg.startsWith('--'));
if (!rawName) {
  console.error('usage: npm run db:migration:create -w @switchyard/db -- <name> [--empty]');
  process.exit(2);
}
const name = rawName
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_|_$/g, '');

let server: TestPostgres | undefined;
// A panic inside the wasm engine surfaces as an uncaught "unreachable"; its message is in the panic registry.
process.on('uncaughtException', (error) => {
  const panic = globalThis.PRISMA_WASM_PANIC_REGISTRY?.message;
  console.error(`db:migration:create: ${panic ? `schema engine panicked: ${panic}` : error.message}`);
  void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
});

try {
  server = await startTestPostgres();
  const diff = await diffMigrationsToSchema(server.serverUrl).finally(() => server?.stop());
  if (!diff.hasChanges && !allowEmpty) {
    console.log(
      'prisma/schema.prisma matches prisma/migrations; nothing written (pass --empty for a hand-written one).',
    );
    process.exit(0);
  }
  const migrationsList = await readMigrationsDirectory(defaultMigrationsDir);
  const folder = `${nextTimestamp(migrationsList.migrationDirectories.map((dir) => dir.path))}_${name}`;
  const file = path.join(defaultMigrationsDir, folder, 'migration.sql');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, diff.hasChanges ? diff.script : '-- This is an empty migration.\n');
  if (migrationsList.lockfile.content === null) {
    await writeFile(path.join(defaultMigrationsDir, migrationLockFileName), migrationLockFileContent);
  }
  console.log(
    `wrote ${path.relative(process.cwd(), file)}${diff.hasChanges ? '' : ' (empty: write your SQL into it)'}`,
  );
} catch (error) {
  console.error(`db:migration:create: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/** UTC yyyyMMddHHmmss like Prisma, strictly after every existing migration so the order is unambiguous. */
function nextTimestamp(existingFolders: string[]): string {
  const now = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const latest = existingFolders
    .map((folder) => folder.slice(0, 14))
    .sort()
    .at(-1);
  if (latest === undefined || now > latest) return now;
  return String(BigInt(latest) + 1n);
}
