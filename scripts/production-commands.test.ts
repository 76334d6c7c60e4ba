// What production runs, read from the files that define it: every package's `start` script, the Dockerfile and
// docker-compose.yml (Docker is not needed: the files are parsed). The compiled processes themselves are started
// by the integration tests, through the same start scripts (packages/testkit).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageScriptCommand } from './package-script-command';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const manifest = (dir: string) =>
  JSON.parse(read(path.join(dir, 'package.json'))) as { scripts?: Record<string, string> };

/** Packages that run in production, by the compose service that runs each (the image's root is /app). */
const SERVICES = {
  router: 'apps/router',
  'router-2': 'apps/router',
  dashboard: 'apps/dashboard',
} as const;

interface ComposeService {
  command?: string[];
  working_dir?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** The Dockerfile's stages: `FROM … AS name` and the instructions under it (continuation lines joined). */
function dockerStages(text: string): { name: string; instructions: string[] }[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { name: string; instructions: string[] }[] = [];
  for (const instruction of instructions) {
    const from = instruction.match(/^FROM\s+\S+(?:\s+AS\s+(\S+))?/i);
    if (from) stages.push({ name: from[1] ?? `stage${stages.length}`, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}
const dockerfile = read('Dockerfile');
const stages = dockerStages(dockerfile);
const runtime = stages.at(-1) as { name: string; instructions: string[] };

describe('production commands', () => {
  it('run no TypeScript: no start script, Dockerfile line or compose command names tsx', () => {
    const workspaces = ['.', 'apps/router', 'apps/dashboard', 'packages/mock-provider'];
    const productionScripts = workspaces.flatMap((dir) => {
      const scripts = manifest(dir).scripts ?? {};
      return ['start', 'db:migrate', 'config'].flatMap((name) => scripts[name] ?? []);
    });
    expect(productionScripts).toHaveLength(6);
    for (const script of productionScripts) {
      expect(script).toMatch(/^node /);
      expect(script).not.toMatch(/tsx|\.ts\b/);
    }
    expect(dockerfile).not.toMatch(/tsx/);
    for (const [name, definition] of Object.entries(compose.services)) {
      const words = [...(definition.command ?? []), ...(definition.healthcheck?.test ?? [])].join(' ');
      expect(words, name).not.toMatch(/tsx|\.ts\b/);
    }
  });

  it("compose runs each service by its package's start script, in the package's folder", () => {
    for (const [name, dir] of Object.entries(SERVICES)) {
      const start = packageScriptCommand(path.join(root, dir));
      expect(service(name).command, name).toEqual(['node', ...start.args]);
      expect(service(name).working_dir, name).toBe(`/app/${dir}`);
    }
    // Migrations: the root's db:migrate script.
    expect(['node', ...service('migrate').command!.slice(1)].join(' ')).toBe(
      manifest('.').scripts?.['db:migrate'],
    );
    expect(service('migrate').working_dir).toBe('/app');
  });

  it('every file those commands run is built by the build stage and copied into the runtime stage', () => {
    const copied = runtime.instructions
      .filter((line) => /^COPY --from=build /.test(line))
      .map((line) => line.split(/\s+/).at(-1) as string);
    for (const name of [...Object.keys(SERVICES), 'migrate']) {
      const { command, working_dir } = service(name);
      const entry = path.posix.relative('/app', path.posix.join(working_dir!, command!.at(-1)!));
      expect(
        copied.some((target) => entry.startsWith(`${target}/`)),
        `${entry} (${name})`,
      ).toBe(true);
    }
    expect(stages.find((stage) => stage.name === 'build')?.instructions).toContain('RUN npm run build');
  });

  it('the runtime stage installs production dependencies only, of what runs, and runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const install = runtime.instructions.find((line) => line.startsWith('RUN npm ci'));
    expect(install).toMatch(/--omit=dev/);
    for (const workspace of ['@switchyard/router', '@switchyard/mock-provider'])
      expect(install).toContain(`--workspace=${workspace}`);
    expect(runtime.instructions.join('\n')).not.toMatch(/\b(bench|e2e|testkit)\b|COPY \. /);
    const users = runtime.instructions.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
    // Its writable path is the spill directory, made and owned by that user before the switch.
    const spillDir = runtime.instructions
      .find((line) => line.startsWith('ENV USAGE_SPILL_DIR='))
      ?.slice('ENV USAGE_SPILL_DIR='.length);
    expect(spillDir).toBe('/var/lib/switchyard/usage-spill');
    expect(runtime.instructions.some((line) => /chown -R node:node \/var\/lib\/switchyard/.test(line))).toBe(
      true,
    );
  });

  it('two routers share the database and Redis, each with its own named spill volume and a health check', () => {
    const routers = ['router', 'router-2'].map(service);
    const [first, second] = routers as [ComposeService, ComposeService];
    expect(second.environment?.DATABASE_URL).toBe(first.environment?.DATABASE_URL);
    expect(second.environment?.REDIS_URL).toBe(first.environment?.REDIS_URL);
    expect(first.environment?.REDIS_URL).toBe('redis://redis:6379');
    const spillVolumes = routers.map((router) => {
      const mount = router.volumes?.find((volume) =>
        volume.endsWith(`:${router.environment?.USAGE_SPILL_DIR}`),
      );
      expect(mount).toBeDefined();
      return (mount as string).split(':')[0] as string;
    });
    expect(new Set(spillVolumes).size).toBe(2);
    for (const volume of spillVolumes) expect(Object.keys(compose.volumes)).toContain(volume);
    for (const router of routers) {
      expect(router.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8080/healthz');
      expect(router.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    }
    const dashboard = service('dashboard');
    // Next's standalone server binds to $HOSTNAME, which Docker sets to the container's name: the health check on
    // 127.0.0.1 would never reach it.
    expect(dashboard.environment?.HOSTNAME).toBe('0.0.0.0');
    expect(dashboard.healthcheck?.test.join(' ')).toContain(
      `http://127.0.0.1:${dashboard.environment?.PORT}/`,
    );
  });

  it('the compiled router has its worker entries beside it (the global setup compiled it)', () => {
    const start = packageScriptCommand(path.join(root, 'apps/router'));
    const entry = path.join(start.cwd, start.args.at(-1) as string);
    for (const file of [entry, ...['usage-writer-worker', 'token-count-worker'].map((name) => `${name}.js`)])
      expect(existsSync(path.resolve(path.dirname(entry), file)), file).toBe(true);
  });
});

describe('packageScriptCommand', () => {
  it('refuses a start script that needs a shell or is not node', () => {
    const dir = path.join(root, 'apps/dashboard');
    expect(packageScriptCommand(dir).args).toEqual(['.next/standalone/apps/dashboard/server.js']);
    for (const script of [
      'NODE_ENV=production node a.js',
      'node a.js && rm -rf /',
      'tsx src/main.ts',
      'node',
    ])
      expect(() => packageScriptCommandOf(script)).toThrow(/scripts\.start must be/);
  });
});

/** packageScriptCommand over a manifest with `start` = `script`, in a temporary folder. */
function packageScriptCommandOf(script: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'start-script-'));
  try {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: script } }));
    return packageScriptCommand(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
