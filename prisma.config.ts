import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate; migrate deploy where the native engine exists). The apps never read it:
// they build their client with the pg driver adapter and apply migrations with packages/db's offline runner.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // `generate` needs no database; an unset URL must not make the config fail to load.
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
