// Instructions per request, counted by valgrind's callgrind: the one measure of the router's own work that load on
// the machine cannot move (the same binary, inputs and environment give the same count, whatever else runs). Starts
// a testkit stack (PostgreSQL, the mock, the bench's limits and hard budgets on the key), then the target under
// `valgrind --tool=callgrind` with counting off, warms it up, counts a window of requests and prints instructions
// per request on the request thread (and in all threads). Targets: `router` (apps/router/dist/router.js with its
// start script's flags) and `bare` (bench/src/bare-proxy.ts, the bench's floor, same flags). Slow: valgrind runs
// the target ~50× slower, so a run takes minutes.
//
//   npm run instructions -w @switchyard/bench                     # router then bare, 3,000 warm-up + 1,000 counted
//   CG_TARGETS=router CG_WARMUP=3000 CG_REQUESTS=1000 npm run instructions -w @switchyard/bench
//   CG_STREAM=1 …                                                # streamed chat completions instead
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { digestApiKey } from '@switchyard/db';
import { startTestPostgres } from '@switchyard/db/testing';
import {
  buildRuntime,
  createUnreachableTeamAndBudgets,
  ROOT,
  routerNodeFlags,
  startStack,
  UNREACHABLE_LIMITS,
  waitFor,
} from '@switchyard/testkit';
import { Pool } from 'undici';

const TARGETS = (process.env.CG_TARGETS ?? 'router,bare').split(',').filter(Boolean);
const WARMUP = Number(process.env.CG_WARMUP ?? 3000);
const REQUESTS = Number(process.env.CG_REQUESTS ?? 1000);
const STREAM = process.env.CG_STREAM === '1';
const CONNECTIONS = 2;
const READY_TIMEOUT_MS = 300_000;
/** The router's periodic work pushed out of the counted window; usage still flushes every 200 ms (its default). */
const QUIET_PERIODS = {
  SNAPSHOT_REFRESH_MS: '600000',
  HEALTH_REPORT_MS: '600000',
  BUDGET_REPORT_MS: '600000',
  BUDGET_WEBHOOK_POLL_MS: '600000',
  USAGE_FLUSH_MS: '200',
};

const log = (message: string) => console.error(`[instructions] ${message}`);

interface Counted {
  target: string;
  requestThread: number;
  allThreads: number;
  /** Instructions by thread number (1: the request thread), in the order valgrind numbered them. */
  byThread: Map<number, number>;
}

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed');
  const pg = await startTestPostgres();
  buildRuntime();
  const stack = await startStack(pg.serverUrl, { USAGE_FLUSH_MS: '200' });
  const results: Counted[] = [];
  try {
    const key = await stack.prisma.apiKey.findUniqueOrThrow({
      where: { digest: digestApiKey(stack.apiKey) },
    });
    const { teamId } = await createUnreachableTeamAndBudgets(stack.prisma, key.id, 'instructions');
    await stack.prisma.apiKey.update({ where: { id: key.id }, data: { teamId, ...UNREACHABLE_LIMITS } });
    for (const target of TARGETS) results.push(await countTarget(target, stack));
  } finally {
    await stack.stop();
    await pg.stop();
  }
  console.log(
    `instructions per ${STREAM ? 'streamed' : 'non-stream'} chat completion (${REQUESTS} counted after ${WARMUP} warm-up, ${CONNECTIONS} connections):`,
  );
  for (const r of results) {
    console.log(
      `  ${r.target.padEnd(6)} request thread ${perRequest(r.requestThread)}, all threads ${perRequest(r.allThreads)} (by thread: ${[
        ...r.byThread,
      ]
        .filter(([, n]) => n / REQUESTS >= 1000)
        .map(([thread, n]) => `${thread}: ${perRequest(n)}`)
        .join(', ')})`,
    );
  }
}

function perRequest(instructions: number): string {
  return `${Math.round(instructions / REQUESTS / 1000)}k`;
}

async function countTarget(target: string, stack: Awaited<ReturnType<typeof startStack>>): Promise<Counted> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `callgrind-${target}-`));
  const valgrind = [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--separate-threads=yes',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${path.join(dir, 'callgrind.out.%p')}`,
  ];
  const flags = routerNodeFlags();
  const args =
    target === 'router'
      ? [...valgrind, process.execPath, ...flags, path.join(ROOT, 'apps/router/dist/router.js')]
      : [
          ...valgrind,
          process.execPath,
          ...flags,
          '--import',
          'tsx',
          path.join(ROOT, 'bench/src/bare-proxy.ts'),
        ];
  const env: NodeJS.ProcessEnv =
    target === 'router'
      ? {
          ...process.env,
          DATABASE_URL: stack.databaseUrl,
          SWITCHYARD_MASTER_KEY: stack.masterKey,
          ROUTER_HOST: '127.0.0.1',
          ROUTER_PORT: '0',
          USAGE_SPILL_DIR: dir,
          ...QUIET_PERIODS,
        }
      : { ...process.env, UPSTREAM: stack.mockUrl, PORT: '0' };
  log(`${target}: starting under callgrind …`);
  const child = spawn('valgrind', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    const ready = target === 'router' ? /config snapshot ready/ : /listening on (http:\/\/\S+)/;
    await waitFor(`${target} under valgrind to be ready`, async () => ready.test(output), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 200,
    });
    const url =
      target === 'router'
        ? (output.match(/"url":"(http:\/\/[^"]+)"/)?.[1] as string)
        : (output.match(/listening on (http:\/\/\S+)/)?.[1] as string);
    const pool = new Pool(new URL(url).origin, { connections: CONNECTIONS });
    try {
      log(`${target}: warm-up, ${WARMUP} requests`);
      await send(pool, stack.apiKey, WARMUP);
      callgrindControl(child, '-i', 'on');
      log(`${target}: counting ${REQUESTS} requests`);
      await send(pool, stack.apiKey, REQUESTS);
      callgrindControl(child, '-d');
      callgrindControl(child, '-i', 'off');
    } finally {
      await pool.close();
    }
    return { target, ...(await readCounts(dir)) };
  } finally {
    await stop(child);
    if (process.env.CG_KEEP === '1') log(`${target}: dumps kept in ${dir} (callgrind_annotate <file>)`);
    else await rm(dir, { recursive: true, force: true });
  }
}

async function send(pool: Pool, apiKey: string, count: number): Promise<void> {
  const body = JSON.stringify({
    model: 'chat-small',
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
    ...(STREAM ? { stream: true } : {}),
  });
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      const response = await pool.request({
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw new Error(`answer ${response.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, lane));
}

function callgrindControl(child: ChildProcess, ...args: string[]): void {
  const result = spawnSync('callgrind_control', [...args, String(child.pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`callgrind_control ${args.join(' ')}: ${result.stderr}`);
}

/** Sums the `summary:`/`totals:` lines of the dump: thread 1 is the request thread. */
async function readCounts(dir: string): Promise<Omit<Counted, 'target'>> {
  let requestThread = 0;
  let allThreads = 0;
  const byThread = new Map<number, number>();
  for (const name of await readdir(dir)) {
    if (!/^callgrind\.out\.\d+\.\d+-\d+$/.test(name)) continue; // <pid>.<dump>-<thread>
    const text = await readFile(path.join(dir, name), 'utf8');
    const total = Number(text.match(/^(?:summary|totals): (\d+)/m)?.[1] ?? 0);
    allThreads += total;
    const thread = Number(name.slice(name.lastIndexOf('-') + 1));
    byThread.set(thread, (byThread.get(thread) ?? 0) + total);
    if (thread === 1) requestThread += total;
  }
  if (requestThread === 0) throw new Error(`no callgrind dump of thread 1 in ${dir}`);
  return { requestThread, allThreads, byThread: new Map([...byThread].sort((a, b) => a[0] - b[0])) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
