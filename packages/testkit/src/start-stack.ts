import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createCredentialCipher,
  createPrismaClient,
  generateApiKey,
  newId,
  type PrismaClient,
} from '@switchyard/db';
import { createTestDatabase, waitFor } from '@switchyard/db/testing';
import OpenAI from 'openai';
import { packageScriptCommand } from '../../../scripts/package-script-command';

/** Repository root, so entry points resolve wherever the caller runs from. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The environment a child process gets on top of ours: a variable set to `undefined` is removed from what it
 * inherits (e.g. the bench's router without the REDIS_URL of the shell that started the bench).
 */
export type ChildEnv = Record<string, string | undefined>;

/**
 * How long a started process may take to print its ready line. A bound on a condition, not a timing claim: the
 * router's start (compiled bundle, Prisma, first snapshot) took 37 s at load average 31 on the 2-core test machine,
 * where 30 s failed whole test files before their first test.
 */
export const READY_TIMEOUT_MS = 120_000;

/** A child process we started, with everything it printed (for assertions and failure messages). */
export interface Proc {
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Compiles the router, the mock provider and the root scripts (scripts/build-runtime.mjs), as `npm start` and the
 * image do. Global setups call it once per run: the processes the test kit starts run that compiled JavaScript.
 */
export function buildRuntime(): void {
  const result = spawnSync(process.execPath, [`${ROOT}scripts/build-runtime.mjs`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`scripts/build-runtime.mjs failed (${result.status}):\n${result.stdout}${result.stderr}`);
}

/**
 * Spawns the package in `packageDir` (relative to the root, e.g. `apps/router`) by its `start` script, exactly
 * as compose and `npm start` run it (see scripts/package-script-command.ts), and resolves once a line of its
 * output matches `ready`. Run `buildRuntime` first. `nodeFlags` replace the script's flags of the same name (or are
 * added), e.g. the bench's `--max-semi-space-size` per run.
 */
export function spawnPackage(
  packageDir: string,
  env: ChildEnv,
  ready: RegExp,
  timeoutMs = READY_TIMEOUT_MS,
  nodeFlags: readonly string[] = [],
): Promise<{ proc: Proc; match: RegExpMatchArray }> {
  const start = packageScriptCommand(`${ROOT}${packageDir}`, 'start', nodeFlags);
  return spawnProcess(start.command, start.args, { env, ready, timeoutMs, cwd: start.cwd, name: packageDir });
}

/** The router's Node flags (from its `start` script), for a process meant to run as the router does. */
export function routerNodeFlags(): string[] {
  return packageScriptCommand(`${ROOT}apps/router`).args.slice(0, -1);
}

/**
 * Spawns `node --import tsx <entry>` (one process, unlike the tsx CLI's wrapper, so signals reach the
 * entry's own handlers) and resolves once a line of its output matches `ready`.
 */
export function spawnTs(
  entry: string,
  env: ChildEnv,
  ready: RegExp,
  timeoutMs = READY_TIMEOUT_MS,
  nodeFlags: readonly string[] = [],
): Promise<{ proc: Proc; match: RegExpMatchArray }> {
  return spawnProcess(process.execPath, [...nodeFlags, '--import', 'tsx', `${ROOT}${entry}`], {
    env,
    ready,
    timeoutMs,
    name: entry,
  });
}

/** Spawns any command and resolves once a line of its output matches `ready`. */
export function spawnProcess(
  command: string,
  args: string[],
  options: { env: ChildEnv; ready: RegExp; timeoutMs?: number; cwd?: string; name?: string },
): Promise<{ proc: Proc; match: RegExpMatchArray }> {
  const { env, ready, timeoutMs = READY_TIMEOUT_MS } = options;
  const entry = options.name ?? command;
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    cwd: options.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: Proc = {
    child,
    output: () => text,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} not ready in ${timeoutMs} ms:\n${text}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ proc, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${text}`));
    });
  });
}

export interface Stack {
  databaseUrl: string;
  /** Hex master key the router decrypts upstream credentials with. */
  masterKey: string;
  prisma: PrismaClient;
  routerUrl: string;
  /** The mock's OpenAI base URL, ending in /v1 (what the seeded provider points at). */
  mockUrl: string;
  /** The mock's origin, for its /__mock admin endpoints. */
  mockOrigin: string;
  router: Proc;
  mock: Proc;
  /** Seeded ids. */
  providerId: string;
  accountId: string;
  routeId: string;
  /** A key that may call every model. */
  apiKey: string;
  apiKeyId: string;
  /** Makes another key and waits until the router's snapshot knows it; returns its plaintext and id. */
  createKey: (data?: {
    allowedModels?: string[];
    expiresAt?: Date;
    revokedAt?: Date;
  }) => Promise<{ plaintext: string; id: string }>;
  client: (
    apiKey?: string,
    options?: { maxRetries?: number; defaultHeaders?: Record<string, string> },
  ) => OpenAI;
  /** Adds an upstream account on the mock provider with its own credential (the mock's `byKey` faults). */
  addAccount: (name: string, options?: { enabled?: boolean }) => Promise<{ id: string; credential: string }>;
  /**
   * Adds a route and waits until the router serves it. Targets default to tier 0, weight 1; `policies` are
   * stored as given (the admin API validates; the router falls back to defaults for invalid ones).
   */
  addRoute: (route: {
    publicModel: string;
    targets: {
      accountId: string;
      upstreamModel: string;
      tier?: number;
      weight?: number;
      enabled?: boolean;
    }[];
    backupModels?: string[];
    contextFallbackModel?: string;
    policies?: Record<string, unknown>;
  }) => Promise<{ id: string; targetIds: string[] }>;
  /** Waits until the router's snapshot shows `predicate` for /v1/models (e.g. after a config change). */
  awaitModels: (predicate: (models: string[]) => boolean) => Promise<void>;
  restartRouter: (env?: ChildEnv) => Promise<void>;
  stop: () => Promise<void>;
}

/** Price of the seeded route's upstream model, micro-USD per million tokens. */
export const SEEDED_PRICE = { input: 150_000n, output: 600_000n };
export const SEEDED_MODEL = 'chat-small';
export const UPSTREAM_MODEL = 'mock-gpt-4o-mini';

/**
 * A real stack for one test file or bench run: a fresh database (migrated) on `pgServerUrl`, the mock
 * provider and the router as child processes, and a route `chat-small` → mock with a price row.
 */
export async function startStack(pgServerUrl: string, routerEnv: ChildEnv = {}): Promise<Stack> {
  const db = await createTestDatabase(pgServerUrl);
  const spillDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-spill-'));
  const prisma = createPrismaClient(db.databaseUrl);
  const masterKey = randomBytes(32).toString('hex');
  const cipher = createCredentialCipher(Buffer.from(masterKey, 'hex'));

  const { proc: mock, match: mockMatch } = await spawnPackage(
    'packages/mock-provider',
    { MOCK_PORT: '0', MOCK_HOST: '127.0.0.1' },
    /listening on (http:\/\/[^\s"]+)/,
  );
  const mockUrl = (mockMatch[1] as string).replace(/\/$/, '');

  const providerId = newId('prv');
  const accountId = newId('acc');
  const routeId = newId('rt');
  await prisma.provider.create({
    data: { id: providerId, name: 'mock', kind: 'openai_compatible', baseUrl: mockUrl },
  });
  await prisma.upstreamAccount.create({
    data: {
      id: accountId,
      providerId,
      name: 'mock-primary',
      credentialCiphertext: cipher.encrypt('sk-upstream-test'),
    },
  });
  await prisma.route.create({
    data: {
      id: routeId,
      publicModel: SEEDED_MODEL,
      aliases: ['chat-small-alias'],
      targets: { create: [{ id: newId('tgt'), accountId, upstreamModel: UPSTREAM_MODEL }] },
    },
  });
  await prisma.price.create({
    data: {
      id: newId('price'),
      providerId,
      model: UPSTREAM_MODEL,
      inputMicrosPerMillion: SEEDED_PRICE.input,
      outputMicrosPerMillion: SEEDED_PRICE.output,
      effectiveFrom: new Date(Date.now() - 60_000),
    },
  });

  const createKey: Stack['createKey'] = async (data = {}) => {
    const key = generateApiKey();
    const id = newId('key');
    await prisma.apiKey.create({
      data: {
        id,
        name: `test ${id}`,
        digest: key.digest,
        prefix: key.prefix,
        allowedModels: data.allowedModels ?? [],
        expiresAt: data.expiresAt ?? null,
        revokedAt: data.revokedAt ?? null,
      },
    });
    return { plaintext: key.plaintext, id };
  };
  const insertKey = createKey;

  const env = {
    DATABASE_URL: db.databaseUrl,
    SWITCHYARD_MASTER_KEY: masterKey,
    ROUTER_HOST: '127.0.0.1',
    ROUTER_PORT: '0',
    USAGE_FLUSH_MS: '50',
    // Each stack spills to its own directory, kept across restartRouter (a restart must replay it).
    USAGE_SPILL_DIR: spillDir,
    ...routerEnv,
  };
  const launch = async (extra: ChildEnv) => {
    const launchEnv: ChildEnv = { ...env, ...extra };
    // With ROUTER_WORKERS every worker starts a whole router, and on a busy machine they start one after another.
    const workers = Math.max(1, Number(launchEnv.ROUTER_WORKERS ?? 1) || 1);
    const { proc, match } = await spawnPackage(
      'apps/router',
      launchEnv,
      /config snapshot ready/,
      READY_TIMEOUT_MS * workers,
    );
    const url = proc.output().match(/"url":"(http:\/\/[^"]+)"/)?.[1];
    if (!url || !match) throw new Error(`router did not print its url:\n${proc.output()}`);
    return { proc, url };
  };
  const main = await insertKey();
  let current = await launch({});
  const awaitModels = async (predicate: (models: string[]) => boolean) => {
    await waitFor('the router to reload its routes', async () => {
      const res = await fetch(`${current.url}/v1/models`, {
        headers: { authorization: `Bearer ${main.plaintext}` },
      });
      const body = (await res.json()) as { data: { id: string }[] };
      return predicate(body.data.map((m) => m.id));
    });
  };
  /** The router learns of new keys through LISTEN/NOTIFY; wait until it stops calling this one unknown. */
  const awaitKnown = async (plaintext: string) => {
    await waitFor('the router to know a new key', async () => {
      const res = await fetch(`${current.url}/v1/models`, {
        headers: { authorization: `Bearer ${plaintext}` },
      });
      const body = (await res.json()) as { error?: { code?: string } };
      return body.error?.code !== 'invalid_api_key';
    });
  };

  const stack: Stack = {
    databaseUrl: db.databaseUrl,
    masterKey,
    prisma,
    get routerUrl() {
      return current.url;
    },
    mockUrl,
    mockOrigin: new URL(mockUrl).origin,
    get router() {
      return current.proc;
    },
    mock,
    providerId,
    accountId,
    routeId,
    apiKey: main.plaintext,
    apiKeyId: main.id,
    createKey: async (data) => {
      const key = await insertKey(data);
      await awaitKnown(key.plaintext);
      return key;
    },
    client: (apiKey = main.plaintext, options = {}) =>
      new OpenAI({
        apiKey,
        baseURL: `${current.url}/v1`,
        maxRetries: options.maxRetries ?? 0,
        ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
      }),
    addAccount: async (name, options = {}) => {
      const id = newId('acc');
      const credential = `sk-upstream-${name}`;
      await prisma.upstreamAccount.create({
        data: {
          id,
          providerId,
          name,
          credentialCiphertext: cipher.encrypt(credential),
          enabled: options.enabled ?? true,
        },
      });
      return { id, credential };
    },
    addRoute: async (route) => {
      const id = newId('rt');
      const targetIds = route.targets.map(() => newId('tgt'));
      await prisma.route.create({
        data: {
          id,
          publicModel: route.publicModel,
          backupModels: route.backupModels ?? [],
          contextFallbackModel: route.contextFallbackModel ?? null,
          policies: (route.policies ?? {}) as object,
          targets: {
            create: route.targets.map((t, i) => ({
              id: targetIds[i] as string,
              accountId: t.accountId,
              upstreamModel: t.upstreamModel,
              tier: t.tier ?? 0,
              weight: t.weight ?? 1,
              enabled: t.enabled ?? true,
            })),
          },
        },
      });
      await awaitModels((models) => models.includes(route.publicModel));
      return { id, targetIds };
    },
    awaitModels,
    restartRouter: async (extra = {}) => {
      await current.proc.stop();
      current = await launch(extra);
    },
    stop: async () => {
      await current.proc.stop();
      await mock.stop();
      await prisma.$disconnect();
      await db.drop();
      await rm(spillDir, { recursive: true, force: true });
    },
  };
  return stack;
}
