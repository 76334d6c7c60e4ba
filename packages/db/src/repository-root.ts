import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root (in the image: `/app`) above the module at `moduleUrl`: the nearest directory holding
 * `prisma/schema.prisma`. A module's depth below it differs between its TypeScript source (`packages/db/src`) and
 * the bundles it is compiled into (`apps/router/dist`, `scripts/dist`), so it is looked up, not counted.
 * Without one (a bundle copied elsewhere) it is the directory three levels up, as from the source.
 */
export function repositoryRoot(moduleUrl: string): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..', '..');
  }
}
