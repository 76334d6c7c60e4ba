// Postinstall of @switchyard/db: generates the Prisma client into src/generated/prisma.
// Runs offline and from any cwd. Prisma's CLI wants a native schema engine it cannot download here; `generate`
// never executes it, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file lets it proceed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(packageDir, '..', '..');
const configPath = path.join(repoRoot, 'prisma.config.ts');
const require = createRequire(path.join(packageDir, 'package.json'));

function resolvePrismaCli() {
  try {
    return require.resolve('prisma/build/index.js');
  } catch {
    return null;
  }
}

const cli = resolvePrismaCli();
if (cli === null) {
  // Happens when npm runs this before the prisma devDependency is linked, or in a production-only install.
  console.warn(
    '[@switchyard/db] prisma CLI not installed yet; skipping client generation (run `npm run generate -w @switchyard/db`).',
  );
  process.exit(0);
}
if (!existsSync(configPath)) {
  console.warn(`[@switchyard/db] ${configPath} not found; skipping client generation.`);
  process.exit(0);
}

const env = {
  ...process.env,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
};
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

const result = spawnSync(process.execPath, [cli, 'generate', '--config', configPath], {
  cwd: repoRoot,
  env,
  stdio: 'inherit',
});
if (result.error) {
  console.error(`[@switchyard/db] could not run prisma generate: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
