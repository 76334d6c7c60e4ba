import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema } from './diff-migrations';
import { defaultSchemaPath } from './migrations-directory';
import { getTestPostgresServerUrl } from './testing';

describe('prisma/migrations', () => {
  it('produce exactly what prisma/schema.prisma describes (run db:migration:create after a schema change)', async () => {
    const diff = await diffMigrationsToSchema(await getTestPostgresServerUrl());
    expect(diff).toEqual({ hasChanges: false, script: '-- This is an empty migration.\n' });
  });

  it('would need a migration for a schema that changed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-schema-'));
    try {
      const schemaPath = path.join(dir, 'schema.prisma');
      const schema = await readFile(defaultSchemaPath, 'utf8');
      await writeFile(
        schemaPath,
        schema.replace(
          '  name      String   @unique\n',
          '  name      String   @unique\n  motto     String?\n',
        ),
      );
      const diff = await diffMigrationsToSchema(await getTestPostgresServerUrl(), { schemaPath });
      expect(diff.hasChanges).toBe(true);
      expect(diff.script).toContain('ALTER TABLE "teams" ADD COLUMN     "motto" TEXT;');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
