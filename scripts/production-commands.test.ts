// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose variable references, written as compose writes them
// What production runs, read from the files that define it: every package's `start` script, the Dockerfile and
// docker-compose.yml (Docker is not needed: the files are parsed). The compiled processes themselves are started
// by the integration tests, through the same start scripts (packages/testkit).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRouterEnv, ROUTER_ENV_NAMES } from '../apps/router/src/env';
import { loadMigrateEnv } from './env';
import { packageScriptCommand } from './package-script-command';
import { type ComposeService, dockerStages, interpolate, readCompose, repoRoot } from './production-files';

const root = repoRoot;
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const manifest = (dir: string) =>
  JSON.parse(read(path.join(dir, 'package.json'))) as { scripts?: Record<string, string> };

/** Packages that run in production, by the compose service that runs each (the image's root is /app). */
const SERVICES = {
  router: 'apps/router',
  'router-2': 'apps/router',
  dashboard: 'apps/dashboard',
} as const;

const compose = readCompose();
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

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

  it('passes the optional settings through, empty when unset, which the apps read as their defaults', () => {
    const required = { POSTGRES_PASSWORD: 'pw', SWITCHYARD_MASTER_KEY: 'k'.repeat(64) };
    const resolved = (name: string, variables: Record<string, string> = {}) =>
      Object.fromEntries(
        Object.entries(service(name).environment ?? {}).map(([key, value]) => [
          key,
          interpolate(String(value), { ...required, ...variables }),
        ]),
      );
    const passedThrough = [
      'ROUTER_WORKERS',
      'LOG_LEVEL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'ROUTER_METRICS_PORT',
      'ROUTER_METRICS_HOST',
      'ROUTER_METRICS_TOKEN',
    ];
    for (const name of ['router', 'router-2']) {
      const environment = service(name).environment ?? {};
      // Every variable a router is given is one it reads (a misspelt one would be silently ignored).
      for (const variable of Object.keys(environment)) expect(ROUTER_ENV_NAMES, name).toContain(variable);
      for (const variable of passedThrough) expect(environment[variable], variable).toBe(`\${${variable}:-}`);
      const unset = loadRouterEnv(resolved(name));
      expect([unset.ROUTER_WORKERS, unset.LOG_LEVEL, unset.OTEL_EXPORTER_OTLP_ENDPOINT]).toEqual([
        1,
        'info',
        undefined,
      ]);
      expect([unset.ROUTER_METRICS_PORT, unset.ROUTER_METRICS_TOKEN]).toEqual([undefined, undefined]);
      const set = loadRouterEnv(
        resolved(name, { ROUTER_WORKERS: '2', LOG_LEVEL: 'warn', ROUTER_METRICS_PORT: '9464' }),
      );
      expect([set.ROUTER_WORKERS, set.LOG_LEVEL, set.ROUTER_METRICS_PORT]).toEqual([2, 'warn', 9464]);
      // Only the API port is published; a separate metrics port stays on the compose network.
      expect(service(name).ports?.map((port) => port.split(':').at(-1))).toEqual(['8080']);
    }
    const migrate = service('migrate').environment ?? {};
    for (const variable of ['SWITCHYARD_BOOTSTRAP_EMAIL', 'SWITCHYARD_BOOTSTRAP_PASSWORD'])
      expect(migrate[variable], variable).toBe(`\${${variable}:-}`);
    const unset = loadMigrateEnv(resolved('migrate'));
    expect([unset.SWITCHYARD_BOOTSTRAP_EMAIL, unset.SWITCHYARD_BOOTSTRAP_PASSWORD]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('the compiled router has its worker entries beside it (the global setup compiled it)', () => {
    const start = packageScriptCommand(path.join(root, 'apps/router'));
    const entry = path.join(start.cwd, start.args.at(-1) as string);
    for (const file of [
      entry,
      ...['usage-writer-worker', 'token-count-worker', 'span-export-worker'].map((name) => `${name}.js`),
    ])
      expect(existsSync(path.resolve(path.dirname(entry), file)), file).toBe(true);
  });
});

describe('interpolate (compose variable references)', () => {
  it('resolves default, empty-default and required references as docker compose does', () => {
    expect(interpolate('${A:-x}-${B-y}-${C}', {})).toBe('x-y-');
    expect(interpolate('${A:-x}-${B-y}', { A: '', B: '' })).toBe('x-');
    expect(interpolate('a${A:-}b', { A: 'v' })).toBe('avb');
    expect(() => interpolate('${A:?set A}', { A: '' })).toThrow('A: set A');
    expect(interpolate('${A:?set A}', { A: 'v' })).toBe('v');
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
