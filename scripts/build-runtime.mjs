// Compiles what runs in production to JavaScript: the router (and its worker threads), the mock provider and the
// root scripts (`npm start`, `db:migrate`, `config`, `user:create`). Plain JavaScript itself, so it needs no TypeScript loader.
//
// Each entry is bundled with esbuild (already installed: tsx is built on it): our workspace packages
// (`@switchyard/core`, `@switchyard/db`, which export TypeScript source) are compiled into the bundle; every other
// package stays an ordinary `import` resolved from node_modules at run time. Code is split into chunks, so a
// dynamic `import()` in the source stays one at run time: what a process does not use (the OpenTelemetry SDK with
// tracing off, ioredis without REDIS_URL) is never loaded. In one file, esbuild would hoist every package import
// of the bundle to its top and load them all at start (issue 15: ~20 MiB of RSS in the router). Worker entries land beside `main.js`,
// where the thread modules look for them. Outputs are named after what they run, so `ps` tells them apart (see apps/router/src/worker-script.ts).
//
//   node scripts/build-runtime.mjs            # every target
//   node scripts/build-runtime.mjs router     # one (router | mock-provider | scripts)
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Output directory and entry points (output name → source), relative to the repository root. */
export const TARGETS = {
  router: {
    outdir: 'apps/router/dist',
    entries: {
      router: 'apps/router/src/main.ts',
      'usage-writer-worker': 'apps/router/src/usage/usage-writer-worker.ts',
      'token-count-worker': 'apps/router/src/billing/token-count-worker.ts',
      'span-export-worker': 'apps/router/src/tracing/span-export-worker.ts',
    },
  },
  'mock-provider': {
    outdir: 'packages/mock-provider/dist',
    entries: { 'mock-provider': 'packages/mock-provider/src/main.ts' },
  },
  scripts: {
    outdir: 'scripts/dist',
    entries: {
      start: 'scripts/start.ts',
      'db-migrate': 'scripts/db-migrate.ts',
      config: 'scripts/config/main.ts',
      'user-create': 'scripts/user-create.ts',
    },
  },
};

/** Bare imports stay external, except our own packages, whose TypeScript source is compiled in. */
const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@switchyard/') ? undefined : { path: args.path, external: true },
    );
  },
};

async function buildTarget(name) {
  const target = TARGETS[name];
  if (!target) throw new Error(`unknown target ${name}; one of: ${Object.keys(TARGETS).join(', ')}`);
  const result = await build({
    absWorkingDir: root,
    entryPoints: target.entries,
    outdir: target.outdir,
    bundle: true,
    splitting: true,
    // Beside the entries: a chunk resolves a worker entry relative to itself (apps/router/src/worker-script.ts).
    chunkNames: '[name]-[hash]',
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // No keepNames: it wraps every named function expression in `__name(fn, "name")`, an
    // Object.defineProperty at run time, so each closure the request path creates (about a dozen per request)
    // paid a runtime call. V8 already names `const f = () => …` and `X = class {}` after their binding; only a
    // symbol esbuild renames to avoid a clash in the bundle (`fail2`) shows its new name in a stack or profile.
    keepNames: false,
    plugins: [externalDependencies],
    logLevel: 'warning',
  });
  // Chunks are named by content hash: drop those an earlier build left behind (the directory holds only output).
  const outdir = path.join(root, target.outdir);
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => path.join(root, file)));
  for (const file of await readdir(outdir)) {
    const full = path.join(outdir, file);
    if (/\.js(\.map)?$/.test(file) && !written.has(full)) await rm(full, { force: true });
  }
}

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : Object.keys(TARGETS);
try {
  await Promise.all(names.map(buildTarget));
} catch (error) {
  // esbuild has printed the errors with their locations.
  console.error(`build-runtime: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(1);
}
